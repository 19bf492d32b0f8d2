"""Jobs: what runs together."""

from __future__ import annotations

import dagster as dg

FULL_PIPELINE_JOB = dg.define_asset_job(
    "c360_full_pipeline",
    selection=dg.AssetSelection.all(),
    description=(
        "Everything c360 builds, from landing files to published outputs. In-process: the "
        "embedded DuckDB warehouse takes one writer at a time."
    ),
)

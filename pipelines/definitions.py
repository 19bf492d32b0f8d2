"""The c360 code location: every asset, check, job and resource Dagster shows."""

from __future__ import annotations

import dagster as dg

from assets import (
    ACTIVATION_ASSETS,
    EXPORT_ASSETS,
    IDENTITY_ASSETS,
    PROFILE_ASSETS,
    PUBLISHING_ASSETS,
    RAW_ASSETS,
    REPORT_ASSETS,
)
from pipelines.jobs import FULL_PIPELINE_JOB
from pipelines.resources import build_resources
from pipelines.schedules import build_daily_schedule
from pipelines.sensors import build_landing_sensor
from pipelines.settings import Settings, load_settings, settings_file


def build_definitions(settings: Settings) -> dg.Definitions:
    """The code location for one settings file; the CLI and tests build their own."""
    return dg.Definitions(
        assets=[
            *RAW_ASSETS,
            *IDENTITY_ASSETS,
            *PROFILE_ASSETS,
            *ACTIVATION_ASSETS,
            *PUBLISHING_ASSETS,
            *EXPORT_ASSETS,
            *REPORT_ASSETS,
        ],
        jobs=[FULL_PIPELINE_JOB],
        schedules=[build_daily_schedule(settings)],
        sensors=[build_landing_sensor(settings)],
        resources=build_resources(settings),
        executor=dg.in_process_executor,
    )


defs = build_definitions(load_settings(settings_file()))

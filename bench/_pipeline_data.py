"""Shared set-up for the benchmarks: generated exports loaded into a scratch warehouse.

Benchmarks call the same ``resolution`` functions the Dagster assets call, without Dagster,
so what they time is the engine.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from resolution import SOURCE_TABLES, ingest_source
from resolution.identity import (
    CANONICAL_COLUMNS,
    IdentitySources,
    read_identity_sources,
    read_raw_identity_records,
)
from synthetic import generate_sample


def load_generated_sample(people: int, seed: int, folder: Path) -> tuple[Path, IdentitySources]:
    """Generate ``people`` people, ingest them into ``folder``/warehouse.duckdb, standardise."""
    summary = generate_sample(people, seed, folder / "sample")
    with duckdb.connect(str(folder / "warehouse.duckdb")) as conn:
        for table in SOURCE_TABLES:
            ingest_source(conn, summary.landing_dir, table)
        sources = read_identity_sources(conn)
    return summary.ground_truth_dir, sources


def raw_identity_records(warehouse: Path) -> pl.DataFrame:
    """Identity-bearing records as text, in the canonical contact-file layout."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        raw = read_raw_identity_records(conn)
    parts = raw.get_column("full_name").str.split_exact(" ", 1)
    return (
        raw.with_columns(
            pl.col("first_name").fill_null(parts.struct.field("field_0")),
            pl.col("last_name").fill_null(parts.struct.field("field_1")),
        )
        .filter(
            pl.any_horizontal(pl.col("first_name", "last_name", "email", "phone").is_not_null())
        )
        .rename({"record_key": "record_id", "source_system": "source"})
        .with_columns(pl.col("birth_date").cast(pl.String))
        .select("record_id", *CANONICAL_COLUMNS)
    )

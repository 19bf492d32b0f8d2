"""Publish the marketers' DuckDB file atomically: profile and activation tables.

Marketers open the published file while the pipeline runs. The next version is built in
a new file beside it and renamed over the old one, which the file system does in one
step: a query already running keeps reading the version it opened, a new query sees the
complete new version, and a run that fails before the rename leaves the last good
version in place (the half-built file is deleted).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from resolution.activation import ACTIVATION_TABLE_DESCRIPTIONS
from resolution.profile import TABLE_DESCRIPTIONS as PROFILE_TABLE_DESCRIPTIONS

PUBLISHED_TABLES = {
    **{name: (f"profile.{name}", text) for name, text in PROFILE_TABLE_DESCRIPTIONS.items()},
    **{name: (f"activation.{name}", text) for name, text in ACTIVATION_TABLE_DESCRIPTIONS.items()},
}
"""Published table -> (warehouse table it copies, description shown to marketers)."""

_VIEWS = {
    "contactable_customers": (
        "Profiles of the customers marketing may contact (those in personalization_feed).",
        "SELECT * FROM customer_profile SEMI JOIN personalization_feed USING (customer_id)",
    ),
    "customer_field_sources": (
        "Each profile value beside the source system and record it came from.",
        "SELECT customer_id, field, value, source_system, source_record_id, observed_at, rule "
        "FROM profile_field_lineage",
    ),
}


def publish_database(
    conn: duckdb.DuckDBPyConnection, target: Path, published_at: datetime, run_id: str
) -> dict[str, int]:
    """Copy ``PUBLISHED_TABLES`` into a new file and swap it in for ``target``.

    Returns the row count of each published table. The new file holds the tables, their
    descriptions (``COMMENT ON``), the views in ``_VIEWS`` and a ``publication`` row
    saying when and by which run it was built.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f".{target.name}.{run_id}.building")
    building.unlink(missing_ok=True)
    home = conn.sql("SELECT current_database()").fetchall()[0][0]
    try:
        conn.execute("ATTACH ? AS c360_next", [str(building)])
        try:
            counts = _fill(conn, published_at, run_id)
        finally:
            conn.execute(f'USE "{home}"')
            conn.execute("DETACH c360_next")
        os.replace(building, target)
    finally:
        building.unlink(missing_ok=True)
    return counts


def _fill(conn: duckdb.DuckDBPyConnection, published_at: datetime, run_id: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name, (source, description) in PUBLISHED_TABLES.items():
        conn.execute(f"CREATE TABLE c360_next.main.{name} AS SELECT * FROM {source}")
        conn.execute(f"COMMENT ON TABLE c360_next.main.{name} IS '{_quoted(description)}'")
        counts[name] = int(conn.sql(f"SELECT count(*) FROM c360_next.main.{name}").fetchall()[0][0])
    conn.execute("USE c360_next")
    for name, (description, query) in _VIEWS.items():
        conn.execute(f"CREATE VIEW {name} AS {query}")
        conn.execute(f"COMMENT ON VIEW {name} IS '{_quoted(description)}'")
    publication = pl.DataFrame(
        {"published_at": [published_at], "run_id": [run_id], **{k: [v] for k, v in counts.items()}}
    )
    conn.register("_c360_publication", publication)
    try:
        conn.execute("CREATE TABLE publication AS SELECT * FROM _c360_publication")
    finally:
        conn.unregister("_c360_publication")
    conn.execute("CHECKPOINT c360_next")
    return counts


def _quoted(text: str) -> str:
    return text.replace("'", "''")

"""Read and write the identity tables in the warehouse's ``identity`` schema.

All tables of one resolution run are replaced in one transaction, and the id history is
appended, so a reader never sees customer ids from two different runs side by side.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from resolution.identity._ids import HISTORY_SCHEMA
from resolution.identity._metrics import flagged_customers
from resolution.identity._records import IdentitySources
from resolution.identity._resolve import IdentityResolution

IDENTITY_SCHEMA = "identity"
HISTORY_TABLE = f"{IDENTITY_SCHEMA}.customer_id_history"


_SOURCE_TABLES = {
    "identity_records": "records",
    "record_membership": "membership",
    "stated_links": "cookie_links",
}


def write_identity_sources(conn: duckdb.DuckDBPyConnection, sources: IdentitySources) -> None:
    """Store the standardised records, the row-to-record map and the links sources state."""
    _replace_tables(conn, {name: getattr(sources, field) for name, field in _SOURCE_TABLES.items()})


def read_identity_sources_table(conn: duckdb.DuckDBPyConnection) -> IdentitySources:
    """The stored standardised records, as ``write_identity_sources`` left them."""
    frames = {
        field: conn.sql(f'SELECT * FROM {IDENTITY_SCHEMA}."{name}"').pl()
        for name, field in _SOURCE_TABLES.items()
    }
    return IdentitySources(**frames)


def _replace_tables(
    conn: duckdb.DuckDBPyConnection,
    tables: dict[str, pl.DataFrame],
    history: pl.DataFrame | None = None,
) -> None:
    """Replace ``tables`` (and append ``history``) in one transaction."""
    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {IDENTITY_SCHEMA}")
    conn.execute("BEGIN TRANSACTION")
    try:
        for name, frame in tables.items():
            conn.register("_c360_frame", frame)
            conn.execute(
                f'CREATE OR REPLACE TABLE {IDENTITY_SCHEMA}."{name}" AS SELECT * FROM _c360_frame'
            )
            conn.unregister("_c360_frame")
        if history is not None:
            conn.register("_c360_history", history)
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {HISTORY_TABLE} AS SELECT * FROM _c360_history LIMIT 0"
            )
            conn.execute(f"INSERT INTO {HISTORY_TABLE} SELECT * FROM _c360_history")
            conn.unregister("_c360_history")
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise


def read_previous_identity_map(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame | None:
    """Last run's (record_key, customer_id), or None before the first run."""
    exists = conn.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = ? AND table_name = 'identity_map'",
        [IDENTITY_SCHEMA],
    ).fetchall()[0][0]
    if not exists:
        return None
    return conn.sql(f"SELECT record_key, customer_id FROM {IDENTITY_SCHEMA}.identity_map").pl()


def read_customer_id_history(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every id change recorded so far (empty before the first run), as stored."""
    exists = conn.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = ? AND table_name = 'customer_id_history'",
        [IDENTITY_SCHEMA],
    ).fetchall()[0][0]
    if not exists:
        return pl.DataFrame(schema=HISTORY_SCHEMA)
    return conn.sql(f"SELECT * FROM {HISTORY_TABLE}").pl()


def source_identity_map(membership: pl.DataFrame, identity_map: pl.DataFrame) -> pl.DataFrame:
    """Every source row with the customer id of the record it belongs to."""
    return membership.join(identity_map, on="record_key", how="left").select(
        "source_table", "source_record_id", "record_key", "customer_id"
    )


def write_identity_tables(
    conn: duckdb.DuckDBPyConnection,
    resolution: IdentityResolution,
    membership: pl.DataFrame,
    resolved_at: datetime,
) -> pl.DataFrame:
    """Replace this run's identity tables and append its id changes to the history.

    The identity records themselves are the ``identity_records`` asset's table and are not
    rewritten. Returns the source identity map it wrote, for the caller's checks.
    """
    source_map = source_identity_map(membership, resolution.identity_map)
    tables = {
        "record_links": resolution.links,
        "candidate_pairs": resolution.candidate_pairs,
        "refused_links": resolution.refused_links,
        "flagged_customers": flagged_customers(resolution),
        "identity_map": resolution.identity_map,
        "source_identity_map": source_map,
    }
    history = resolution.history.with_columns(pl.lit(resolved_at).alias("resolved_at"))
    _replace_tables(conn, tables, history)
    return source_map

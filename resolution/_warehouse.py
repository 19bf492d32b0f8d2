"""Write ingested tables to DuckDB so that a re-run replaces, never appends.

A table and its quarantine rows change in one transaction: a reader sees either the old
load or the new one, and the quarantine never holds rows of a load that did not land.
"""

from __future__ import annotations

import duckdb
import polars as pl

from resolution._validate import QUARANTINE_COLUMNS

RAW_SCHEMA = "raw"
QUARANTINE_TABLE = f"{RAW_SCHEMA}.quarantine"

_QUARANTINE_DDL = ", ".join(
    f'"{name}" {"BIGINT" if dtype == pl.Int64 else "VARCHAR"}'
    for name, dtype in QUARANTINE_COLUMNS.items()
)


def write_raw_table(
    conn: duckdb.DuckDBPyConnection,
    source_table: str,
    accepted: pl.DataFrame,
    quarantine: pl.DataFrame,
) -> None:
    """Replace ``raw.<source_table>`` and that table's quarantine rows atomically."""
    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    conn.execute(f"CREATE TABLE IF NOT EXISTS {QUARANTINE_TABLE} ({_QUARANTINE_DDL})")
    conn.register("_c360_accepted", accepted)
    conn.register("_c360_quarantine", quarantine)
    try:
        conn.execute("BEGIN TRANSACTION")
        conn.execute(
            f'CREATE OR REPLACE TABLE {RAW_SCHEMA}."{source_table}" AS SELECT * FROM _c360_accepted'
        )
        conn.execute(f"DELETE FROM {QUARANTINE_TABLE} WHERE source_table = ?", [source_table])
        conn.execute(f"INSERT INTO {QUARANTINE_TABLE} SELECT * FROM _c360_quarantine")
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.unregister("_c360_accepted")
        conn.unregister("_c360_quarantine")


def stored_row_counts(conn: duckdb.DuckDBPyConnection, source_table: str) -> tuple[int, int]:
    """Rows of ``source_table`` now in the warehouse: (accepted, distinct quarantined rows)."""
    accepted = conn.sql(f'SELECT count(*) FROM {RAW_SCHEMA}."{source_table}"').fetchall()[0][0]
    quarantined = conn.execute(
        f"SELECT count(DISTINCT row_number) FROM {QUARANTINE_TABLE} WHERE source_table = ?",
        [source_table],
    ).fetchall()[0][0]
    return int(accepted), int(quarantined)

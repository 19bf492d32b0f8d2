"""The numbers behind the resolution quality report, read from the warehouse in DuckDB.

Counts, rankings and histograms are aggregated where the data lives (DuckDB), so the report
costs the same few queries at a thousand records or a million and only the rows the page
shows come back to Python. Field completeness runs in polars on the identity records the
report already holds for Splink.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import polars as pl

from resolution._warehouse import QUARANTINE_TABLE
from resolution.identity import IDENTITY_SCHEMA
from schemas.reports import ResolutionQualityHistory

REPORTS_SCHEMA = "reports"
HISTORY_TABLE = f"{REPORTS_SCHEMA}.resolution_quality_history"
HISTORY_COLUMNS = {
    name: column.dtype.type for name, column in ResolutionQualityHistory.to_schema().columns.items()
}
REDUNDANT_REQUESTS_TABLE = ("activation", "redundant_requests")
REDUNDANT_REQUESTS_COLUMNS = ("source_table", "field")
"""The columns the scorecard groups activation.redundant_requests by (one row per request,
as schemas/activation.py's RedundantRequests declares them)."""
PROBABILITY_BINS = 100
"""Histogram bins over [0, 1]: 0.01 wide, fine enough to show the near misses by hundredth."""


@dataclass(frozen=True)
class Headline:
    """The numbers a run is judged by at a glance, and the history keeps per run."""

    records: int
    customers: int
    match_rate: float
    largest_customer_records: int
    quarantined_rows: int

    def as_dict(self) -> dict[str, float]:
        return {
            "records": self.records,
            "customers": self.customers,
            "match_rate": self.match_rate,
            "largest_customer_records": self.largest_customer_records,
            "quarantined_rows": self.quarantined_rows,
        }


def table_exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether ``schema.table`` is in the warehouse (some tables are built by later steps)."""
    found = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchall()
    return bool(found[0][0])


def headline(conn: duckdb.DuckDBPyConnection) -> Headline:
    """Records, customers, match rate (share of records in a multi-record customer), the
    largest customer, and distinct quarantined source rows."""
    records, customers, matched, largest = conn.sql(
        f"""
        WITH sizes AS (
            SELECT customer_id, count(*) AS n FROM {IDENTITY_SCHEMA}.identity_map GROUP BY ALL
        )
        SELECT coalesce(sum(n), 0), count(*), coalesce(sum(n) FILTER (WHERE n > 1), 0),
               coalesce(max(n), 0)
        FROM sizes
        """
    ).fetchall()[0]
    quarantined = conn.sql(
        f"SELECT count(*) FROM (SELECT DISTINCT source_table, row_number FROM {QUARANTINE_TABLE})"
    ).fetchall()[0][0]
    return Headline(
        records=int(records),
        customers=int(customers),
        match_rate=float(matched / records) if records else 0.0,
        largest_customer_records=int(largest),
        quarantined_rows=int(quarantined),
    )


def probability_histogram(conn: duckdb.DuckDBPyConnection, threshold: float) -> pl.DataFrame:
    """Scored candidate pairs per probability bin, linked or not at ``threshold``.

    A bin the threshold cuts through is split at the threshold, so every bar is wholly on
    one side of the decision.
    """
    return conn.sql(
        f"""
        WITH binned AS (
            SELECT least(floor(match_probability * $bins), $bins - 1) / $bins AS start,
                   match_probability >= $threshold AS linked
            FROM {IDENTITY_SCHEMA}.candidate_pairs
        )
        SELECT CASE WHEN linked THEN greatest(start, $threshold) ELSE start END AS bin_start,
               CASE WHEN linked THEN start + 1 / $bins
                    ELSE least(start + 1 / $bins, $threshold) END AS bin_end,
               CASE WHEN linked THEN 'linked (at or above threshold)'
                    ELSE 'not linked (below threshold)' END AS decision,
               count(*) AS pairs
        FROM binned
        GROUP BY ALL
        ORDER BY bin_start
        """,
        params={"bins": PROBABILITY_BINS, "threshold": threshold},
    ).pl()


def largest_customers(conn: duckdb.DuckDBPyConnection, limit: int) -> pl.DataFrame:
    """The customers holding the most records: where an over-merge would show first."""
    return conn.sql(
        f"""
        SELECT customer_id, count(*) AS records
        FROM {IDENTITY_SCHEMA}.identity_map
        GROUP BY ALL
        ORDER BY records DESC, customer_id
        LIMIT ?
        """,
        params=[limit],
    ).pl()


def weakest_merges(conn: duckdb.DuckDBPyConnection, limit: int) -> pl.DataFrame:
    """Customers whose weakest accepted link has the lowest match weight.

    One weak link is enough to join two people, so these are the merges most worth a look.
    Links the guard refused are not part of any customer and are left out.
    """
    return conn.sql(
        f"""
        WITH accepted AS (
            SELECT links.*
            FROM {IDENTITY_SCHEMA}.record_links AS links
            ANTI JOIN {IDENTITY_SCHEMA}.refused_links AS refused
                USING (record_key_l, record_key_r)
        )
        SELECT ids.customer_id,
               min(accepted.match_weight) AS weakest_link_weight,
               arg_min(accepted.match_probability, accepted.match_weight)
                   AS weakest_link_probability,
               arg_min(accepted.rule, accepted.match_weight) AS weakest_link_rule
        FROM accepted
        JOIN {IDENTITY_SCHEMA}.identity_map AS ids ON ids.record_key = accepted.record_key_l
        GROUP BY ALL
        ORDER BY weakest_link_weight, ids.customer_id
        LIMIT ?
        """,
        params=[limit],
    ).pl()


def refused_merges(conn: duckdb.DuckDBPyConnection, limit: int) -> pl.DataFrame:
    """Customers on either side of the strongest links the clustering guard refused.

    A refused link is a possible split: twins and namesakes should stay apart, but a typo in
    a birth date also keeps one person in two customers.
    """
    return conn.sql(
        f"""
        WITH sides AS (
            SELECT record_key_l AS record_key, match_probability, refused_because
            FROM {IDENTITY_SCHEMA}.refused_links
            UNION ALL
            SELECT record_key_r, match_probability, refused_because
            FROM {IDENTITY_SCHEMA}.refused_links
        )
        SELECT ids.customer_id,
               count(*) AS refused_links,
               max(sides.match_probability) AS strongest_refused_probability,
               string_agg(DISTINCT sides.refused_because, '; ' ORDER BY sides.refused_because)
                   AS refused_because
        FROM sides
        JOIN {IDENTITY_SCHEMA}.identity_map AS ids USING (record_key)
        GROUP BY ALL
        ORDER BY strongest_refused_probability DESC, refused_links DESC, ids.customer_id
        LIMIT ?
        """,
        params=[limit],
    ).pl()


def customer_profiles(conn: duckdb.DuckDBPyConnection, customer_ids: Sequence[str]) -> pl.DataFrame:
    """Who each listed customer appears to be: the most common name, records and sources."""
    return conn.sql(
        f"""
        SELECT ids.customer_id,
               concat_ws(' ', mode(records.first_name), mode(records.last_name)) AS name,
               count(*) AS records,
               string_agg(DISTINCT records.source_system, ', ' ORDER BY records.source_system)
                   AS sources
        FROM {IDENTITY_SCHEMA}.identity_map AS ids
        JOIN {IDENTITY_SCHEMA}.identity_records AS records USING (record_key)
        WHERE list_contains(?, ids.customer_id)
        GROUP BY ALL
        """,
        params=[list(customer_ids)],
    ).pl()


def field_completeness(records: pl.DataFrame, fields: Sequence[str]) -> pl.DataFrame:
    """Share of each source system's records with a usable value in each field.

    Standardisation already removed placeholders and invalid values, so an empty cell here
    is a field the source cannot contribute to matching.
    """
    return (
        records.group_by("source_system")
        .agg(
            pl.len().alias("records"),
            *[pl.col(field).is_not_null().mean().alias(field) for field in fields],
        )
        .sort("source_system")
    )


def quarantine_counts(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Quarantine entries per source table, field and failed check (a row can fail several)."""
    return conn.sql(
        f"""
        SELECT source_table, field, "check", count(*) AS entries
        FROM {QUARANTINE_TABLE}
        GROUP BY ALL
        ORDER BY source_table, entries DESC, field, "check"
        """
    ).pl()


def redundant_requests(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame | str:
    """Redundant requests per source and field, or why they cannot be shown yet."""
    schema, table = REDUNDANT_REQUESTS_TABLE
    name = f"{schema}.{table}"
    if not table_exists(conn, schema, table):
        return f"{name} is not built in this warehouse yet."
    columns = set(conn.sql(f"SELECT * FROM {name} LIMIT 0").columns)
    missing = [column for column in REDUNDANT_REQUESTS_COLUMNS if column not in columns]
    if missing:
        return f"{name} has no column(s) {', '.join(missing)} to group by."
    source, field = REDUNDANT_REQUESTS_COLUMNS
    return conn.sql(
        f"""
        SELECT {source}, {field}, count(*) AS requests
        FROM {name}
        GROUP BY ALL
        ORDER BY requests DESC, {source}, {field}
        """
    ).pl()


def append_history(conn: duckdb.DuckDBPyConnection, row: pl.DataFrame) -> tuple[int, int]:
    """Append one validated headline row; returns the history's row count before and after."""
    ResolutionQualityHistory.validate(row)
    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {REPORTS_SCHEMA}")
    conn.register("_c360_history_row", row)
    try:
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {HISTORY_TABLE} AS SELECT * FROM _c360_history_row LIMIT 0"
        )
        before = _count(conn, HISTORY_TABLE)
        conn.execute(f"INSERT INTO {HISTORY_TABLE} BY NAME SELECT * FROM _c360_history_row")
        return before, _count(conn, HISTORY_TABLE)
    finally:
        conn.unregister("_c360_history_row")


def read_history(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every report's headline row, oldest first, typed as the model says (times in UTC)."""
    if not table_exists(conn, *HISTORY_TABLE.split(".")):
        return pl.DataFrame(schema=HISTORY_COLUMNS)
    stored = conn.sql(f"SELECT * FROM {HISTORY_TABLE} ORDER BY run_at").pl()
    return stored.select(pl.col(name).cast(dtype) for name, dtype in HISTORY_COLUMNS.items())


def _count(conn: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(conn.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0])

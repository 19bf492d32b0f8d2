"""Requests for details we already held: the KPI c360 exists to drive down.

Every web form submission and support ticket lists the fields it asked the person for. A
request is redundant when, at the moment it was made, some earlier source record of the
same customer already held a valid value for that field. Field names the profile cannot
hold (order numbers, account numbers) are never redundant.
"""

from __future__ import annotations

import duckdb
import polars as pl

from resolution.activation._policy import KNOWABLE_FIELDS, REQUESTED_FIELD_NAMES

_REDUNDANT_SQL = """
WITH renamed AS (
    SELECT * FROM (VALUES {renames}) AS t(requested_name, field)
),
requests AS (
    SELECT 'web_events' AS source_table, event_id AS source_record_id, form_id AS requested_by,
           "timestamp" AS requested_at,
           unnest(string_split(fields_requested, ';')) AS requested_name
    FROM raw.web_events WHERE event_type = 'form_submit' AND fields_requested IS NOT NULL
    UNION ALL
    SELECT 'support_tickets', ticket_id, 'support:' || coalesce(channel, 'unknown'), created_at,
           unnest(string_split(requested_fields, ';'))
    FROM raw.support_tickets WHERE requested_fields IS NOT NULL
),
resolved AS (
    SELECT m.customer_id, q.source_table, q.source_record_id, q.requested_by, q.requested_at,
           coalesce(r.field, trim(q.requested_name)) AS field
    FROM requests q
    JOIN identity.source_identity_map m
      ON m.source_table = q.source_table AND m.source_record_id = q.source_record_id
    LEFT JOIN renamed r ON r.requested_name = trim(q.requested_name)
    WHERE m.customer_id IS NOT NULL
)
SELECT r.customer_id, r.source_table, r.source_record_id, r.requested_by, r.requested_at,
       r.field, k.known_since, k.known_from_table, k.known_from_record_id
FROM resolved r
JOIN profile.field_known_since k USING (customer_id, field)
WHERE list_contains($fields, r.field) AND k.known_since < r.requested_at
ORDER BY r.requested_at, r.source_record_id, r.field
"""


def redundant_requests(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Each request for a field the customer's earlier records already held.

    Columns: customer_id, source_table, source_record_id, requested_by (form id or
    support channel), requested_at, field, known_since, known_from_table,
    known_from_record_id. Erased customers are absent: their known fields are forgotten.
    """
    renames = ", ".join(f"('{name}', '{field}')" for name, field in REQUESTED_FIELD_NAMES.items())
    return conn.sql(
        _REDUNDANT_SQL.format(renames=renames), params={"fields": list(KNOWABLE_FIELDS)}
    ).pl()


def redundant_request_counts(redundant: pl.DataFrame) -> pl.DataFrame:
    """Redundant requests per source, field and month: the trend the KPI is read from."""
    return (
        redundant.with_columns(pl.col("requested_at").dt.truncate("1mo").alias("month"))
        .group_by("source_table", "field", "month")
        .len("requests")
        .sort("month", "source_table", "field")
    )

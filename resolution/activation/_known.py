"""What we already know about each person, so nobody is asked for it again.

A value counts as known when the profile holds it; it is fresh while its source record is
younger than ``known_field_max_age_days``. A form can skip a fresh field, should show a
stale one prefilled for confirmation, and must ask for an unknown one.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from resolution.activation._policy import KNOWABLE_FIELDS, REQUESTED_FIELD_NAMES

_KNOWN_FIELDS_SQL = """
WITH fields AS (SELECT unnest($fields) AS field)
SELECT p.customer_id, f.field, l.value IS NOT NULL AS known, l.value,
       l.source_system, l.source_table, l.source_record_id, l.observed_at,
       CAST(date_diff('day', l.observed_at, $now) AS INTEGER) AS age_days,
       coalesce(date_diff('day', l.observed_at, $now) <= $max_age, FALSE) AS fresh
FROM profile.customer_profile p CROSS JOIN fields f
LEFT JOIN profile.profile_field_lineage l ON l.customer_id = p.customer_id AND l.field = f.field
WHERE $customer_id IS NULL OR p.customer_id = $customer_id
ORDER BY p.customer_id, f.field
"""


def known_fields(
    conn: duckdb.DuckDBPyConnection,
    reference_time: datetime,
    max_age_days: int,
    customer_id: str | None = None,
) -> pl.DataFrame:
    """One row per customer and knowable field: known?, value, source, age, fresh?.

    Every customer, or only ``customer_id`` (the command line asks about one person).
    """
    return conn.sql(
        _KNOWN_FIELDS_SQL,
        params={
            "fields": list(KNOWABLE_FIELDS),
            "now": reference_time,
            "max_age": max_age_days,
            "customer_id": customer_id,
        },
    ).pl()


def form_field_actions(known: pl.DataFrame, form_fields: list[str]) -> pl.DataFrame:
    """For each customer and form field: ``skip`` (fresh), ``prefill`` (stale) or ``ask``.

    ``form_fields`` uses the form's own names (``address`` for the postal address); a field
    the profile cannot hold is always asked. ``value`` is given only to prefill.
    """
    wanted = pl.DataFrame(
        {
            "form_field": form_fields,
            "field": [REQUESTED_FIELD_NAMES.get(name, name) for name in form_fields],
        }
    )
    customers = known.select("customer_id").unique()
    grid = customers.join(wanted, how="cross").join(
        known.select("customer_id", "field", "known", "fresh", "value"),
        on=["customer_id", "field"],
        how="left",
    )
    action = (
        pl.when(pl.col("known") & pl.col("fresh"))
        .then(pl.lit("skip"))
        .when(pl.col("known"))
        .then(pl.lit("prefill"))
        .otherwise(pl.lit("ask"))
    )
    return grid.select(
        "customer_id",
        "form_field",
        action.alias("action"),
        pl.when(action == "prefill").then(pl.col("value")).alias("prefill_value"),
    ).sort("customer_id", "form_field")

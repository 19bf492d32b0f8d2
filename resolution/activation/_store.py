"""Activation tables in the warehouse (``activation`` schema), each replaced whole."""

from __future__ import annotations

import duckdb
import polars as pl

ACTIVATION_SCHEMA = "activation"

ACTIVATION_TABLE_DESCRIPTIONS = {
    "personalization_feed": "One row per customer marketing may contact: segment, lifecycle "
    "stage, preferred channel, topics of interest, products, next product to offer and the "
    "personalisation tokens campaigns use.",
    "suppressions": "Every reason a customer may not be contacted (unsubscribed, do not "
    "contact, no consent, undeliverable, open urgent ticket); erasures as tombstone hashes.",
    "known_fields": "Per customer and field: whether c360 already holds it, the value's "
    "source and age, and whether it is fresh enough not to ask again.",
    "redundant_requests": "Each form submission or support ticket that asked for a detail an "
    "earlier record already held: the number c360 exists to drive down.",
    "form_prefill": "Per form, known person and form field: skip, prefill or ask.",
}


def write_activation_table(conn: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    """Replace ``activation.<name>`` with ``frame``."""
    if name not in ACTIVATION_TABLE_DESCRIPTIONS:
        raise KeyError(f"unknown activation table {name!r}")
    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {ACTIVATION_SCHEMA}")
    conn.register("_c360_activation", frame)
    try:
        conn.execute(
            f"CREATE OR REPLACE TABLE {ACTIVATION_SCHEMA}.{name} AS SELECT * FROM _c360_activation"
        )
    finally:
        conn.unregister("_c360_activation")

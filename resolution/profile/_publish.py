"""Store the profile tables in the warehouse, all or none."""

from __future__ import annotations

from dataclasses import fields

import duckdb

from resolution.profile._build import ProfileTables

PROFILE_SCHEMA = "profile"

TABLE_DESCRIPTIONS = {
    "customer_profile": "One golden row per customer: best contact details, lifecycle stage, "
    "account and owner, products, consent and per-channel engagement.",
    "profile_field_lineage": "For each profile field: the value chosen, the source record and "
    "time it came from, the survivorship rule that chose it, and how many records agree.",
    "lifecycle_history": "Each customer's lifecycle transitions with the date and the evidence.",
    "customer_products": "Every subscription a customer holds, personally or through the account.",
    "account": "One row per CRM account: contacts, owner, products and open support tickets.",
}


def write_profile_tables(conn: duckdb.DuckDBPyConnection, tables: ProfileTables) -> None:
    """Replace the warehouse's ``profile.*`` tables together, in one transaction."""
    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {PROFILE_SCHEMA}")
    names = [item.name for item in fields(tables)]
    for name in names:
        conn.register(f"_c360_{name}", getattr(tables, name))
    try:
        conn.execute("BEGIN TRANSACTION")
        for name in names:
            conn.execute(
                f"CREATE OR REPLACE TABLE {PROFILE_SCHEMA}.{name} AS SELECT * FROM _c360_{name}"
            )
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    finally:
        for name in names:
            conn.unregister(f"_c360_{name}")

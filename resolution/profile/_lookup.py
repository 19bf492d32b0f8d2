"""Find one customer by email or id and gather what the profile says about them.

The command line and support tools ask about one person at a time; the answer is the
profile row, the lineage of each of its fields, and the source records behind it, so the
reader can see both the value and why it was chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from resolution.normalise import normalise_email


@dataclass(frozen=True)
class CustomerView:
    """One customer's profile, field lineage and identity records."""

    profile: dict[str, object]
    lineage: pl.DataFrame
    records: pl.DataFrame


def find_customer(
    conn: duckdb.DuckDBPyConnection, *, email: str | None = None, customer_id: str | None = None
) -> str | None:
    """The customer id for an email address (any spelling the sources use) or an id.

    An id that was merged into another customer is followed through
    ``identity.customer_id_history`` to the customer that holds it now.
    """
    if customer_id is not None:
        return _current_id(conn, customer_id)
    if email is None:
        raise ValueError("give an email or a customer id")
    key = normalise_email(pl.Series([email], dtype=pl.String)).item(0, "email_match_key")
    found = conn.sql(
        """
        SELECT m.customer_id, count(*) AS records
        FROM identity.identity_records r JOIN identity.identity_map m USING (record_key)
        JOIN profile.customer_profile p ON p.customer_id = m.customer_id
        WHERE r.email_key = $key OR r.alt_email_key = $key OR r.email = lower(trim($email))
        GROUP BY m.customer_id ORDER BY records DESC, m.customer_id
        """,
        params={"key": key, "email": email},
    ).fetchall()
    return str(found[0][0]) if found else None


def customer_view(conn: duckdb.DuckDBPyConnection, customer_id: str) -> CustomerView:
    """Profile row, lineage and identity records of one customer (who must exist)."""
    params = {"id": customer_id}
    profile = conn.sql(
        "SELECT * FROM profile.customer_profile WHERE customer_id = $id", params=params
    ).pl()
    if profile.is_empty():
        raise KeyError(f"no customer {customer_id} in profile.customer_profile")
    lineage = conn.sql(
        "SELECT field, value, source_system, source_record_id, observed_at, rule, "
        "agreeing_records, disagreeing_records, agreeing_sources, disagreeing_sources "
        "FROM profile.profile_field_lineage "
        "WHERE customer_id = $id ORDER BY field",
        params=params,
    ).pl()
    records = conn.sql(
        "SELECT r.source_system, r.source_table, r.source_record_id, r.observed_at, "
        "r.first_name, r.last_name, r.email, r.phone, r.company "
        "FROM identity.identity_records r JOIN identity.identity_map m USING (record_key) "
        "WHERE m.customer_id = $id ORDER BY r.observed_at NULLS LAST, r.record_key",
        params=params,
    ).pl()
    return CustomerView(profile=profile.row(0, named=True), lineage=lineage, records=records)


def _current_id(conn: duckdb.DuckDBPyConnection, customer_id: str) -> str | None:
    """Follow merges run by run (most records moved first) until a profile holds the id."""
    seen: set[str] = set()
    current: str | None = customer_id
    while current is not None and current not in seen:
        seen.add(current)
        exists = conn.sql(
            "SELECT 1 FROM profile.customer_profile WHERE customer_id = $id",
            params={"id": current},
        ).fetchall()
        if exists:
            return current
        successor = conn.sql(
            "SELECT customer_id FROM identity.customer_id_history "
            "WHERE previous_customer_id = $id AND customer_id IS NOT NULL "
            "ORDER BY resolved_at DESC, records_moved DESC LIMIT 1",
            params={"id": current},
        ).fetchall()
        current = str(successor[0][0]) if successor else None
    return None

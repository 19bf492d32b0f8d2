"""Right to erasure: forget a person everywhere, and stay forgotten.

An erasure request names a person by email or customer id. Every identifier of that
customer (personal email addresses, CRM contact ids) is kept only as a salted SHA-256
tombstone in ``governance.erasure_tombstones``; the request file itself can then be
deleted. Each run, any customer carrying a tombstoned identifier is left out of every
profile output and the published database, so the next export from the CRM or the email
platform cannot bring the person back.
"""

from __future__ import annotations

import csv
import secrets
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from resolution._read import SourceFileError
from resolution.normalise import normalise_email

GOVERNANCE_SCHEMA = "governance"
TOMBSTONES_TABLE = f"{GOVERNANCE_SCHEMA}.erasure_tombstones"
_SALT_TABLE = f"{GOVERNANCE_SCHEMA}.erasure_salt"

_CUSTOMER_IDENTIFIERS_SQL = """
SELECT m.customer_id, 'email:' || r.email_key AS identifier
FROM identity.identity_records r JOIN identity.identity_map m USING (record_key)
WHERE r.email_key IS NOT NULL
UNION ALL
SELECT m.customer_id, 'email:' || r.alt_email_key
FROM identity.identity_records r JOIN identity.identity_map m USING (record_key)
WHERE r.alt_email_key IS NOT NULL
UNION ALL
SELECT m.customer_id, 'crm_contact:' || r.source_record_id
FROM identity.identity_records r JOIN identity.identity_map m USING (record_key)
WHERE r.source_table = 'crm_contacts'
"""


def read_erasure_requests(path: Path) -> pl.DataFrame:
    """The erasure list: a CSV with an ``email`` and/or a ``customer_id`` column.

    A missing file means no requests. Each row must name a person; a file without either
    column, or a row with neither value, is refused with the file and line, because a
    request silently skipped is a person not erased.
    """
    empty = pl.DataFrame(schema={"email": pl.String, "customer_id": pl.String})
    if not path.exists():
        return empty
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns = set(reader.fieldnames or [])
        if not columns & {"email", "customer_id"}:
            raise SourceFileError(
                path,
                "the erasure list needs an 'email' or a 'customer_id' column; "
                f"found {sorted(columns)}",
            )
        rows = []
        for line, row in enumerate(reader, start=2):
            email = (row.get("email") or "").strip() or None
            customer_id = (row.get("customer_id") or "").strip() or None
            if email is None and customer_id is None:
                raise SourceFileError(path, f"line {line}: no email and no customer_id")
            rows.append({"email": email, "customer_id": customer_id})
    return pl.DataFrame(rows, schema=empty.schema) if rows else empty


def record_erasure_requests(
    conn: duckdb.DuckDBPyConnection, requests: pl.DataFrame, salt: str, now: datetime
) -> int:
    """Tombstone every identifier of each requested person; returns tombstones added.

    A request by email also tombstones the address itself, so a person not (yet) in the
    data is still kept out when they arrive.
    """
    emails = normalise_email(requests.get_column("email"))
    requested = pl.concat(
        [
            requests.select(pl.col("customer_id").alias("value"), pl.lit("customer").alias("kind")),
            pl.DataFrame(
                {"value": "email:" + emails.get_column("email_match_key"), "kind": "identifier"}
            ),
        ]
    ).drop_nulls()
    conn.register("_c360_requested", requested)
    try:
        identifiers = conn.sql(
            f"""
            WITH ids AS ({_CUSTOMER_IDENTIFIERS_SQL}),
            customers AS (
                SELECT value AS customer_id FROM _c360_requested WHERE kind = 'customer'
                UNION
                SELECT ids.customer_id FROM ids
                JOIN _c360_requested q ON q.kind = 'identifier' AND q.value = ids.identifier
            )
            SELECT identifier FROM ids SEMI JOIN customers USING (customer_id)
            UNION
            SELECT value FROM _c360_requested WHERE kind = 'identifier'
            """
        ).pl()
    finally:
        conn.unregister("_c360_requested")
    ensure_tombstones_table(conn)
    before = _count(conn, TOMBSTONES_TABLE)
    conn.register("_c360_identifiers", identifiers)
    try:
        conn.execute(
            f"""
            INSERT INTO {TOMBSTONES_TABLE}
            SELECT DISTINCT sha256($salt || identifier), $now FROM _c360_identifiers
            WHERE sha256($salt || identifier) NOT IN (
                SELECT identifier_hash FROM {TOMBSTONES_TABLE}
            )
            """,
            {"salt": salt, "now": now},
        )
    finally:
        conn.unregister("_c360_identifiers")
    return _count(conn, TOMBSTONES_TABLE) - before


def erased_customers(conn: duckdb.DuckDBPyConnection, salt: str) -> pl.DataFrame:
    """Customers of this run that carry any tombstoned identifier (column customer_id)."""
    ensure_tombstones_table(conn)
    return conn.sql(
        f"""
        WITH ids AS ({_CUSTOMER_IDENTIFIERS_SQL})
        SELECT DISTINCT ids.customer_id FROM ids
        JOIN {TOMBSTONES_TABLE} t ON t.identifier_hash = sha256($salt || ids.identifier)
        ORDER BY 1
        """,
        params={"salt": salt},
    ).pl()


def erasure_salt(conn: duckdb.DuckDBPyConnection, configured: str = "") -> str:
    """The salt for tombstones: the configured secret, else one generated per warehouse.

    Set a secret (``C360_ERASURE_SALT``) in production so that the warehouse alone cannot
    be used to test whether an address was erased; the generated salt keeps the bundled
    sample working with no set-up. Changing the salt orphans existing tombstones.
    """
    if configured:
        return configured
    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {GOVERNANCE_SCHEMA}")
    conn.execute(f"CREATE TABLE IF NOT EXISTS {_SALT_TABLE} (salt VARCHAR NOT NULL)")
    stored = conn.sql(f"SELECT salt FROM {_SALT_TABLE}").fetchall()
    if stored:
        return str(stored[0][0])
    salt = secrets.token_hex(32)
    conn.execute(f"INSERT INTO {_SALT_TABLE} VALUES (?)", [salt])
    return salt


def ensure_tombstones_table(conn: duckdb.DuckDBPyConnection) -> None:
    """The tombstone table exists from the first run on, empty until someone is erased."""
    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {GOVERNANCE_SCHEMA}")
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {TOMBSTONES_TABLE} "
        "(identifier_hash VARCHAR NOT NULL, erased_at TIMESTAMPTZ NOT NULL)"
    )


def _count(conn: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(conn.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def requests_not_honoured(
    conn: duckdb.DuckDBPyConnection, requests: pl.DataFrame, erased: pl.DataFrame
) -> int:
    """Requests whose person is in this run's data but not among the erased customers.

    Zero when erasure works; the asset check fails on anything else.
    """
    emails = normalise_email(requests.get_column("email")).get_column("email_match_key")
    conn.register(
        "_c360_requests",
        pl.DataFrame({"customer_id": requests.get_column("customer_id"), "email_key": emails}),
    )
    conn.register("_c360_erased", erased)
    try:
        return int(
            conn.sql(
                """
                SELECT count(*) FROM _c360_requests q
                WHERE EXISTS (
                    SELECT 1 FROM identity.identity_map m
                    LEFT JOIN identity.identity_records r USING (record_key)
                    WHERE (m.customer_id = q.customer_id OR r.email_key = q.email_key
                           OR r.alt_email_key = q.email_key)
                      AND m.customer_id NOT IN (SELECT customer_id FROM _c360_erased)
                )
                """
            ).fetchall()[0][0]
        )
    finally:
        conn.unregister("_c360_requests")
        conn.unregister("_c360_erased")

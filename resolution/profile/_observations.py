"""Every value the sources hold for a profile field, one row per record and field.

Survivorship chooses among these rows, and lineage points back at them, so each row says
where it came from (source system, table, record, when) and whether it passed validation.
``value`` is what a person reads (the source's own spelling, tidied); ``match_value`` is
the standardised form used to see whether two sources agree.
"""

from __future__ import annotations

import duckdb
import polars as pl

from resolution.identity import read_raw_identity_records

OBSERVATION_COLUMNS = [
    "customer_id",
    "field",
    "value",
    "match_value",
    "valid",
    "record_key",
    "source_system",
    "source_table",
    "source_record_id",
    "observed_at",
]

_UNDELIVERABLE_EMAILS_SQL = """
SELECT DISTINCT lower(trim(email)) AS email FROM raw.email_events
WHERE event_type = 'bounce' AND bounce_type = 'hard'
UNION
SELECT lower(trim(email)) FROM raw.email_subscribers WHERE status = 'cleaned'
"""


def undeliverable_emails(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Addresses the email platform could not deliver to (hard bounce or cleaned)."""
    return conn.sql(_UNDELIVERABLE_EMAILS_SQL).pl()


def display_records(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Each identity record's fields as its source spells them, for people to read.

    Names a source keeps in one field (support requesters, social display names) come from
    the split identity resolution already made (``identity.identity_records``), since
    splitting again would cost more than the rest of the profile; all-lower or all-upper
    names are title-cased.
    """
    raw = read_raw_identity_records(conn).join(
        conn.sql(
            "SELECT record_key, first_name AS split_first_name, last_name AS split_last_name "
            "FROM identity.identity_records"
        ).pl(),
        on="record_key",
        how="left",
    )
    # A record that came with no name has one only as its mailbox spells it (damian.thomas@):
    # that reading is for matching, not a name the person gave.
    named = pl.col("first_name").is_not_null() | pl.col("split_first_name").is_not_null()
    split_last_name = raw.select(pl.when(named).then("split_last_name")).to_series()
    return raw.select(
        "record_key",
        _display_name(raw.get_column("first_name"), raw.get_column("split_first_name")),
        _display_name(raw.get_column("last_name"), split_last_name),
        *(_tidy(pl.col(name)) for name in ("street", "city", "postcode", "company", "job_title")),
    )


def field_observations(
    conn: duckdb.DuckDBPyConnection, display: pl.DataFrame, undeliverable: pl.DataFrame
) -> pl.DataFrame:
    """Long table of candidate values: customer, field, value, validity and provenance.

    Reads ``identity.identity_records`` and ``identity.identity_map``; an email is valid
    when it is personal, not shared by several people and deliverable, a phone when it is
    not shared, a postal address when it has a street and a postcode or city.
    """
    conn.register("_c360_display", display)
    conn.register("_c360_undeliverable", undeliverable)
    try:
        return conn.sql(_OBSERVATIONS_SQL).pl()
    finally:
        conn.unregister("_c360_display")
        conn.unregister("_c360_undeliverable")


_OBSERVATIONS_SQL = """
WITH records AS (
    SELECT m.customer_id, r.*, d.first_name AS display_first_name,
           d.last_name AS display_last_name, d.street AS display_street,
           d.city AS display_city, d.postcode AS display_postcode,
           d.company AS display_company, d.job_title AS display_job_title,
           u.email IS NOT NULL AS undeliverable
    FROM identity.identity_records r
    JOIN identity.identity_map m USING (record_key)
    LEFT JOIN _c360_display d USING (record_key)
    LEFT JOIN _c360_undeliverable u ON u.email = r.email
),
observed AS (
    SELECT 'first_name' AS field, display_first_name AS value, given_name AS match_value,
           given_name IS NOT NULL AS valid, * FROM records WHERE display_first_name IS NOT NULL
    UNION ALL BY NAME
    SELECT 'last_name' AS field, display_last_name AS value, last_name AS match_value,
           last_name IS NOT NULL AS valid, * FROM records WHERE display_last_name IS NOT NULL
    UNION ALL BY NAME
    SELECT 'email' AS field, email AS value, coalesce(email_key, email) AS match_value,
           email_key IS NOT NULL AND NOT email_is_shared AND NOT undeliverable AS valid, *
    FROM records WHERE email IS NOT NULL
    UNION ALL BY NAME
    SELECT 'phone' AS field, phone AS value, phone AS match_value,
           NOT phone_is_shared AS valid, * FROM records WHERE phone IS NOT NULL
    UNION ALL BY NAME
    SELECT 'postal_address' AS field,
           concat_ws(', ', display_street, display_city, display_postcode) AS value,
           concat_ws('|', street, postcode, city) AS match_value,
           street IS NOT NULL AND (postcode IS NOT NULL OR city IS NOT NULL) AS valid, *
    FROM records WHERE display_street IS NOT NULL
    UNION ALL BY NAME
    SELECT 'country' AS field, country AS value, country AS match_value, TRUE AS valid, *
    FROM records WHERE country IS NOT NULL
    UNION ALL BY NAME
    SELECT 'company' AS field, display_company AS value,
           coalesce(company, lower(display_company)) AS match_value, TRUE AS valid, *
    FROM records WHERE display_company IS NOT NULL
    UNION ALL BY NAME
    SELECT 'job_title' AS field, display_job_title AS value,
           lower(display_job_title) AS match_value, TRUE AS valid, *
    FROM records WHERE display_job_title IS NOT NULL
    UNION ALL BY NAME
    SELECT 'birth_date' AS field, CAST(birth_date AS VARCHAR) AS value,
           CAST(birth_date AS VARCHAR) AS match_value, TRUE AS valid, *
    FROM records WHERE birth_date IS NOT NULL
)
SELECT customer_id, field, value, match_value, valid, record_key, source_system,
       source_table, source_record_id, observed_at
FROM observed
"""


def _tidy(column: pl.Expr) -> pl.Expr:
    """Collapse runs of whitespace; an empty string is no value."""
    tidy = column.cast(pl.String).str.replace_all(r"\s+", " ").str.strip_chars()
    return pl.when(tidy != "").then(tidy)


def _display_name(given: pl.Series, from_full_name: pl.Series) -> pl.Expr:
    name = _tidy(pl.lit(given)).fill_null(pl.lit(from_full_name))
    single_case = (name == name.str.to_lowercase()) | (name == name.str.to_uppercase())
    return pl.when(single_case).then(name.str.to_titlecase()).otherwise(name).alias(given.name)

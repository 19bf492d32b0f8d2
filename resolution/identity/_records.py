"""Canonical identity records: every source's people in one standardised shape.

One record per thing that identifies someone in a source: a CRM contact, a web form
submission, a browser cookie, an email subscriber (or an address seen only in campaign
events), a social profile, a support ticket. Events without identity of their own (page
views, opens, interactions, subscriptions) are not records; ``record_membership`` maps each
of them to the record it belongs to, so every source row ends with a customer id.

Extraction is SQL over the warehouse's ``raw`` tables; standardisation is polars with the
``resolution.normalise`` functions, which run library code once per distinct value.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import duckdb
import polars as pl

from resolution.identity._links import flag_shared_identifiers
from resolution.normalise import (
    canonical_given_name,
    canonical_last_name,
    company_as_its_addresses_spell_it,
    company_from_email_domain,
    given_name_from_usernames,
    given_name_spellings,
    last_name_from_handle,
    last_name_from_mailbox,
    names_from_mailbox,
    names_in_order,
    normalise_city,
    normalise_company,
    normalise_country,
    normalise_email,
    normalise_handle,
    normalise_name,
    normalise_phone,
    normalise_postcode,
    normalise_street,
    split_full_name,
)
from resolution.normalise._columns import where

_COUNTRY_OF_TOP_LEVEL_DOMAIN = {"uk": "GB", "de": "DE", "fr": "FR", "us": "US"}
"""Where a source has no country, the email's country domain says how to read a phone."""

_RAW_RECORDS_SQL = """
SELECT 'crm_contacts:' || c.contact_id AS record_key, 'crm' AS source_system,
       'crm_contacts' AS source_table, c.contact_id AS source_record_id,
       coalesce(c.updated_at, c.created_at) AS observed_at,
       c.first_name, c.last_name, NULL AS full_name, c.email, c.secondary_email AS alt_email,
       coalesce(c.mobile_phone, c.phone) AS phone, c.street, c.city, c.postcode, c.country,
       a.name AS company, c.job_title, c.birth_date, NULL AS social_handle,
       NULL AS anonymous_id, c.contact_id AS crm_contact_id,
       $not_duplicate_of AS crm_not_duplicate_of
FROM raw.crm_contacts c LEFT JOIN raw.crm_accounts a USING (account_id)
UNION ALL BY NAME
SELECT 'web_events:' || event_id AS record_key, 'web' AS source_system,
       'web_events' AS source_table, event_id AS source_record_id, "timestamp" AS observed_at,
       traits_first_name AS first_name, traits_last_name AS last_name,
       traits_email AS email, traits_phone AS phone, traits_country AS country,
       traits_company AS company, traits_job_title AS job_title, anonymous_id
FROM raw.web_events WHERE event_type = 'form_submit'
UNION ALL BY NAME
SELECT 'web_cookie:' || anonymous_id AS record_key, 'web' AS source_system,
       'web_events' AS source_table, anonymous_id AS source_record_id,
       min("timestamp") AS observed_at, anonymous_id
FROM (
    SELECT anonymous_id, "timestamp" FROM raw.web_events
    UNION ALL
    SELECT anonymous_id, "timestamp" FROM raw.email_events WHERE anonymous_id IS NOT NULL
)
GROUP BY anonymous_id
UNION ALL BY NAME
SELECT 'email_subscribers:' || subscriber_id AS record_key, 'email' AS source_system,
       'email_subscribers' AS source_table, subscriber_id AS source_record_id,
       coalesce(last_changed_at, opt_in_at) AS observed_at,
       first_name, last_name, email, country
FROM raw.email_subscribers
UNION ALL BY NAME
SELECT 'email_address:' || lower(trim(e.email)) AS record_key, 'email' AS source_system,
       'email_events' AS source_table, min(e.event_id) AS source_record_id,
       min(e."timestamp") AS observed_at, any_value(e.email) AS email
FROM raw.email_events e ANTI JOIN raw.email_subscribers s USING (subscriber_id)
GROUP BY lower(trim(e.email))
UNION ALL BY NAME
SELECT 'social_profile:' || platform || ':' || lower(handle) AS record_key,
       'social' AS source_system, 'social_interactions' AS source_table,
       platform || ':' || lower(handle) AS source_record_id,
       max("timestamp") AS observed_at,
       arg_max(display_name, "timestamp") AS full_name,
       arg_max(email, "timestamp") FILTER (WHERE email IS NOT NULL) AS email,
       arg_max(company, "timestamp") FILTER (WHERE company IS NOT NULL) AS company,
       lower(handle) AS social_handle
FROM raw.social_interactions
GROUP BY platform, lower(handle)
UNION ALL BY NAME
SELECT 'support_tickets:' || ticket_id AS record_key, 'support' AS source_system,
       'support_tickets' AS source_table, ticket_id AS source_record_id,
       created_at AS observed_at, requester_name AS full_name, requester_email AS email,
       requester_phone AS phone, company
FROM raw.support_tickets
"""

_MEMBERSHIP_SQL = """
SELECT 'crm_contacts' AS source_table, contact_id AS source_record_id,
       'crm_contacts:' || contact_id AS record_key
FROM raw.crm_contacts
UNION ALL
SELECT 'crm_subscriptions', s.subscription_id, 'crm_contacts:' || s.contact_id
FROM raw.crm_subscriptions s SEMI JOIN raw.crm_contacts c USING (contact_id)
UNION ALL
SELECT 'web_events', event_id,
       CASE WHEN event_type = 'form_submit' THEN 'web_events:' || event_id
            ELSE 'web_cookie:' || anonymous_id END
FROM raw.web_events
UNION ALL
SELECT 'email_subscribers', subscriber_id, 'email_subscribers:' || subscriber_id
FROM raw.email_subscribers
UNION ALL
SELECT 'email_events', e.event_id,
       CASE WHEN s.subscriber_id IS NOT NULL THEN 'email_subscribers:' || s.subscriber_id
            ELSE 'email_address:' || lower(trim(e.email)) END
FROM raw.email_events e LEFT JOIN raw.email_subscribers s USING (subscriber_id)
UNION ALL
SELECT 'social_interactions', interaction_id,
       'social_profile:' || platform || ':' || lower(handle)
FROM raw.social_interactions
UNION ALL
SELECT 'support_tickets', ticket_id, 'support_tickets:' || ticket_id
FROM raw.support_tickets
"""

_COOKIE_LINKS_SQL = """
SELECT DISTINCT 'web_events:' || event_id AS record_key_l,
       'web_cookie:' || anonymous_id AS record_key_r, 'form_submission_cookie' AS rule
FROM raw.web_events WHERE event_type = 'form_submit'
UNION ALL
SELECT DISTINCT
       CASE WHEN s.subscriber_id IS NOT NULL THEN 'email_subscribers:' || s.subscriber_id
            ELSE 'email_address:' || lower(trim(e.email)) END,
       'web_cookie:' || e.anonymous_id, 'email_click_cookie'
FROM raw.email_events e LEFT JOIN raw.email_subscribers s USING (subscriber_id)
WHERE e.event_type = 'click' AND e.anonymous_id IS NOT NULL
"""


@dataclass(frozen=True)
class IdentitySources:
    """What the warehouse says about identity, before any linking."""

    records: pl.DataFrame
    membership: pl.DataFrame
    cookie_links: pl.DataFrame


def read_raw_identity_records(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Identity columns of every source as text, one row per identity record, unstandardised.

    A warehouse loaded before CRM exports carried ``not_duplicate_of`` has no such column
    until its next load; its contacts then carry no marks rather than failing the run.
    """
    columns = {row[0] for row in conn.sql("DESCRIBE raw.crm_contacts").fetchall()}
    marks = "c.not_duplicate_of" if "not_duplicate_of" in columns else "NULL"
    return conn.sql(_RAW_RECORDS_SQL.replace("$not_duplicate_of", marks)).pl()


def read_identity_sources(conn: duckdb.DuckDBPyConnection) -> IdentitySources:
    """Extract and standardise identity records from the warehouse's ``raw`` tables."""
    raw = read_raw_identity_records(conn)
    return IdentitySources(
        records=standardise_records(raw),
        membership=conn.sql(_MEMBERSHIP_SQL).pl(),
        cookie_links=conn.sql(_COOKIE_LINKS_SQL).pl(),
    )


def standardise_records(raw: pl.DataFrame) -> pl.DataFrame:
    """Standardise raw identity columns into the canonical identity record.

    ``raw`` needs ``record_key`` and may carry any of: first_name, last_name, full_name,
    email, alt_email, phone, street, city, postcode, country, company, job_title,
    birth_date, social_handle, anonymous_id, crm_contact_id, crm_not_duplicate_of (missing
    ones are treated as empty). The last two are kept as they are: a CRM user's verdict
    that two contacts are different people is for the clustering guard to enforce. Email
    addresses and phones carried by different people are flagged shared here, where the
    whole record set is in view. This is also the entry point for ``c360 resolve``.
    """
    raw = _with_missing_columns(raw)
    with ThreadPoolExecutor(max_workers=2) as pool:
        # The primary email, then the phones and postcodes read in the country its domain
        # can supply, run beside the other columns: polars releases the GIL and each of
        # these one-column transforms keeps about one core busy. The names a mailbox
        # spells need only the email, so they are read while phones still are: at 1M
        # records 3.3-3.7 s instead of 3.8-4.0 s (one thread: 5.4 s).
        emailed = pool.submit(normalise_email, raw.get_column("email"))
        located = pool.submit(_location, raw, emailed)
        split = split_full_name(raw.get_column("full_name"))
        first = raw.get_column("first_name").fill_null(split.get_column("first_name"))
        last = raw.get_column("last_name").fill_null(split.get_column("last_name"))
        first, last = names_in_order(first, last).get_columns()
        first_name, given_name = normalise_name(first), canonical_given_name(first)
        handle = normalise_handle(raw.get_column("social_handle"))
        spellings = pl.select(
            pl.concat_str(given_name_spellings(first), given_name, separator="|")
        ).to_series()
        last_name = last_name_from_handle(handle, spellings, normalise_name(last))
        alt_email = normalise_email(raw.get_column("alt_email"))
        street = normalise_street(raw.get_column("street"))
        city = normalise_city(raw.get_column("city"))
        company = normalise_company(raw.get_column("company"))
        email = emailed.result()
        employer = _employer_of(email)
        company = company_as_its_addresses_spell_it(company, employer)
        own_address = _own_address(email)
        # An address that came with no name at all still spells one (damian.thomas84@).
        spelt = names_from_mailbox(where(first.is_null() & last.is_null(), own_address))
        given_name = given_name.fill_null(canonical_given_name(spelt.get_column("first_name")))
        last_name = canonical_last_name(
            last_name_from_mailbox(own_address, spellings, last_name).fill_null(
                spelt.get_column("last_name")
            )
        )
        given_name = given_name_from_usernames(given_name, spellings, handle, own_address)
        country, phone, postcode = located.result()
    standardised = raw.select(
        "record_key",
        "source_system",
        "source_table",
        "source_record_id",
        pl.col("observed_at").dt.convert_time_zone("UTC"),
    ).with_columns(
        first_name.alias("first_name"),
        given_name.alias("given_name"),
        last_name.alias("last_name"),
        email.get_column("email").alias("email"),
        pl.when(email.get_column("email_is_personal"))
        .then(email.get_column("email_match_key"))
        .alias("email_key"),
        pl.when(alt_email.get_column("email_is_personal"))
        .then(alt_email.get_column("email_match_key"))
        .alias("alt_email_key"),
        email.get_column("email_domain").alias("email_domain"),
        email.get_column("email_is_role").alias("email_is_role"),
        email.get_column("email_is_freemail").alias("email_is_freemail"),
        phone.alias("phone"),
        street.alias("street"),
        city.alias("city"),
        postcode.alias("postcode"),
        country,
        company.alias("company"),
        employer.alias("employer"),
        raw.get_column("job_title").str.strip_chars().alias("job_title"),
        raw.get_column("birth_date").cast(pl.Date).alias("birth_date"),
        handle.alias("social_handle"),
        raw.get_column("anonymous_id").alias("anonymous_id"),
        raw.get_column("crm_contact_id").alias("crm_contact_id"),
        raw.get_column("crm_not_duplicate_of").alias("crm_not_duplicate_of"),
    )
    return flag_shared_identifiers(standardised)


def _location(
    raw: pl.DataFrame, emailed: Future[pl.DataFrame]
) -> tuple[pl.Series, pl.Series, pl.Series]:
    """The country (stated, else the primary email's country domain), and the phone and
    postcode read in that country; ``emailed`` is the primary email's fields."""
    top_level_domain = emailed.result().get_column("email_domain").str.extract(r"\.([a-z]+)$")
    country = normalise_country(raw.get_column("country")).fill_null(
        top_level_domain.replace_strict(_COUNTRY_OF_TOP_LEVEL_DOMAIN, default=None)
    )
    phone = normalise_phone(raw.get_column("phone"), country)
    postcode = normalise_postcode(raw.get_column("postcode"), country)
    return country, phone, postcode


def _own_address(email: pl.DataFrame) -> pl.Series:
    """The address where it is someone's own (not a role address nor a placeholder), with
    any ``+tag`` dropped: ``oliverthompson+spam@`` spells a name, the tag does not."""
    own = ~email.get_column("email_is_role") & ~email.get_column("email_is_placeholder")
    untagged = pl.col("email").str.replace(r"\+[^@]*@", "@")
    return email.select(pl.when(own).then(untagged)).to_series()


def _employer_of(email: pl.DataFrame) -> pl.Series:
    """The company a work address names (``jane@hill-media.com`` -> ``hill media``).

    A role address names an employer too (whoever writes from ``support@hill-media.com``
    works there); a placeholder does not: ``none@example.com`` would make "example" the
    employer of everyone who typed one, and records with nothing else in common would
    agree on a company.
    """
    real = email.get_column("email").is_not_null() & ~email.get_column("email_is_placeholder")
    work_domain = (
        pl.when(real & ~email.get_column("email_is_freemail"))
        .then(email.get_column("email_domain"))
        .otherwise(None)
    )
    return company_from_email_domain(email.select(work_domain.alias("domain")).to_series())


_OPTIONAL_TEXT = [
    "source_system",
    "source_table",
    "source_record_id",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "alt_email",
    "phone",
    "street",
    "city",
    "postcode",
    "country",
    "company",
    "job_title",
    "social_handle",
    "anonymous_id",
    "crm_contact_id",
    "crm_not_duplicate_of",
]


def _with_missing_columns(raw: pl.DataFrame) -> pl.DataFrame:
    missing = [pl.lit(None, pl.String).alias(c) for c in _OPTIONAL_TEXT if c not in raw.columns]
    if "birth_date" not in raw.columns:
        missing.append(pl.lit(None, pl.Date).alias("birth_date"))
    if "observed_at" not in raw.columns:
        missing.append(pl.lit(None, pl.Datetime("us", "UTC")).alias("observed_at"))
    return raw.with_columns(missing).with_columns(pl.col(_OPTIONAL_TEXT).cast(pl.String))

"""Assemble the golden profile and its companion tables from the resolved warehouse.

Order matters only once: activity first (engagement and lifecycle read it); everything
else reads the identity and raw tables directly. Erased customers are removed here, from
every table at once, so no output can leak one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from resolution.profile._activity import ACTIVITY_TABLE, ENGAGEMENT_SQL, build_activity
from resolution.profile._consent import consent_by_customer
from resolution.profile._lifecycle import (
    ACTIVE_SUBSCRIPTION_STATUSES,
    current_stage,
    lifecycle_history,
)
from resolution.profile._observations import (
    display_records,
    field_observations,
    undeliverable_emails,
)
from resolution.profile._ownership import customer_accounts, customer_products
from resolution.profile._policy import ProfilePolicy
from resolution.profile._survivorship import choose_field_values, with_source_agreement
from schemas.profile import CustomerProfile

LINEAGE_COLUMNS = {
    "first_name": "first_name",
    "last_name": "last_name",
    "email": "email",
    "phone": "phone",
    "postal_address": "street",
    "country": "country",
    "company": "company",
    "job_title": "job_title",
    "birth_date": "birth_date",
}
"""Profile field chosen by survivorship -> the profile column that holds it (a postal
address fills street, city and postcode from one record; its lineage row is keyed on street)."""

OPEN_TICKET_STATUSES = ("new", "open", "pending")


@dataclass(frozen=True)
class ProfileTables:
    """The unified view of customers, each table ready to validate and publish."""

    customer_profile: pl.DataFrame
    profile_field_lineage: pl.DataFrame
    lifecycle_history: pl.DataFrame
    customer_products: pl.DataFrame
    account: pl.DataFrame


def build_profiles(
    conn: duckdb.DuckDBPyConnection, policy: ProfilePolicy, erased: pl.DataFrame
) -> ProfileTables:
    """Profiles, lineage, lifecycle, products and accounts; ``erased`` customers excluded."""
    build_activity(conn)
    display = display_records(conn)
    undeliverable = undeliverable_emails(conn)
    observations = field_observations(conn, display, undeliverable)
    choices = with_source_agreement(
        choose_field_values(conn, observations, policy.survivorship), observations
    )
    _store_known_since(conn, observations)
    history = lifecycle_history(conn, policy.lifecycle)
    products = customer_products(conn)
    accounts = customer_accounts(conn)
    consent = consent_by_customer(conn, policy.lifecycle.subscriber_forms)
    profile = _profile(conn, choices, display, history, products, accounts, consent, undeliverable)

    def kept(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(erased, on="customer_id", how="anti")

    profile = kept(profile)
    _forget(conn, erased, [ACTIVITY_TABLE, KNOWN_SINCE_TABLE])
    return ProfileTables(
        customer_profile=profile,
        profile_field_lineage=kept(choices).drop("match_value").sort("customer_id", "field"),
        lifecycle_history=kept(history),
        customer_products=kept(products).sort("customer_id", "subscription_id"),
        account=_accounts(conn, profile),
    )


KNOWN_SINCE_TABLE = "profile.field_known_since"


def _forget(conn: duckdb.DuckDBPyConnection, erased: pl.DataFrame, tables: list[str]) -> None:
    """Delete erased customers' rows from the warehouse's working profile tables."""
    conn.register("_c360_erased", erased)
    try:
        for table in tables:
            conn.execute(
                f"DELETE FROM {table} WHERE customer_id IN (SELECT customer_id FROM _c360_erased)"
            )
    finally:
        conn.unregister("_c360_erased")


def _store_known_since(conn: duckdb.DuckDBPyConnection, observations: pl.DataFrame) -> None:
    """When each customer's field first held a valid value, and from which source row.

    Activation asks "did we already know this when we asked for it again?"; the answer
    needs the first time, which the chosen (survivor) value does not carry.
    """
    conn.register("_c360_observations", observations)
    try:
        conn.execute(
            f"""
            CREATE OR REPLACE TABLE {KNOWN_SINCE_TABLE} AS
            SELECT customer_id, field, min(observed_at) AS known_since,
                   arg_min(source_table, observed_at) AS known_from_table,
                   arg_min(source_record_id, observed_at) AS known_from_record_id
            FROM _c360_observations WHERE valid AND observed_at IS NOT NULL
            GROUP BY customer_id, field
            """
        )
    finally:
        conn.unregister("_c360_observations")


def _profile(
    conn: duckdb.DuckDBPyConnection,
    choices: pl.DataFrame,
    display: pl.DataFrame,
    history: pl.DataFrame,
    products: pl.DataFrame,
    accounts: pl.DataFrame,
    consent: pl.DataFrame,
    undeliverable: pl.DataFrame,
) -> pl.DataFrame:
    records = conn.sql(
        """
        SELECT m.customer_id, count(*) AS source_records,
               count(*) FILTER (WHERE r.record_key LIKE 'web_cookie:%') AS cookie_ids,
               list_sort(list_distinct(list(r.source_system))) AS channels,
               list_sort(list_distinct(list(r.source_record_id)
                   FILTER (WHERE r.source_table = 'social_interactions'))) AS social_handles
        FROM identity.identity_map m JOIN identity.identity_records r USING (record_key)
        GROUP BY m.customer_id
        """
    ).pl()
    source_rows = conn.sql(
        "SELECT customer_id, count(*) AS source_rows FROM identity.source_identity_map "
        "WHERE customer_id IS NOT NULL GROUP BY customer_id"
    ).pl()
    engagement = conn.sql(ENGAGEMENT_SQL).pl()
    profile = records
    for name, column in LINEAGE_COLUMNS.items():
        chosen = choices.filter(pl.col("field") == name)
        profile = profile.join(
            chosen.select("customer_id", pl.col("value").alias(column), "record_key").rename(
                {"record_key": "address_record_key"} if name == "postal_address" else {}
            ),
            on="customer_id",
            how="left",
        ).drop("record_key", strict=False)
    address = display.select(
        pl.col("record_key").alias("address_record_key"), "city", "postcode", "street"
    )
    account_details = conn.sql(
        "SELECT account_id, name AS account_name, owner_name AS account_owner_name, "
        "owner_email AS account_owner_email FROM raw.crm_accounts"
    ).pl()
    active_products = (
        products.filter("is_active")
        .group_by("customer_id")
        .agg(pl.col("product").unique().sort().alias("products_owned"))
    )
    return (
        profile.drop("street")
        .join(address, on="address_record_key", how="left")
        .drop("address_record_key")
        .join(source_rows, on="customer_id", how="left")
        .join(engagement, on="customer_id", how="left")
        .join(current_stage(history), on="customer_id", how="left")
        .join(accounts, on="customer_id", how="left")
        .join(account_details, on="account_id", how="left")
        .join(active_products, on="customer_id", how="left")
        .join(consent, on="customer_id", how="left")
        .join(
            undeliverable.with_columns(pl.lit(False).alias("email_deliverable")),
            on="email",
            how="left",
        )
        .with_columns(
            pl.col("birth_date").str.to_date(),
            pl.col("products_owned").fill_null(pl.lit([], dtype=pl.List(pl.String))),
            pl.col("consent_status").fill_null("unknown"),
            pl.col("is_suppressed").fill_null(False),
            pl.when(pl.col("email").is_not_null())
            .then(pl.col("email_deliverable").fill_null(True))
            .alias("email_deliverable"),
            pl.col("lifecycle_stage").fill_null("anonymous"),
            pl.col("source_rows").fill_null(0),
            *(
                pl.col(f"{channel}_interactions").fill_null(0)
                for channel in ("web", "email", "social", "support")
            ),
        )
        .select(_PROFILE_COLUMN_ORDER)
        .sort("customer_id")
    )


_PROFILE_COLUMN_ORDER = list(CustomerProfile.to_schema().columns)
"""The published column order is the model's."""


def _accounts(conn: duckdb.DuckDBPyConnection, profile: pl.DataFrame) -> pl.DataFrame:
    """One row per CRM account: who works there, who owns it, what it has, what is open."""
    members = profile.filter(pl.col("account_id").is_not_null()).select("customer_id", "account_id")
    conn.register("_c360_members", members)
    try:
        return conn.sql(
            f"""
            WITH contacts AS (
                SELECT account_id, count(*) AS contacts,
                       list_sort(list(customer_id)) AS contact_customer_ids
                FROM _c360_members GROUP BY account_id
            ),
            products AS (
                SELECT account_id, count(*) AS subscriptions,
                       list_sort(list_distinct(list(product) FILTER (
                           WHERE status IN {ACTIVE_SUBSCRIPTION_STATUSES}))) AS active_products
                FROM raw.crm_subscriptions GROUP BY account_id
            ),
            tickets AS (
                SELECT mem.account_id,
                       count(*) FILTER (WHERE t.status IN {OPEN_TICKET_STATUSES}) AS open_tickets,
                       count(*) FILTER (WHERE t.status IN {OPEN_TICKET_STATUSES}
                                        AND t.priority = 'urgent') AS urgent_open_tickets,
                       max(t.created_at) AS last_ticket_at
                FROM raw.support_tickets t
                JOIN identity.source_identity_map m
                  ON m.source_table = 'support_tickets' AND m.source_record_id = t.ticket_id
                JOIN _c360_members mem USING (customer_id)
                GROUP BY mem.account_id
            )
            SELECT a.account_id, a.name, a.domain, a.industry, a.employee_count,
                   a.billing_country, a.owner_name, a.owner_email,
                   coalesce(c.contacts, 0) AS contacts,
                   coalesce(c.contact_customer_ids, []) AS contact_customer_ids,
                   coalesce(p.subscriptions, 0) AS subscriptions,
                   coalesce(p.active_products, []) AS active_products,
                   coalesce(t.open_tickets, 0) AS open_tickets,
                   coalesce(t.urgent_open_tickets, 0) AS urgent_open_tickets,
                   t.last_ticket_at
            FROM raw.crm_accounts a
            LEFT JOIN contacts c USING (account_id)
            LEFT JOIN products p USING (account_id)
            LEFT JOIN tickets t USING (account_id)
            ORDER BY a.account_id
            """
        ).pl()
    finally:
        conn.unregister("_c360_members")

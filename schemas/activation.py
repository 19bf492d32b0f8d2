"""Activation outputs: what campaigns, forms and agents act on.

Each is validated as a blocking check before it is published or exported: a feed row for
a suppressed person, or a prefill value for a field we do not hold, must stop the run.
"""

import pandera.polars as pa
import polars as pl

from schemas._types import CUSTOMER_ID, OutputModel, UtcTimestamp

FIELDS = [
    "email",
    "phone",
    "first_name",
    "last_name",
    "company",
    "job_title",
    "postal_address",
    "country",
    "birth_date",
]


class KnownFields(OutputModel):
    """Per customer and field: do we hold it, from where, and how fresh is it."""

    customer_id: str = pa.Field(str_matches=CUSTOMER_ID)
    field: str = pa.Field(isin=FIELDS)
    known: bool = pa.Field()
    value: str = pa.Field(nullable=True)
    source_system: str = pa.Field(nullable=True)
    source_table: str = pa.Field(nullable=True)
    source_record_id: str = pa.Field(nullable=True)
    observed_at: UtcTimestamp = pa.Field(nullable=True)
    age_days: int = pa.Field(nullable=True)
    fresh: bool = pa.Field()

    class Config:
        unique = ["customer_id", "field"]


class RedundantRequests(OutputModel):
    """A form or ticket that asked for a detail an earlier record already held."""

    customer_id: str = pa.Field(str_matches=CUSTOMER_ID)
    source_table: str = pa.Field(isin=["web_events", "support_tickets"])
    source_record_id: str = pa.Field()
    requested_by: str = pa.Field()
    requested_at: UtcTimestamp = pa.Field()
    field: str = pa.Field(isin=FIELDS)
    known_since: UtcTimestamp = pa.Field()
    known_from_table: str = pa.Field()
    known_from_record_id: str = pa.Field()

    class Config:
        unique = ["source_table", "source_record_id", "field"]


class Suppressions(OutputModel):
    """Why a customer may not be contacted; erasures appear only as their tombstone hash."""

    customer_id: str = pa.Field(nullable=True, str_matches=CUSTOMER_ID)
    reason: str = pa.Field(
        isin=[
            "unsubscribed",
            "do_not_contact",
            "no_consent",
            "undeliverable",
            "open_urgent_ticket",
            "erased",
        ]
    )
    detail: str = pa.Field()
    since: UtcTimestamp = pa.Field(nullable=True)
    erasure_tombstone: str = pa.Field(nullable=True, str_matches=r"^[0-9a-f]{64}$")


class PersonalizationFeed(OutputModel):
    """One row per customer marketing may contact, with what to say and where."""

    customer_id: str = pa.Field(unique=True, str_matches=CUSTOMER_ID)
    email: str = pa.Field(str_contains="@")
    first_name: str = pa.Field(nullable=True)
    last_name: str = pa.Field(nullable=True)
    company: str = pa.Field(nullable=True)
    job_title: str = pa.Field(nullable=True)
    country: str = pa.Field(nullable=True)
    segment: str = pa.Field(
        isin=[
            "active_customer",
            "customer_at_risk",
            "win_back",
            "in_sales_process",
            "marketing_qualified",
            "nurture",
        ]
    )
    lifecycle_stage: str = pa.Field()
    preferred_channel: str = pa.Field(isin=["email", "web", "social"])
    topics: pl.List(pl.String) = pa.Field()
    top_topic_last_seen_at: UtcTimestamp = pa.Field(nullable=True)
    products_owned: pl.List(pl.String) = pa.Field()
    next_product: str = pa.Field(nullable=True)
    account_name: str = pa.Field(nullable=True)
    account_owner_name: str = pa.Field(nullable=True)
    personalization_tokens: str = pa.Field(str_startswith="{")


class FormPrefill(OutputModel):
    """For each form, known person and form field: skip, prefill or ask."""

    form_id: str = pa.Field()
    customer_id: str = pa.Field(str_matches=CUSTOMER_ID)
    anonymous_ids: pl.List(pl.String) = pa.Field(nullable=True)
    form_field: str = pa.Field()
    action: str = pa.Field(isin=["skip", "prefill", "ask"])
    prefill_value: str = pa.Field(nullable=True)

    class Config:
        unique = ["form_id", "customer_id", "form_field"]

"""Profile tables marketers, sales and support read: the contract of the published database.

Validated as blocking checks before anything is published, so a broken survivorship rule
or a join that duplicates customers stops the run instead of reaching a campaign.
"""

import pandera.polars as pa
import polars as pl

from schemas._types import CUSTOMER_ID, OutputModel, UtcTimestamp

SOURCES = ["crm", "web", "email", "social", "support"]
STAGES = [  # lowest to highest: the order lifecycle transitions climb
    "anonymous",
    "subscriber",
    "lead",
    "marketing_qualified",
    "sales_qualified",
    "opportunity",
    "customer",
    "churned",
]


class CustomerProfile(OutputModel):
    """One golden row per customer."""

    customer_id: str = pa.Field(unique=True, str_matches=CUSTOMER_ID)
    first_name: str = pa.Field(nullable=True)
    last_name: str = pa.Field(nullable=True)
    email: str = pa.Field(nullable=True, str_contains="@")
    email_deliverable: bool = pa.Field(nullable=True)
    phone: str = pa.Field(nullable=True, str_matches=r"^\+[1-9]\d{6,14}$")
    street: str = pa.Field(nullable=True)
    city: str = pa.Field(nullable=True)
    postcode: str = pa.Field(nullable=True)
    country: str = pa.Field(nullable=True, str_length={"min_value": 2, "max_value": 2})
    company: str = pa.Field(nullable=True)
    job_title: str = pa.Field(nullable=True)
    birth_date: pl.Date = pa.Field(nullable=True)
    social_handles: pl.List(pl.String) = pa.Field(nullable=True)
    cookie_ids: int = pa.Field(ge=0)
    channels: pl.List(pl.String) = pa.Field()
    first_seen_at: UtcTimestamp = pa.Field(nullable=True)
    last_seen_at: UtcTimestamp = pa.Field(nullable=True)
    lifecycle_stage: str = pa.Field(isin=STAGES)
    lifecycle_stage_entered_at: UtcTimestamp = pa.Field(nullable=True)
    account_id: str = pa.Field(nullable=True)
    account_rule: str = pa.Field(nullable=True, isin=["crm_contact", "work_email_domain"])
    account_name: str = pa.Field(nullable=True)
    account_owner_name: str = pa.Field(nullable=True)
    account_owner_email: str = pa.Field(nullable=True)
    products_owned: pl.List(pl.String) = pa.Field()
    consent_status: str = pa.Field(isin=["opted_in", "opted_out", "unknown"])
    consent_choice: str = pa.Field(
        nullable=True, isin=["opted_in", "unsubscribed", "do_not_contact"]
    )
    consent_changed_at: UtcTimestamp = pa.Field(nullable=True)
    consent_source_table: str = pa.Field(nullable=True)
    consent_source_record_id: str = pa.Field(nullable=True)
    is_suppressed: bool = pa.Field()
    web_interactions: int = pa.Field(ge=0)
    web_last_interaction_at: UtcTimestamp = pa.Field(nullable=True)
    email_interactions: int = pa.Field(ge=0)
    email_last_interaction_at: UtcTimestamp = pa.Field(nullable=True)
    social_interactions: int = pa.Field(ge=0)
    social_last_interaction_at: UtcTimestamp = pa.Field(nullable=True)
    support_interactions: int = pa.Field(ge=0)
    support_last_interaction_at: UtcTimestamp = pa.Field(nullable=True)
    source_records: int = pa.Field(ge=1)
    source_rows: int = pa.Field(ge=0)


class ProfileFieldLineage(OutputModel):
    """Where each profile value came from and which survivorship rule chose it."""

    customer_id: str = pa.Field(str_matches=CUSTOMER_ID)
    field: str = pa.Field()
    value: str = pa.Field()
    record_key: str = pa.Field()
    source_system: str = pa.Field(isin=SOURCES)
    source_table: str = pa.Field()
    source_record_id: str = pa.Field()
    observed_at: UtcTimestamp = pa.Field(nullable=True)
    rule: str = pa.Field(isin=["only_value", "valid", "trust", "recent", "agreement", "tie_break"])
    agreeing_records: int = pa.Field(ge=1)
    disagreeing_records: int = pa.Field(ge=0)
    agreeing_sources: int = pa.Field(ge=1)
    disagreeing_sources: int = pa.Field(ge=0)
    candidate_values: int = pa.Field(ge=1)

    class Config:
        unique = ["customer_id", "field"]


class LifecycleHistory(OutputModel):
    """Each customer's stage transitions with their dates and evidence."""

    customer_id: str = pa.Field(str_matches=CUSTOMER_ID)
    stage: str = pa.Field(isin=STAGES)
    previous_stage: str = pa.Field(nullable=True, isin=STAGES)
    entered_at: UtcTimestamp = pa.Field(nullable=True)
    rule: str = pa.Field()
    source_table: str = pa.Field()
    source_record_id: str = pa.Field()

    class Config:
        unique = ["customer_id", "stage"]


class CustomerProducts(OutputModel):
    """Products a customer holds, personally or through their account."""

    customer_id: str = pa.Field(str_matches=CUSTOMER_ID)
    subscription_id: str = pa.Field()
    account_id: str = pa.Field()
    product: str = pa.Field()
    status: str = pa.Field(isin=["active", "trialing", "past_due", "cancelled", "expired"])
    start_date: pl.Date = pa.Field()
    end_date: pl.Date = pa.Field(nullable=True)
    amount: float = pa.Field(ge=0)
    currency: str = pa.Field(nullable=True)
    held_by: str = pa.Field(isin=["contact", "account"])
    is_active: bool = pa.Field()

    class Config:
        unique = ["customer_id", "subscription_id"]


class Account(OutputModel):
    """One row per CRM account with its people, owner, products and open tickets."""

    account_id: str = pa.Field(unique=True)
    name: str = pa.Field()
    domain: str = pa.Field(nullable=True)
    industry: str = pa.Field(nullable=True)
    employee_count: int = pa.Field(nullable=True, ge=0)
    billing_country: str = pa.Field(nullable=True)
    owner_name: str = pa.Field(nullable=True)
    owner_email: str = pa.Field(nullable=True)
    contacts: int = pa.Field(ge=0)
    contact_customer_ids: pl.List(pl.String) = pa.Field()
    subscriptions: int = pa.Field(ge=0)
    active_products: pl.List(pl.String) = pa.Field()
    open_tickets: int = pa.Field(ge=0)
    urgent_open_tickets: int = pa.Field(ge=0)
    last_ticket_at: UtcTimestamp = pa.Field(nullable=True)

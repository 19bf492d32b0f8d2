"""Raw source tables as the five systems export them, after typing.

Each model is the contract for one landing file: its columns (every column is expected in
the export, except those typed ``X | None``, which older exports lack; nullable ones may be
empty), the type each text value must parse to, and the value rules a row must meet to be
accepted. Rows that break a rule are quarantined with the rule's name, so the names of these
fields and checks are what an engineer reads in the quarantine table.
"""

import pandera.polars as pa
import polars as pl

from schemas._types import UtcTimestamp

LIFECYCLE_STAGES = [
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "other",
]
LEAD_STATUSES = [
    "NEW",
    "OPEN",
    "IN_PROGRESS",
    "OPEN_DEAL",
    "UNQUALIFIED",
    "CONNECTED",
    "BAD_TIMING",
]


class _RawModel(pa.DataFrameModel):
    class Config:
        strict = True
        coerce = False


class CrmAccounts(_RawModel):
    """Companies in the CRM, with the sales rep who owns each account."""

    account_id: str = pa.Field(unique=True, str_length={"min_value": 1})
    name: str = pa.Field(str_length={"min_value": 1})
    domain: str = pa.Field(nullable=True)
    industry: str = pa.Field(nullable=True)
    employee_count: int = pa.Field(nullable=True, ge=0)
    billing_street: str = pa.Field(nullable=True)
    billing_city: str = pa.Field(nullable=True)
    billing_postcode: str = pa.Field(nullable=True)
    billing_country: str = pa.Field(nullable=True, str_length={"min_value": 2, "max_value": 2})
    owner_name: str = pa.Field(nullable=True)
    owner_email: str = pa.Field(nullable=True)
    created_at: UtcTimestamp = pa.Field()
    updated_at: UtcTimestamp = pa.Field(nullable=True)


class CrmContacts(_RawModel):
    """People in the CRM; the same person may have several contact records."""

    contact_id: str = pa.Field(unique=True, str_length={"min_value": 1})
    account_id: str = pa.Field(nullable=True)
    first_name: str = pa.Field(nullable=True)
    last_name: str = pa.Field(nullable=True)
    email: str = pa.Field(nullable=True)
    secondary_email: str = pa.Field(nullable=True)
    phone: str = pa.Field(nullable=True)
    mobile_phone: str = pa.Field(nullable=True)
    job_title: str = pa.Field(nullable=True)
    street: str = pa.Field(nullable=True)
    city: str = pa.Field(nullable=True)
    postcode: str = pa.Field(nullable=True)
    country: str = pa.Field(nullable=True, str_length={"min_value": 2, "max_value": 2})
    birth_date: pl.Date = pa.Field(nullable=True)
    lifecycle_stage: str = pa.Field(nullable=True, isin=LIFECYCLE_STAGES)
    lead_status: str = pa.Field(nullable=True, isin=LEAD_STATUSES)
    owner_email: str = pa.Field(nullable=True)
    email_opt_out: bool = pa.Field()
    created_at: UtcTimestamp = pa.Field()
    updated_at: UtcTimestamp = pa.Field(nullable=True)
    not_duplicate_of: str | None = pa.Field(nullable=True)
    """A contact a CRM user reviewed as a suggested duplicate and marked as a different person
    (HubSpot "reject duplicate", a dismissed Salesforce duplicate rule). Exports from before
    the review feature lack the column; a contact since deleted is no error."""


class CrmSubscriptions(_RawModel):
    """Products an account owns, with their commercial state."""

    subscription_id: str = pa.Field(unique=True, str_length={"min_value": 1})
    account_id: str = pa.Field(str_length={"min_value": 1})
    contact_id: str = pa.Field(nullable=True)
    product: str = pa.Field(str_length={"min_value": 1})
    status: str = pa.Field(isin=["active", "trialing", "past_due", "cancelled", "expired"])
    start_date: pl.Date = pa.Field()
    end_date: pl.Date = pa.Field(nullable=True)
    amount: float = pa.Field(ge=0)
    currency: str = pa.Field(nullable=True, isin=["USD", "GBP", "EUR"])


class WebEvents(_RawModel):
    """Web analytics events keyed by cookie; form submissions identify the visitor."""

    event_id: str = pa.Field(unique=True, str_length={"min_value": 1})
    anonymous_id: str = pa.Field(str_length={"min_value": 1})
    event_type: str = pa.Field(isin=["page_view", "form_submit"])
    timestamp: UtcTimestamp = pa.Field()
    page_url: str = pa.Field(nullable=True)
    page_topic: str = pa.Field(nullable=True)
    form_id: str = pa.Field(nullable=True)
    fields_requested: str = pa.Field(nullable=True)
    traits_email: str = pa.Field(nullable=True)
    traits_first_name: str = pa.Field(nullable=True)
    traits_last_name: str = pa.Field(nullable=True)
    traits_company: str = pa.Field(nullable=True)
    traits_phone: str = pa.Field(nullable=True)
    traits_job_title: str = pa.Field(nullable=True)
    traits_country: str = pa.Field(nullable=True)


class EmailSubscribers(_RawModel):
    """The email platform's audience, with each address's subscription state."""

    subscriber_id: str = pa.Field(unique=True, str_length={"min_value": 1})
    email: str = pa.Field(str_length={"min_value": 3})
    first_name: str = pa.Field(nullable=True)
    last_name: str = pa.Field(nullable=True)
    status: str = pa.Field(isin=["subscribed", "unsubscribed", "cleaned", "pending"])
    opt_in_at: UtcTimestamp = pa.Field(nullable=True)
    last_changed_at: UtcTimestamp = pa.Field(nullable=True)
    country: str = pa.Field(nullable=True)


class EmailEvents(_RawModel):
    """Campaign sends and reactions; a click can carry the cookie of the landing browser."""

    event_id: str = pa.Field(unique=True, str_length={"min_value": 1})
    subscriber_id: str = pa.Field(nullable=True)
    email: str = pa.Field(str_length={"min_value": 3})
    event_type: str = pa.Field(isin=["sent", "open", "click", "unsubscribe", "bounce"])
    bounce_type: str = pa.Field(nullable=True, isin=["hard", "soft"])
    campaign_id: str = pa.Field(nullable=True)
    campaign_name: str = pa.Field(nullable=True)
    campaign_topic: str = pa.Field(nullable=True)
    timestamp: UtcTimestamp = pa.Field()
    url: str = pa.Field(nullable=True)
    anonymous_id: str = pa.Field(nullable=True)


class SocialInteractions(_RawModel):
    """Interactions with the brand's social accounts."""

    interaction_id: str = pa.Field(unique=True, str_length={"min_value": 1})
    platform: str = pa.Field(isin=["linkedin", "x", "instagram", "facebook"])
    handle: str = pa.Field(str_length={"min_value": 1})
    display_name: str = pa.Field(nullable=True)
    email: str = pa.Field(nullable=True)
    company: str = pa.Field(nullable=True)
    interaction_type: str = pa.Field(
        isin=["mention", "comment", "like", "share", "direct_message", "follow"]
    )
    timestamp: UtcTimestamp = pa.Field()


class SupportTickets(_RawModel):
    """Support-desk tickets, with the details the agent asked the customer for."""

    ticket_id: str = pa.Field(unique=True, str_length={"min_value": 1})
    requester_name: str = pa.Field(nullable=True)
    requester_email: str = pa.Field(nullable=True)
    requester_phone: str = pa.Field(nullable=True)
    company: str = pa.Field(nullable=True)
    subject: str = pa.Field(nullable=True)
    channel: str = pa.Field(nullable=True, isin=["email", "phone", "chat", "web"])
    priority: str = pa.Field(isin=["low", "normal", "high", "urgent"])
    status: str = pa.Field(isin=["new", "open", "pending", "solved", "closed"])
    created_at: UtcTimestamp = pa.Field()
    updated_at: UtcTimestamp = pa.Field(nullable=True)
    solved_at: UtcTimestamp = pa.Field(nullable=True)
    requested_fields: str = pa.Field(nullable=True)


class QuarantinedRows(pa.DataFrameModel):
    """One row per failed rule of a rejected source row: the raw record is kept whole."""

    source_table: str = pa.Field()
    source_file: str = pa.Field()
    row_number: int = pa.Field(ge=1)
    field: str = pa.Field()
    check: str = pa.Field()
    raw_value: str = pa.Field(nullable=True)
    raw_record: str = pa.Field()

    class Config:
        strict = True
        coerce = False

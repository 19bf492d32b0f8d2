"""Account-context exports for sales and support: the contract of every file they receive.

Each model's columns are also the catalogue of fields an audience may be given
(``[audiences]`` in c360.toml): a field that is not a column here cannot be configured,
so a typo in the settings is refused instead of silently exporting nothing. Every export
frame is validated against its model, restricted to the audience's columns, before a file
is written; a failure blocks the whole export and the previous one stays in place.

The marketing feed export is ``schemas.activation.PersonalizationFeed`` restricted the
same way, so the feed marketing receives keeps the contract the feed was built to.
"""

import pandera.polars as pa
import polars as pl

from schemas._types import CUSTOMER_ID, OutputModel, UtcTimestamp
from schemas.profile import STAGES

_UTC = pl.Datetime("us", "UTC")

PRODUCT = pl.Struct(
    {"product": pl.String, "status": pl.String, "start_date": pl.Date, "end_date": pl.Date}
)
"""One subscription: what it is and whether it is still running."""

TICKET = pl.Struct(
    {
        "ticket_id": pl.String,
        "created_at": _UTC,
        "status": pl.String,
        "priority": pl.String,
        "subject": pl.String,
        "solved_at": _UTC,
    }
)
"""One support ticket, as an agent or a seller needs it before a call."""

INTERACTION = pl.Struct(
    {
        "occurred_at": _UTC,
        "channel": pl.String,
        "kind": pl.String,
        "detail": pl.String,
        "topic": pl.String,
    }
)
"""One row of ``profile.activity``: what the person did, where and when."""

STAGE_CHANGE = pl.Struct({"stage": pl.String, "entered_at": _UTC})
"""One lifecycle transition."""


class ContactExport(OutputModel):
    """One row per person: who they are, where they stand, what they hold and said."""

    customer_id: str = pa.Field(unique=True, str_matches=CUSTOMER_ID)
    first_name: str = pa.Field(nullable=True)
    last_name: str = pa.Field(nullable=True)
    email: str = pa.Field(nullable=True, str_contains="@")
    phone: str = pa.Field(nullable=True, str_matches=r"^\+[1-9]\d{6,14}$")
    postal_address: str = pa.Field(nullable=True)
    country: str = pa.Field(nullable=True, str_length={"min_value": 2, "max_value": 2})
    company: str = pa.Field(nullable=True)
    job_title: str = pa.Field(nullable=True)
    birth_date: pl.Date = pa.Field(nullable=True)
    lifecycle_stage: str = pa.Field(isin=STAGES)
    lifecycle_stage_entered_at: UtcTimestamp = pa.Field(nullable=True)
    lifecycle_history: pl.List(STAGE_CHANGE) = pa.Field()
    account_id: str = pa.Field(nullable=True)
    account_name: str = pa.Field(nullable=True)
    account_owner_name: str = pa.Field(nullable=True)
    account_owner_email: str = pa.Field(nullable=True)
    products: pl.List(PRODUCT) = pa.Field()
    open_tickets: pl.List(TICKET) = pa.Field()
    recent_tickets: pl.List(TICKET) = pa.Field()
    last_interactions: pl.List(INTERACTION) = pa.Field()
    consent_status: str = pa.Field(isin=["opted_in", "opted_out", "unknown"])
    consent_choice: str = pa.Field(
        nullable=True, isin=["opted_in", "unsubscribed", "do_not_contact"]
    )
    consent_changed_at: UtcTimestamp = pa.Field(nullable=True)
    is_suppressed: bool = pa.Field()
    suppression_reasons: pl.List(pl.String) = pa.Field()
    do_not_ask: pl.List(pl.String) = pa.Field()


class AccountExport(OutputModel):
    """One row per CRM account: the company, its owner, stage, products and tickets."""

    account_id: str = pa.Field(unique=True)
    name: str = pa.Field()
    domain: str = pa.Field(nullable=True)
    industry: str = pa.Field(nullable=True)
    employee_count: int = pa.Field(nullable=True, ge=0)
    billing_country: str = pa.Field(nullable=True)
    owner_name: str = pa.Field(nullable=True)
    owner_email: str = pa.Field(nullable=True)
    lifecycle_stage: str = pa.Field(nullable=True, isin=STAGES)
    contact_customer_ids: pl.List(pl.String) = pa.Field()
    products: pl.List(PRODUCT) = pa.Field()
    open_tickets: pl.List(TICKET) = pa.Field()
    recent_tickets: pl.List(TICKET) = pa.Field()
    last_interactions: pl.List(INTERACTION) = pa.Field()

"""Identity tables: canonical records, the links between them, and the customer ids.

Validated after every resolution run; a failure blocks the profile and activation assets
downstream, because a duplicated record or a record without a customer id would put one
person in two profiles or none.
"""

import pandera.polars as pa
import polars as pl

from schemas._types import CUSTOMER_ID, UtcTimestamp


class IdentityRecords(pa.DataFrameModel):
    """One standardised record per identity-bearing source record."""

    record_key: str = pa.Field(unique=True)
    source_system: str = pa.Field(isin=["crm", "web", "email", "social", "support"])
    source_table: str = pa.Field()
    source_record_id: str = pa.Field()
    observed_at: UtcTimestamp = pa.Field(nullable=True)
    first_name: str = pa.Field(nullable=True)
    given_name: str = pa.Field(nullable=True)
    last_name: str = pa.Field(nullable=True)
    email: str = pa.Field(nullable=True)
    email_key: str = pa.Field(nullable=True, str_contains="@")
    alt_email_key: str = pa.Field(nullable=True, str_contains="@")
    email_domain: str = pa.Field(nullable=True)
    email_is_role: bool = pa.Field()
    email_is_freemail: bool = pa.Field()
    email_is_shared: bool = pa.Field()
    alt_email_is_shared: bool = pa.Field()
    phone: str = pa.Field(nullable=True, str_matches=r"^\+[1-9]\d{6,14}$")
    phone_is_shared: bool = pa.Field()
    street: str = pa.Field(nullable=True)
    city: str = pa.Field(nullable=True)
    postcode: str = pa.Field(nullable=True)
    country: str = pa.Field(nullable=True)
    company: str = pa.Field(nullable=True)
    employer: str = pa.Field(nullable=True)
    job_title: str = pa.Field(nullable=True)
    birth_date: pl.Date = pa.Field(nullable=True)
    social_handle: str = pa.Field(nullable=True)
    anonymous_id: str = pa.Field(nullable=True)
    crm_contact_id: str = pa.Field(nullable=True)
    crm_not_duplicate_of: str = pa.Field(nullable=True)
    """The CRM contact a user marked as a different person from this one."""

    class Config:
        strict = True


class IdentityMap(pa.DataFrameModel):
    """Every identity record with exactly one customer id."""

    record_key: str = pa.Field(unique=True)
    customer_id: str = pa.Field(str_matches=CUSTOMER_ID)

    class Config:
        strict = True


class SourceIdentityMap(pa.DataFrameModel):
    """Every source row with the customer it belongs to (null only for orphan rows)."""

    source_table: str = pa.Field()
    source_record_id: str = pa.Field()
    record_key: str = pa.Field()
    customer_id: str = pa.Field(nullable=True)

    class Config:
        strict = True
        unique = ["source_table", "source_record_id"]

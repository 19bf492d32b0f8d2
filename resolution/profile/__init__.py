"""The golden customer profile: survivorship with lineage, lifecycle, ownership, consent.

Reads the resolved warehouse (``raw`` and ``identity`` schemas), never Dagster; the
assets and the ``c360 profile`` command call these functions.
"""

from resolution.profile._build import (
    LINEAGE_COLUMNS,
    OPEN_TICKET_STATUSES,
    ProfileTables,
    build_profiles,
)
from resolution.profile._checks import lineage_gaps
from resolution.profile._erasure import (
    TOMBSTONES_TABLE,
    ensure_tombstones_table,
    erased_customers,
    erasure_salt,
    read_erasure_requests,
    record_erasure_requests,
    requests_not_honoured,
)
from resolution.profile._lookup import CustomerView, customer_view, find_customer
from resolution.profile._policy import (
    LIFECYCLE_STAGES,
    PROFILE_FIELDS,
    SOURCE_SYSTEMS,
    SURVIVORSHIP_RULES,
    LifecyclePolicy,
    ProfilePolicy,
    SurvivorshipPolicy,
)
from resolution.profile._publish import TABLE_DESCRIPTIONS, write_profile_tables

__all__ = [
    "LIFECYCLE_STAGES",
    "LINEAGE_COLUMNS",
    "OPEN_TICKET_STATUSES",
    "PROFILE_FIELDS",
    "SOURCE_SYSTEMS",
    "SURVIVORSHIP_RULES",
    "TOMBSTONES_TABLE",
    "CustomerView",
    "LifecyclePolicy",
    "ProfilePolicy",
    "ProfileTables",
    "SurvivorshipPolicy",
    "TABLE_DESCRIPTIONS",
    "build_profiles",
    "customer_view",
    "erased_customers",
    "ensure_tombstones_table",
    "erasure_salt",
    "find_customer",
    "lineage_gaps",
    "read_erasure_requests",
    "record_erasure_requests",
    "requests_not_honoured",
    "write_profile_tables",
]

"""pandera models for every table c360 reads or writes; declarations only, no logic."""

from schemas.identity import IdentityMap, IdentityRecords, SourceIdentityMap
from schemas.raw import (
    CrmAccounts,
    CrmContacts,
    CrmSubscriptions,
    EmailEvents,
    EmailSubscribers,
    QuarantinedRows,
    SocialInteractions,
    SupportTickets,
    WebEvents,
)

__all__ = [
    "CrmAccounts",
    "CrmContacts",
    "CrmSubscriptions",
    "EmailEvents",
    "EmailSubscribers",
    "IdentityMap",
    "IdentityRecords",
    "SourceIdentityMap",
    "QuarantinedRows",
    "SocialInteractions",
    "SupportTickets",
    "WebEvents",
]

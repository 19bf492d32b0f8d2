"""pandera models for every table c360 reads or writes; declarations only, no logic."""

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
    "QuarantinedRows",
    "SocialInteractions",
    "SupportTickets",
    "WebEvents",
]

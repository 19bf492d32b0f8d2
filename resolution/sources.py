"""The catalogue of landing files c360 ingests: where each export lives and its contract."""

from __future__ import annotations

from dataclasses import dataclass

import pandera.polars as pa

import schemas


@dataclass(frozen=True)
class SourceTable:
    """One export of one source system, relative to the landing directory."""

    name: str
    system: str
    relative_path: str
    file_format: str
    model: type[pa.DataFrameModel]
    description: str
    timestamp_columns: tuple[str, ...]
    """Columns whose newest value says how recent the export is (its freshness check)."""

    @property
    def key_column(self) -> str:
        return next(
            name for name, column in self.model.to_schema().columns.items() if column.unique
        )


SOURCE_TABLES: tuple[SourceTable, ...] = (
    SourceTable(
        "crm_accounts",
        "crm",
        "crm/accounts.csv",
        "csv",
        schemas.CrmAccounts,
        "CRM accounts: the companies we sell to and the sales rep who owns each.",
        ("created_at", "updated_at"),
    ),
    SourceTable(
        "crm_contacts",
        "crm",
        "crm/contacts.csv",
        "csv",
        schemas.CrmContacts,
        "CRM contacts: people with lead status, owner, lifecycle stage and email opt-out.",
        ("created_at", "updated_at"),
    ),
    SourceTable(
        "crm_subscriptions",
        "crm",
        "crm/subscriptions.csv",
        "csv",
        schemas.CrmSubscriptions,
        "Products each account owns, with status, dates and amount.",
        ("start_date", "end_date"),
    ),
    SourceTable(
        "web_events",
        "web",
        "web/events.jsonl",
        "jsonl",
        schemas.WebEvents,
        "Website page views and form submissions, keyed by anonymous cookie id.",
        ("timestamp",),
    ),
    SourceTable(
        "email_subscribers",
        "email",
        "email/subscribers.csv",
        "csv",
        schemas.EmailSubscribers,
        "The email platform's audience and each address's subscription status.",
        ("opt_in_at", "last_changed_at"),
    ),
    SourceTable(
        "email_events",
        "email",
        "email/events.jsonl",
        "jsonl",
        schemas.EmailEvents,
        "Email sends, opens, clicks, unsubscribes and bounces per campaign.",
        ("timestamp",),
    ),
    SourceTable(
        "social_interactions",
        "social",
        "social/interactions.jsonl",
        "jsonl",
        schemas.SocialInteractions,
        "Mentions, comments, shares and messages on the brand's social accounts.",
        ("timestamp",),
    ),
    SourceTable(
        "support_tickets",
        "support",
        "support/tickets.csv",
        "csv",
        schemas.SupportTickets,
        "Support-desk tickets with requester details and what the agent asked for.",
        ("created_at", "updated_at", "solved_at"),
    ),
)


def source_table(name: str) -> SourceTable:
    """Look a source table up by name, failing with the list of known names."""
    for table in SOURCE_TABLES:
        if table.name == name:
            return table
    known = ", ".join(t.name for t in SOURCE_TABLES)
    raise KeyError(f"unknown source table {name!r}; known tables: {known}")

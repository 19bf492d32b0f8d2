"""Small hand-written landing files: one valid record per source table, and a writer.

Tests build their own landing zones from these so each one states exactly which rows and
which defects it is about, independent of the synthetic generator.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from resolution import SourceTable, source_table

VALID_RECORDS: dict[str, dict[str, str]] = {
    "crm_accounts": {
        "account_id": "ACC-000001", "name": "Acme Logistics", "domain": "acme-logistics.com",
        "industry": "Logistics", "employee_count": "250", "billing_street": "1 Dock Rd",
        "billing_city": "Boston", "billing_postcode": "02110", "billing_country": "US",
        "owner_name": "Dana Rep", "owner_email": "dana@c360.example",
        "created_at": "2024-01-05T09:00:00Z", "updated_at": "2025-02-01T10:00:00Z",
    },
    "crm_contacts": {
        "contact_id": "CON-0000001", "account_id": "ACC-000001", "first_name": "José",
        "last_name": "Müller", "email": "jose.muller@acme-logistics.com",
        "secondary_email": "jose.m@gmail.com", "phone": "+1 617-555-0142", "mobile_phone": "",
        "job_title": "Head of Ops", "street": "12 Elm St", "city": "Boston",
        "postcode": "02110", "country": "US", "birth_date": "1984-07-09",
        "lifecycle_stage": "lead", "lead_status": "NEW", "owner_email": "dana@c360.example",
        "email_opt_out": "false", "created_at": "2024-02-01T10:00:00Z",
        "updated_at": "2025-03-01T10:00:00Z", "not_duplicate_of": "",
    },
    "crm_subscriptions": {
        "subscription_id": "SUB-000001", "account_id": "ACC-000001",
        "contact_id": "CON-0000001", "product": "Analytics Pro", "status": "active",
        "start_date": "2024-03-01", "end_date": "", "amount": "149.00", "currency": "USD",
    },
    "web_events": {
        "event_id": "evt_0001", "anonymous_id": "a1b2c3", "event_type": "form_submit",
        "timestamp": "2025-01-02T03:04:05Z", "page_url": "https://c360.example/demo",
        "page_topic": "pricing", "form_id": "demo_request",
        "fields_requested": ["email", "phone"],
        "traits": {"email": "jose.m@gmail.com", "phone": "617 555 0142"},
    },
    "email_subscribers": {
        "subscriber_id": "SUBR-000001", "email": "jose.m@gmail.com", "first_name": "Jose",
        "last_name": "Muller", "status": "subscribed", "opt_in_at": "2024-01-01T00:00:00Z",
        "last_changed_at": "2024-06-01T00:00:00Z", "country": "US",
    },
    "email_events": {
        "event_id": "eml_0001", "subscriber_id": "SUBR-000001", "email": "jose.m@gmail.com",
        "event_type": "click", "bounce_type": None, "campaign_id": "CMP-1",
        "campaign_name": "Spring launch", "campaign_topic": "analytics",
        "timestamp": "2025-01-02T03:00:00Z", "url": "https://c360.example/analytics",
        "anonymous_id": "a1b2c3",
    },
    "social_interactions": {
        "interaction_id": "soc_0001", "platform": "linkedin", "handle": "@jose.muller",
        "display_name": "José Müller", "email": None, "company": "Acme Logistics",
        "interaction_type": "comment", "timestamp": "2025-01-03T12:00:00Z",
    },
    "support_tickets": {
        "ticket_id": "TKT-000001", "requester_name": "Müller, José",
        "requester_email": "jose.m@gmail.com", "requester_phone": "", "company": "Acme",
        "subject": "Cannot export", "channel": "email", "priority": "high", "status": "open",
        "created_at": "2025-01-04T08:00:00Z", "updated_at": "", "solved_at": "",
        "requested_fields": "phone;order_number",
    },
}


def record(table: str, key_suffix: str = "", **changes: object) -> dict[str, object]:
    """A valid record of ``table`` with a distinct key and some fields changed."""
    base: dict[str, object] = dict(VALID_RECORDS[table])
    key = source_table(table).key_column
    base[key] = f"{base[key]}{key_suffix}"
    base.update(changes)
    return base


def write_landing_file(landing: Path, table: SourceTable, records: list[dict[str, object]]) -> Path:
    """Write records in the table's export format, as the source system would."""
    path = landing / table.relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    if table.file_format == "jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        return path
    columns = list(VALID_RECORDS[table.name])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(records)
    return path

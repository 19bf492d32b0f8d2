"""A landing zone of a few people, each built to exercise one profile rule.

- Alice Archer: CRM contact at Acme (Analyst, an active product) who later typed a new job
  title and company into a web form, then unsubscribed in the email platform.
- Bruno Baker: an email subscriber whose address hard-bounced.
- Carla Cruz: a CRM contact and subscriber who asks to be erased.
- Dmitri Dorn: an anonymous visitor who signs up for the newsletter, then requests a
  demo, from a work address whose domain is a CRM account's, with no CRM contact.
- Erin Ellis: a CRM contact whose only subscription ended; she gave her phone to support in
  an urgent, still open ticket, and a month later a contact form asked for it again.
- Farah Fox: a Gmail user, while a (badly kept) CRM account claims the gmail.com domain.
- Helen Hill: a newsletter subscriber who gave her address and nothing else.
- Gus Grant: a CRM contact at Formula Works whose first name is a spreadsheet formula and
  whose job title is markup, with a birth date, a postal address and a phone; never opted in.
"""

from __future__ import annotations

from pathlib import Path

from assets import (
    ACTIVATION_ASSETS,
    IDENTITY_ASSETS,
    PROFILE_ASSETS,
    PUBLISHING_ASSETS,
    RAW_ASSETS,
)
from resolution import source_table
from tests.landing_files import record, write_landing_file

PROFILE_PIPELINE = [
    *RAW_ASSETS,
    *IDENTITY_ASSETS,
    *PROFILE_ASSETS,
    *ACTIVATION_ASSETS,
    *PUBLISHING_ASSETS,
]
"""Every asset from landing files to the published database (exports and reports aside)."""

_BLANK_CONTACT = {
    "secondary_email": "", "phone": "", "mobile_phone": "", "street": "", "city": "",
    "postcode": "", "birth_date": "", "lead_status": "",
}
_PAGE_VIEW = {
    "event_type": "page_view", "form_id": None, "fields_requested": None, "traits": None,
    "page_url": "https://c360.example/pricing",
}


def _form(event_id: str, cookie: str, form: str, at: str, **traits: str) -> dict[str, object]:
    return record(
        "web_events", event_id=event_id, anonymous_id=cookie, form_id=form, timestamp=at,
        fields_requested=";".join(traits), traits=traits,
    )


def write_profile_scenario(landing: Path) -> None:
    """Write every source file of the scenario under ``landing``."""
    tables = {
        "crm_accounts": [
            record("crm_accounts"),
            record("crm_accounts", account_id="ACC-000002", name="Dorn Industries",
                   domain="dorn-industries.com"),
            record("crm_accounts", account_id="ACC-000003", name="Ellis Estates",
                   domain="ellis-estates.com"),
            record("crm_accounts", account_id="ACC-000004", name="Misfiled Gmail Account",
                   domain="gmail.com"),
            record("crm_accounts", account_id="ACC-000005", name="Formula Works",
                   domain="formula-works.com"),
        ],
        "crm_contacts": [
            record("crm_contacts", contact_id="CON-A", first_name="Alice", last_name="Archer",
                   email="alice.archer@acme-logistics.com", job_title="Analyst",
                   phone="+1 617-555-0101", lifecycle_stage="lead",
                   created_at="2024-02-01T10:00:00Z", updated_at="2024-05-01T10:00:00Z",
                   **{k: v for k, v in _BLANK_CONTACT.items() if k != "phone"}),
            record("crm_contacts", contact_id="CON-C", first_name="Carla", last_name="Cruz",
                   email="carla.cruz@yahoo.com", account_id="", job_title="Owner",
                   lifecycle_stage="subscriber", **_BLANK_CONTACT),
            record("crm_contacts", contact_id="CON-E", first_name="Erin", last_name="Ellis",
                   email="erin.ellis@ellis-estates.com", account_id="ACC-000003",
                   job_title="Director", lifecycle_stage="customer", **_BLANK_CONTACT),
            record("crm_contacts", contact_id="CON-G", first_name='=HYPERLINK("http://x","y")',
                   last_name="Grant", email="gus.grant@formula-works.com",
                   account_id="ACC-000005", job_title='Buyer <script>alert("x")</script>',
                   phone="+1 415-555-0100", birth_date="1984-07-09", lifecycle_stage="lead",
                   secondary_email="", mobile_phone="", lead_status=""),
        ],
        "crm_subscriptions": [
            record("crm_subscriptions", contact_id="CON-A"),
            record("crm_subscriptions", subscription_id="SUB-E", account_id="ACC-000003",
                   contact_id="CON-E", product="Identity Hub", status="cancelled",
                   start_date="2023-01-01", end_date="2024-01-01"),
        ],
        "web_events": [
            _form("evt_A", "cookie-a", "webinar_registration", "2025-05-01T09:00:00Z",
                  email="alice.archer@acme-logistics.com", first_name="Alice",
                  last_name="Archer", company="Acme Web Name", job_title="Head of Data"),
            record("web_events", event_id="evt_D0", anonymous_id="cookie-d",
                   timestamp="2024-01-01T09:00:00Z", **_PAGE_VIEW),
            _form("evt_D1", "cookie-d", "newsletter_signup", "2024-02-01T09:00:00Z",
                  email="dmitri.dorn@dorn-industries.com", first_name="Dmitri"),
            _form("evt_D2", "cookie-d", "demo_request", "2024-03-01T09:00:00Z",
                  email="dmitri.dorn@dorn-industries.com", first_name="Dmitri",
                  last_name="Dorn"),
            _form("evt_E", "cookie-e", "contact_us", "2025-02-04T09:00:00Z",
                  email="erin.ellis@ellis-estates.com", phone="+1 617 555 0199"),
            _form("evt_F", "cookie-f", "trial_signup", "2025-01-01T09:00:00Z",
                  email="farah.fox@gmail.com", first_name="Farah", last_name="Fox"),
        ],
        "email_subscribers": [
            record("email_subscribers", subscriber_id="SUBR-A",
                   email="alice.archer@acme-logistics.com", first_name="Alice",
                   last_name="Archer", opt_in_at="2024-01-01T00:00:00Z",
                   last_changed_at="2024-01-01T00:00:00Z"),
            record("email_subscribers", subscriber_id="SUBR-B", email="bruno.baker@gmail.com",
                   first_name="Bruno", last_name="Baker"),
            record("email_subscribers", subscriber_id="SUBR-C", email="carla.cruz@yahoo.com",
                   first_name="Carla", last_name="Cruz"),
            record("email_subscribers", subscriber_id="SUBR-H", email="helen.hill84@gmail.com",
                   first_name="", last_name=""),
        ],
        "email_events": [
            record("email_events", event_id="eml_A", subscriber_id="SUBR-A",
                   email="alice.archer@acme-logistics.com", event_type="unsubscribe",
                   timestamp="2025-06-01T00:00:00Z", anonymous_id=None, url=None),
            record("email_events", event_id="eml_B", subscriber_id="SUBR-B",
                   email="bruno.baker@gmail.com", event_type="bounce", bounce_type="hard",
                   anonymous_id=None, url=None),
        ],
        "social_interactions": [
            record("social_interactions", handle="@farah.fox", display_name="Farah Fox",
                   email="farah.fox@gmail.com", company=None),
        ],
        "support_tickets": [
            record("support_tickets", requester_name="Erin Ellis",
                   requester_email="erin.ellis@ellis-estates.com", company="Ellis Estates",
                   requester_phone="+1 617 555 0199", priority="urgent", status="open",
                   created_at="2025-01-04T08:00:00Z", requested_fields="phone;order_number"),
        ],
    }
    for name, rows in tables.items():
        write_landing_file(landing, source_table(name), rows)

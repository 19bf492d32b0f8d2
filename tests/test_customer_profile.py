"""The golden profile: one row per person, values chosen by declared rules, traceable.

Marketers act on this table (who to mail, what to say) and sales reads it before a call,
so each rule here is a promise: an opt-out anywhere stops contact everywhere, the trusted
source wins and the lineage says so, an erased person never comes back.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import build_definitions
from pipelines.settings import Settings, load_settings
from tests.profile_scenario import PROFILE_PIPELINE as PIPELINE
from tests.profile_scenario import write_profile_scenario
from tests.settings_files import write_settings_file


def _settings(folder: Path, **overrides: dict[str, object]) -> Settings:
    paths = {"landing_dir": folder / "landing", "ground_truth_dir": folder / "no_truth"}
    return load_settings(write_settings_file(folder, {"paths": paths, **overrides}))


def _materialize(settings: Settings) -> dg.ExecuteInProcessResult:
    result = dg.materialize(PIPELINE, resources=build_definitions(settings).resources)
    assert result.success
    return result


def _profile(settings: Settings, email: str) -> dict[str, object]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        rows = conn.sql(
            "SELECT * FROM profile.customer_profile WHERE email = ?", params=[email]
        ).pl()
    assert rows.height == 1, f"{rows.height} profiles for {email}"
    return rows.row(0, named=True)


def _lineage(settings: Settings, customer_id: str, field: str) -> dict[str, object]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        return (
            conn.sql(
                "SELECT * FROM profile.profile_field_lineage WHERE customer_id = ? AND field = ?",
                params=[customer_id, field],
            )
            .pl()
            .row(0, named=True)
        )


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Settings:
    folder = tmp_path_factory.mktemp("profile")
    write_profile_scenario(folder / "landing")
    settings = _settings(folder)
    _materialize(settings)
    return settings


def test_an_unsubscribe_in_the_email_platform_suppresses_the_crm_sourced_profile(scenario):
    alice = _profile(scenario, "alice.archer@acme-logistics.com")
    assert alice["channels"] == ["crm", "email", "web"]
    assert alice["consent_status"] == "opted_out"
    assert alice["consent_source_table"] == "email_events"
    assert alice["is_suppressed"] is True


def test_the_crm_value_wins_over_a_newer_web_form_value_and_the_lineage_says_why(scenario):
    alice = _profile(scenario, "alice.archer@acme-logistics.com")
    assert alice["company"] == "Acme Logistics"
    lineage = _lineage(scenario, str(alice["customer_id"]), "company")
    assert (lineage["source_system"], lineage["source_record_id"]) == ("crm", "CON-A")
    assert lineage["rule"] == "trust"
    assert (lineage["agreeing_records"], lineage["disagreeing_records"]) == (1, 1)
    assert (lineage["agreeing_sources"], lineage["disagreeing_sources"]) == (1, 1)


def test_a_field_with_its_own_rules_takes_the_most_recent_value(scenario):
    alice = _profile(scenario, "alice.archer@acme-logistics.com")
    assert alice["job_title"] == "Head of Data"
    assert _lineage(scenario, str(alice["customer_id"]), "job_title")["rule"] == "recent"


def test_changing_the_trust_order_in_settings_changes_the_profile(tmp_path):
    write_profile_scenario(tmp_path / "landing")
    web_first = ["web", "crm", "support", "email", "social"]
    settings = _settings(tmp_path, survivorship={"trust_order": web_first})
    _materialize(settings)
    alice = _profile(settings, "alice.archer@acme-logistics.com")
    assert alice["company"] == "Acme Web Name"
    assert _lineage(settings, str(alice["customer_id"]), "company")["source_system"] == "web"


def test_a_hard_bounce_marks_the_email_undeliverable_and_suppresses_the_person(scenario):
    bruno = _profile(scenario, "bruno.baker@gmail.com")
    assert bruno["email_deliverable"] is False
    with duckdb.connect(str(scenario.published_database), read_only=True) as conn:
        reasons = conn.sql(
            "SELECT reason FROM suppressions WHERE customer_id = ?", params=[bruno["customer_id"]]
        ).fetchall()
        contactable = conn.sql("SELECT customer_id FROM contactable_customers").fetchall()
    assert ("undeliverable",) in reasons
    assert (bruno["customer_id"],) not in contactable


def test_lifecycle_history_walks_up_from_anonymous_visitor_to_marketing_qualified(scenario):
    dmitri = _profile(scenario, "dmitri.dorn@dorn-industries.com")
    with duckdb.connect(str(scenario.warehouse), read_only=True) as conn:
        history = conn.sql(
            "SELECT stage, previous_stage, CAST(entered_at AS DATE)::VARCHAR AS day, rule "
            "FROM profile.lifecycle_history WHERE customer_id = ? ORDER BY entered_at",
            params=[dmitri["customer_id"]],
        ).fetchall()
    assert history == [
        ("anonymous", None, "2024-01-01", "first_web_visit"),
        ("subscriber", "anonymous", "2024-02-01", "form:newsletter_signup"),
        ("marketing_qualified", "subscriber", "2024-03-01", "form:demo_request"),
    ]
    assert dmitri["lifecycle_stage"] == "marketing_qualified"


def test_a_customer_whose_every_subscription_ended_is_churned(scenario):
    erin = _profile(scenario, "erin.ellis@ellis-estates.com")
    assert erin["lifecycle_stage"] == "churned"
    assert erin["products_owned"] == []
    alice = _profile(scenario, "alice.archer@acme-logistics.com")
    assert alice["lifecycle_stage"] == "customer"
    assert alice["products_owned"] == ["Analytics Pro"]


def test_a_work_email_domain_attributes_the_account_where_the_crm_is_silent(scenario):
    dmitri = _profile(scenario, "dmitri.dorn@dorn-industries.com")
    assert (dmitri["account_id"], dmitri["account_rule"]) == ("ACC-000002", "work_email_domain")
    alice = _profile(scenario, "alice.archer@acme-logistics.com")
    assert (alice["account_id"], alice["account_rule"]) == ("ACC-000001", "crm_contact")
    assert alice["account_owner_name"] == "Dana Rep"


def test_a_free_mail_domain_never_attributes_an_account(scenario):
    farah = _profile(scenario, "farah.fox@gmail.com")
    assert farah["account_id"] is None


def test_the_account_table_counts_contacts_products_and_open_tickets(scenario):
    with duckdb.connect(str(scenario.warehouse), read_only=True) as conn:
        ellis = conn.sql(
            "SELECT contacts, subscriptions, active_products, open_tickets, urgent_open_tickets "
            "FROM profile.account WHERE account_id = 'ACC-000003'"
        ).fetchall()
    assert ellis == [(1, 1, [], 1, 1)]


def test_a_name_read_from_a_mailbox_matches_records_but_is_never_shown_as_given(scenario):
    helen = _profile(scenario, "helen.hill84@gmail.com")

    assert (helen["first_name"], helen["last_name"]) == (None, None)
    with duckdb.connect(str(scenario.warehouse), read_only=True) as conn:
        read = conn.sql(
            "SELECT given_name, last_name FROM identity.identity_records "
            "WHERE record_key = 'email_subscribers:SUBR-H'"
        ).fetchall()
    assert read == [("helen", "hill")]


def test_every_profile_check_passes_and_the_database_is_published(scenario):
    with duckdb.connect(str(scenario.published_database), read_only=True) as conn:
        tables = {row[0] for row in conn.sql("SHOW TABLES").fetchall()}
        profiles = conn.sql("SELECT count(*) FROM customer_profile").fetchall()[0][0]
    assert {"customer_profile", "profile_field_lineage", "account", "publication"} <= tables
    with duckdb.connect(str(scenario.warehouse), read_only=True) as conn:
        customers = conn.sql("SELECT count(DISTINCT customer_id) FROM identity.identity_map")
        assert profiles == customers.fetchall()[0][0]


def test_an_unsubscribe_arriving_with_a_record_that_merges_only_now_suppresses_at_once(tmp_path):
    """Run 1 has no email-platform record of Alice; run 2 brings her subscriber record and its
    unsubscribe event, which merge into her CRM customer in that same run."""
    write_profile_scenario(tmp_path / "landing")
    exports = {
        path: path.read_text(encoding="utf-8")
        for path in (
            tmp_path / "landing" / "email" / "events.jsonl",
            tmp_path / "landing" / "email" / "subscribers.csv",
        )
    }
    for path, text in exports.items():
        kept = [
            line for line in text.splitlines(True) if "eml_A" not in line and "SUBR-A," not in line
        ]
        path.write_text("".join(kept), encoding="utf-8")
    settings = _settings(tmp_path)
    _materialize(settings)
    before = _profile(settings, "alice.archer@acme-logistics.com")
    assert before["is_suppressed"] is False and "email" not in before["channels"]

    for path, text in exports.items():  # the email platform's next export
        path.write_text(text, encoding="utf-8")
    _materialize(settings)
    after = _profile(settings, "alice.archer@acme-logistics.com")
    assert after["customer_id"] == before["customer_id"]
    assert after["is_suppressed"] is True
    assert after["consent_source_table"] == "email_events"

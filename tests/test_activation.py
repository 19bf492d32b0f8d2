"""Activation: who may be contacted, what we already know, and what we asked again.

These outputs reach campaigns, web forms and agents directly, so each rule is stated as
what the business sees: a suppressed person is never in the feed, a form does not ask for
what the person already gave, and every such repeated request is counted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

import assets.activation
from pipelines.cli import main
from pipelines.definitions import build_definitions
from pipelines.settings import PROJECT_ROOT, Settings, load_settings
from resolution.activation import form_field_actions
from tests.profile_scenario import PROFILE_PIPELINE as PIPELINE
from tests.profile_scenario import write_profile_scenario
from tests.settings_files import write_settings_file

ERIN = "erin.ellis@ellis-estates.com"


def _settings(folder: Path) -> Settings:
    write_profile_scenario(folder / "landing")
    overrides = {
        "paths": {"landing_dir": folder / "landing", "ground_truth_dir": folder / "no_truth"},
        # The scenario's events are from 2024-2025: keep them fresh whatever today's date.
        "activation": {
            "known_field_max_age_days": 36500,
            "forms_dir": PROJECT_ROOT / "sample_data" / "forms",
        },
    }
    return load_settings(write_settings_file(folder, overrides))


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> tuple[Settings, dg.ExecuteInProcessResult]:
    settings = _settings(tmp_path_factory.mktemp("activation"))
    result = dg.materialize(PIPELINE, resources=build_definitions(settings).resources)
    assert result.success
    return settings, result


def _query(settings: Settings, sql: str, *params: object) -> pl.DataFrame:
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        return conn.sql(sql, params=list(params)).pl()


def _customer(settings: Settings, email: str) -> str:
    return _query(
        settings, "SELECT customer_id FROM profile.customer_profile WHERE email = ?", email
    ).item()


def test_a_form_asking_for_a_phone_already_given_to_support_is_a_redundant_request(scenario):
    settings, _ = scenario
    redundant = _query(
        settings,
        "SELECT source_record_id, requested_by, field, known_from_record_id "
        "FROM activation.redundant_requests WHERE customer_id = ? ORDER BY field",
        _customer(settings, ERIN),
    )
    assert ("evt_E", "contact_us", "phone", "TKT-000001") in redundant.rows()
    assert ("evt_E", "contact_us", "email", "TKT-000001") in redundant.rows()


def test_the_first_request_for_a_field_is_not_redundant(scenario):
    settings, _ = scenario
    first_asks = _query(
        settings,
        "SELECT * FROM activation.redundant_requests WHERE source_record_id = 'TKT-000001'",
    )
    assert first_asks.is_empty()


def test_redundant_requests_are_numeric_metadata_for_the_ui(scenario):
    _, result = scenario
    metadata = next(
        event.materialization.metadata
        for event in result.get_asset_materialization_events()
        if event.materialization.asset_key == dg.AssetKey(["activation", "redundant_requests"])
    )
    assert metadata["redundant_requests"].value >= 2
    assert metadata["redundant_requests_web_events"].value >= 2
    assert metadata["redundant_requests_field_phone"].value >= 1


def test_the_prefill_for_that_form_skips_the_phone(scenario):
    settings, _ = scenario
    actions = _query(
        settings,
        "SELECT form_field, action FROM activation.form_prefill "
        "WHERE form_id = 'contact_us' AND customer_id = ? ORDER BY form_field",
        _customer(settings, ERIN),
    )
    assert dict(actions.rows()) == {
        "company": "skip",
        "email": "skip",
        "first_name": "skip",
        "last_name": "skip",
        "phone": "skip",
    }


def test_a_stale_value_is_prefilled_for_confirmation_and_an_unknown_one_asked():
    known = pl.DataFrame(
        {
            "customer_id": ["C1", "C1"],
            "field": ["phone", "postal_address"],
            "known": [True, False],
            "fresh": [False, False],
            "value": ["+16175550199", None],
        }
    )
    actions = form_field_actions(known, ["phone", "address", "order_number"])
    assert actions.select("form_field", "action", "prefill_value").rows() == [
        ("address", "ask", None),
        ("order_number", "ask", None),
        ("phone", "prefill", "+16175550199"),
    ]


def test_a_suppressed_person_is_absent_from_the_feed_and_listed_with_the_reason(scenario):
    settings, _ = scenario
    alice = _customer(settings, "alice.archer@acme-logistics.com")
    reasons = _query(
        settings, "SELECT reason FROM activation.suppressions WHERE customer_id = ?", alice
    )
    assert "unsubscribed" in reasons["reason"].to_list()
    feed = _query(settings, "SELECT customer_id FROM activation.personalization_feed")
    assert alice not in feed["customer_id"].to_list()


def test_an_open_urgent_ticket_suppresses_marketing(scenario):
    settings, _ = scenario
    reasons = _query(
        settings,
        "SELECT reason, detail FROM activation.suppressions WHERE customer_id = ?",
        _customer(settings, ERIN),
    )
    assert ("open_urgent_ticket", "support_tickets:TKT-000001") in reasons.rows()


def test_only_an_explicit_opt_in_makes_a_person_contactable(scenario):
    settings, _ = scenario
    feed = _query(
        settings, "SELECT email, segment FROM activation.personalization_feed ORDER BY email"
    )
    # Carla and Helen subscribed in the email platform and Dmitri through the newsletter
    # form; Farah only started a trial, which is no consent to marketing.
    assert feed.rows() == [
        ("carla.cruz@yahoo.com", "nurture"),
        ("dmitri.dorn@dorn-industries.com", "marketing_qualified"),
        ("helen.hill84@gmail.com", "nurture"),
    ]
    farah = _query(
        settings,
        "SELECT reason FROM activation.suppressions WHERE customer_id = ?",
        _customer(settings, "farah.fox@gmail.com"),
    )
    assert farah["reason"].to_list() == ["no_consent"]


def test_a_feed_holding_a_suppressed_person_fails_its_check_and_is_not_published(
    tmp_path, monkeypatch
):
    settings = _settings(tmp_path)
    real_feed = assets.activation.personalization_feed

    def feed_ignoring_suppressions(conn, suppressed, policy, reference_time):
        return real_feed(conn, suppressed.clear(), policy, reference_time)

    monkeypatch.setattr(assets.activation, "personalization_feed", feed_ignoring_suppressions)
    result = dg.materialize(
        PIPELINE, resources=build_definitions(settings).resources, raise_on_error=False
    )
    failed = {e.check_name for e in result.get_asset_check_evaluations() if not e.passed}
    assert "no_suppressed_customer_in_feed" in failed
    materialised = {
        e.materialization.asset_key.to_user_string()
        for e in result.get_asset_materialization_events()
    }
    assert "published/marketing_database" not in materialised
    assert not settings.published_database.exists()


def test_known_fields_command_answers_for_one_person_and_a_form(scenario, capsys):
    settings, _ = scenario
    form = settings.warehouse.parent.parent / "contact_us.yaml"
    form.write_text("form_id: contact_us\nfields: [email, phone, order_number]\n")
    settings_file = settings.warehouse.parent.parent / "c360.toml"
    assert (
        main(
            [
                "known-fields",
                "--email",
                ERIN.upper(),
                "--form",
                str(form),
                "--settings",
                str(settings_file),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert _customer(settings, ERIN) in out
    assert "+16175550199" in out
    lines = {line.split("┆")[0].strip("│ "): line for line in out.splitlines() if "┆" in line}
    assert "skip" in lines["phone"] and "ask" in lines["order_number"]


def test_known_fields_reference_time_makes_old_values_stale(scenario):
    settings, _ = scenario
    from resolution.activation import known_fields

    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        far_future = datetime(2100, 1, 1, tzinfo=UTC)
        known = known_fields(conn, far_future, 365, customer_id=_customer(settings, ERIN))
    assert known.filter(pl.col("known"))["fresh"].to_list() == [False] * known["known"].sum()

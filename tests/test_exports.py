"""Account-context exports: what sales, support and marketing receive, and nothing more.

These files leave the pipeline for spreadsheets, CRMs and browsers, so each promise here
protects a person: an audience sees only the fields c360.toml grants it (sales never sees
a birth date it was not granted), a name typed as a formula stays text in Excel, markup
stays text in a browser, and a reader never sees a half-written or invalid export.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

import resolution.exports._write as export_run
from assets import (
    ACTIVATION_ASSETS,
    EXPORT_ASSETS,
    IDENTITY_ASSETS,
    PROFILE_ASSETS,
    RAW_ASSETS,
)
from assets.resources import AudienceFields, ExportsFolder
from pipelines.definitions import build_definitions
from pipelines.settings import PROJECT_ROOT, Settings, load_settings
from resolution.exports import (
    CURRENT,
    VERSIONS,
    audience_policies,
    export_account_context,
    neutralise_cell,
)
from tests.profile_scenario import write_profile_scenario
from tests.settings_files import write_settings_file

PIPELINE = [*RAW_ASSETS, *IDENTITY_ASSETS, *PROFILE_ASSETS, *ACTIVATION_ASSETS, *EXPORT_ASSETS]
GUS = "gus.grant@formula-works.com"
ERIN = "erin.ellis@ellis-estates.com"
FORMULA_NAME = '=HYPERLINK("http://x","y")'
GUS_BIRTH_DATE = "1984-07-09"


def _settings(folder: Path, **overrides: dict[str, object]) -> Settings:
    paths = {"landing_dir": folder / "landing", "ground_truth_dir": folder / "no_truth"}
    return load_settings(write_settings_file(folder, {"paths": paths, **overrides}))


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> tuple[Settings, dg.ExecuteInProcessResult]:
    folder = tmp_path_factory.mktemp("exports")
    write_profile_scenario(folder / "landing")
    # Every known value counts as fresh, so "do not ask again" has something to say.
    settings = _settings(
        folder,
        activation={
            "known_field_max_age_days": 36500,
            "forms_dir": PROJECT_ROOT / "sample_data" / "forms",
        },
    )
    result = dg.materialize(PIPELINE, resources=build_definitions(settings).resources)
    assert result.success
    return settings, result


def _current(settings: Settings) -> Path:
    return settings.exports_dir / CURRENT


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _row(rows: list[dict], email: str) -> dict:
    [row] = [row for row in rows if row["email"] == email]
    return row


def _labels(page: str) -> set[str]:
    return set(re.findall(r'data-field="([^"]*)"', page))


def _policy(settings: Settings, audience: str):
    [policy] = [p for p in settings.audiences if p.name == audience]
    return policy


def test_sales_and_support_get_contacts_accounts_and_a_page_per_account(scenario):
    settings, result = scenario
    current = _current(settings)
    assert current.is_symlink()
    for audience in ("sales", "support"):
        for kind in ("contacts", "accounts"):
            assert (current / audience / f"{kind}.jsonl").exists()
            assert (current / audience / f"{kind}.csv").exists()
        pages = sorted(p.name for p in (current / audience / "accounts").glob("*.html"))
        assert pages == [f"ACC-00000{n}.html" for n in range(1, 6)]
    assert sorted(p.name for p in (current / "marketing").iterdir()) == [
        "feed.csv",
        "feed.jsonl",
        "form_prefill.csv",
        "form_prefill.jsonl",
    ]
    [materialization] = [
        m.materialization
        for m in result.get_asset_materialization_events()
        if m.materialization.asset_key == dg.AssetKey(["exports", "account_context"])
    ]
    metadata = materialization.metadata
    assert metadata["published"].value is True
    assert metadata["path"].value == str(current)
    assert metadata["rows_sales_contacts"].value == 8
    assert metadata["rows_support_accounts"].value == 5
    assert metadata["rows_marketing_feed"].value == 3
    assert metadata["files_written"].value == 2 * (4 + 5) + 2 + 2
    checks = {
        e.check_name: e.passed
        for e in result.get_asset_check_evaluations()
        if e.asset_key == dg.AssetKey(["exports", "account_context"])
    }
    assert checks == {
        "exports_match_schema": True,
        "fields_allowed_for_audience": True,
        "files_hold_every_row": True,
    }


def test_no_export_shows_a_field_outside_its_audience_list(scenario):
    settings, _ = scenario
    current = _current(settings)
    shown: list[tuple[str, set[str], set[str]]] = []
    for policy in settings.audiences:
        folder = current / policy.name
        for path in folder.glob("*.csv"):
            with path.open(newline="", encoding="utf-8") as handle:
                header = set(next(csv.reader(handle)))
            shown.append((path.name, header, set(policy.allowed(path.stem))))
        for path in folder.glob("*.jsonl"):
            keys = {key for row in _jsonl(path) for key in row}
            shown.append((path.name, keys, set(policy.allowed(path.stem))))
        page_fields = {*policy.allowed("accounts"), *policy.allowed("contacts")}
        for path in folder.glob("accounts/*.html"):
            page = path.read_text(encoding="utf-8")
            shown.append((path.name, _labels(page), page_fields))
            every_field = {f for p in settings.audiences for k in p.fields.values() for f in k}
            for hidden in every_field - page_fields:
                label = hidden.replace("_", " ").capitalize()
                assert f">{label}<" not in page, (policy.name, path.name, label)
    assert len(shown) == 2 * (4 + 5) + 2 + 2
    for name, fields, allowed in shown:
        assert fields and fields <= allowed, (name, fields - allowed)


def test_the_sales_export_has_no_birth_date_unless_the_configuration_allows_it(scenario, tmp_path):
    settings, _ = scenario
    assert "birth_date" not in _policy(settings, "sales").allowed("contacts")
    for path in (_current(settings) / "sales").rglob("*.*"):
        text = path.read_text(encoding="utf-8")
        assert "birth_date" not in text and "Birth date" not in text, path.name
        assert GUS_BIRTH_DATE not in text, path.name
    sales = _policy(settings, "sales")
    granted = audience_policies(
        {"sales": {"contact_fields": [*sales.allowed("contacts"), "birth_date"]}}
    )
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        run = export_account_context(conn, granted, tmp_path, "granted")
    gus = _row(_jsonl(tmp_path / CURRENT / "sales" / "contacts.jsonl"), GUS)
    assert run.published is not None
    assert gus["birth_date"] == GUS_BIRTH_DATE


def test_known_fresh_fields_the_audience_may_hold_are_listed_as_not_to_ask_again(scenario):
    settings, _ = scenario
    current = _current(settings)
    sales_gus = _row(_jsonl(current / "sales" / "contacts.jsonl"), GUS)
    support_gus = _row(_jsonl(current / "support" / "contacts.jsonl"), GUS)
    # Sales may not hold the birth date or address, so it is not told they are known.
    assert sales_gus["do_not_ask"] == [
        "company", "country", "email", "first_name", "job_title", "last_name", "phone",
    ]  # fmt: skip
    assert "postal_address" in support_gus["do_not_ask"]
    assert "birth_date" not in support_gus["do_not_ask"]


def test_a_contact_shows_stage_owner_products_tickets_interactions_and_consent(scenario):
    settings, _ = scenario
    contacts = _jsonl(_current(settings) / "support" / "contacts.jsonl")
    erin = _row(contacts, ERIN)
    assert erin["lifecycle_stage"] == "churned"
    assert erin["account_name"] == "Ellis Estates"
    assert erin["account_owner_name"] == "Dana Rep"
    assert erin["products"] == [
        {
            "product": "Identity Hub",
            "status": "cancelled",
            "start_date": "2023-01-01",
            "end_date": "2024-01-01",
        }
    ]
    [ticket] = erin["open_tickets"]
    assert (ticket["ticket_id"], ticket["status"], ticket["priority"]) == (
        "TKT-000001",
        "open",
        "urgent",
    )
    assert erin["recent_tickets"] == erin["open_tickets"]
    interactions = [(i["channel"], i["kind"]) for i in erin["last_interactions"]]
    assert interactions[:2] == [("web", "form_submit"), ("support", "ticket_open")]
    times = [i["occurred_at"] for i in erin["last_interactions"]]
    assert times == sorted(times, reverse=True)
    assert (erin["consent_status"], erin["is_suppressed"]) == ("unknown", False)
    alice = _row(contacts, "alice.archer@acme-logistics.com")
    assert [(p["product"], p["status"]) for p in alice["products"]] == [("Analytics Pro", "active")]
    assert (alice["consent_status"], alice["consent_choice"]) == ("opted_out", "unsubscribed")
    assert alice["is_suppressed"] is True


def test_an_account_takes_its_most_advanced_contact_stage_and_lists_their_tickets(scenario):
    settings, _ = scenario
    accounts = {
        row["account_id"]: row for row in _jsonl(_current(settings) / "sales" / "accounts.jsonl")
    }
    assert accounts["ACC-000001"]["lifecycle_stage"] == "customer"
    assert accounts["ACC-000003"]["lifecycle_stage"] == "churned"
    assert accounts["ACC-000004"]["lifecycle_stage"] is None
    assert [t["ticket_id"] for t in accounts["ACC-000003"]["open_tickets"]] == ["TKT-000001"]
    assert accounts["ACC-000001"]["open_tickets"] == []


def test_a_formula_typed_as_a_name_is_text_in_the_csv_and_escaped_in_html(scenario):
    settings, _ = scenario
    current = _current(settings)
    gus = _row(_csv(current / "sales" / "contacts.csv"), GUS)
    assert gus["first_name"] == "'" + FORMULA_NAME
    for path in current.rglob("*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                risky = [cell for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
                assert risky == [], (path.name, risky)
    page = (current / "sales" / "accounts" / "ACC-000005.html").read_text(encoding="utf-8")
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in page
    assert FORMULA_NAME not in page
    assert "Buyer &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<script" not in page


def test_a_phone_number_is_quoted_in_the_csv_and_raw_in_the_jsonl(scenario):
    # Chosen behaviour (OWASP): a leading + is a formula trigger in spreadsheets, so the CSV
    # cell is prefixed like any other; systems that need E.164 read the JSONL.
    settings, _ = scenario
    current = _current(settings)
    assert _row(_csv(current / "sales" / "contacts.csv"), GUS)["phone"] == "'+14155550100"
    assert _row(_jsonl(current / "sales" / "contacts.jsonl"), GUS)["phone"] == "+14155550100"


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+14155550100", "'+14155550100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Alice", "Alice"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_a_csv_cell_starting_with_a_formula_trigger_gets_a_leading_quote(cell, written):
    assert neutralise_cell(cell) == written


@pytest.mark.parametrize(
    ("sales", "message"),
    [
        ({"contact_fields": ["customer_id", "birthdate"]}, "unknown field 'birthdate'"),
        ({"contacts_fields": ["customer_id"]}, "contacts_fields: unknown list"),
        ({"contact_fields": ["email"]}, "must include 'customer_id'"),
        ({"account_fields": "account_id"}, "must be a list of field names"),
    ],
)
def test_an_unknown_or_incomplete_field_list_is_refused_naming_the_file(tmp_path, sales, message):
    path = write_settings_file(tmp_path, {"audiences": {"sales": sales}})
    with pytest.raises(ValueError, match=message) as refused:
        load_settings(path)
    assert str(path) in str(refused.value)
    assert "[audiences.sales]" in str(refused.value)


def test_a_field_typed_into_the_launchpad_is_checked_like_one_in_the_settings_file(tmp_path):
    resource = ExportsFolder(
        path=str(tmp_path),
        audiences={"sales": AudienceFields(contact_fields=["customer_id", "date_of_birth"])},
    )
    with pytest.raises(ValueError, match="unknown field 'date_of_birth'"):
        resource.policies()


def _export(settings: Settings, root: Path, run_id: str):
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        return export_account_context(conn, settings.audiences, root, run_id)


def test_each_run_swaps_current_and_keeps_only_the_version_it_replaced(scenario, tmp_path):
    settings, _ = scenario
    _export(settings, tmp_path, "run1")
    held = (tmp_path / CURRENT).resolve()
    _export(settings, tmp_path, "run2")
    # A reader that resolved `current` before the swap can still read its version.
    assert (held / "sales" / "contacts.csv").exists()
    _export(settings, tmp_path, "run3")
    assert (tmp_path / CURRENT).resolve() == (tmp_path / VERSIONS / "run3").resolve()
    assert sorted(p.name for p in (tmp_path / VERSIONS).iterdir()) == ["run2", "run3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [VERSIONS, CURRENT]


def test_a_run_that_fails_while_writing_leaves_the_last_good_version(
    scenario, tmp_path, monkeypatch
):
    settings, _ = scenario
    _export(settings, tmp_path, "good")
    before = (tmp_path / CURRENT / "sales" / "contacts.csv").read_text(encoding="utf-8")

    def disk_full(frame: pl.DataFrame, path: Path) -> None:
        path.write_text("half a file")
        raise OSError("No space left on device")

    monkeypatch.setattr(export_run, "write_csv", disk_full)
    with pytest.raises(OSError, match="No space left"):
        _export(settings, tmp_path, "broken")
    assert (tmp_path / CURRENT).resolve().name == "good"
    assert (tmp_path / CURRENT / "sales" / "contacts.csv").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in (tmp_path / VERSIONS).iterdir()) == ["good"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [VERSIONS, CURRENT]


def test_a_file_showing_a_field_outside_the_policy_is_never_published(
    scenario, tmp_path, monkeypatch
):
    settings, _ = scenario
    _export(settings, tmp_path, "good")
    real_write_jsonl = export_run.write_jsonl

    def leaky(frame: pl.DataFrame, path: Path) -> None:
        real_write_jsonl(frame.with_columns(pl.lit("1984-07-09").alias("birth_date")), path)

    monkeypatch.setattr(export_run, "write_jsonl", leaky)
    run = _export(settings, tmp_path, "leaky")
    assert run.published is None
    assert "sales/contacts.jsonl: birth_date" in run.fields_outside_policy
    assert (tmp_path / CURRENT).resolve().name == "good"
    assert sorted(p.name for p in (tmp_path / VERSIONS).iterdir()) == ["good"]


def test_an_export_failing_its_schema_is_blocked_with_the_row_and_the_reason(
    scenario, tmp_path, monkeypatch
):
    settings, _ = scenario
    resources = {
        **build_definitions(settings).resources,
        "exports": ExportsFolder(
            path=str(tmp_path),
            audiences={
                p.name: AudienceFields(
                    contact_fields=list(p.allowed("contacts")),
                    account_fields=list(p.allowed("accounts")),
                    feed_fields=list(p.allowed("feed")),
                    form_prefill_fields=list(p.allowed("form_prefill")),
                )
                for p in settings.audiences
            },
        ),
    }
    assert dg.materialize(EXPORT_ASSETS, resources=resources).success
    real_frames = export_run.context_frames

    def with_a_broken_email(conn: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
        frames = real_frames(conn)
        contacts = frames["contacts"].with_columns(
            pl.when(pl.col("email") == GUS)
            .then(pl.lit("not-an-email"))
            .otherwise(pl.col("email"))
            .alias("email")
        )
        return {**frames, "contacts": contacts}

    monkeypatch.setattr(export_run, "context_frames", with_a_broken_email)
    result = dg.materialize(EXPORT_ASSETS, resources=resources, raise_on_error=False)
    assert not result.success
    [schema_check] = [
        e for e in result.get_asset_check_evaluations() if e.check_name == "exports_match_schema"
    ]
    assert not schema_check.passed
    gus_id = _row(_jsonl(tmp_path / CURRENT / "sales" / "contacts.jsonl"), GUS)["customer_id"]
    assert re.search(
        rf"sales/contacts: row \d+ \(customer_id {gus_id}\): email fails str_contains\('@'\)",
        schema_check.description,
    )
    assert len(list((tmp_path / VERSIONS).iterdir())) == 1


def test_the_website_gets_a_prefill_export_that_skips_what_a_person_already_gave(scenario):
    settings, _ = scenario
    rows = _jsonl(_current(settings) / "marketing" / "form_prefill.jsonl")
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        [(erin,)] = conn.sql(
            "SELECT customer_id FROM profile.customer_profile WHERE email = ?", params=[ERIN]
        ).fetchall()
    contact_us = {
        row["form_field"]: row["action"]
        for row in rows
        if row["form_id"] == "contact_us" and row["customer_id"] == erin
    }
    assert contact_us["phone"] == "skip" and contact_us["email"] == "skip"
    assert {row["action"] for row in rows} <= {"skip", "prefill", "ask"}

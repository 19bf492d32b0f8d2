"""Every blocking gate stops what is built on top of it.

A check that fails but lets the next asset run protects nobody: these tests break each
invariant on purpose (a lost row, an over-merge, a malformed record, an erasure not
applied, a profile value without lineage) and assert that the check fails and that the
assets downstream are not materialised, so nothing reaches the published database.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

import assets.identity
import assets.ingestion
import assets.profile
from assets.resources import IdentityPolicy
from pipelines.definitions import build_definitions
from pipelines.settings import Settings, load_settings
from tests.profile_scenario import PROFILE_PIPELINE as PIPELINE
from tests.profile_scenario import write_profile_scenario
from tests.settings_files import write_settings_file


@pytest.fixture
def settings(tmp_path) -> Settings:
    write_profile_scenario(tmp_path / "landing")
    paths = {
        "landing_dir": tmp_path / "landing",
        "ground_truth_dir": tmp_path / "no_truth",
        "erasure_list": tmp_path / "erasure.csv",
    }
    return load_settings(write_settings_file(tmp_path, {"paths": paths}))


def _run(settings: Settings, **resource_overrides: object) -> dg.ExecuteInProcessResult:
    resources = build_definitions(settings).resources | resource_overrides
    return dg.materialize(PIPELINE, resources=resources, raise_on_error=False)


def _failed(result: dg.ExecuteInProcessResult) -> set[str]:
    return {
        f"{e.asset_key.to_user_string()}:{e.check_name}"
        for e in result.get_asset_check_evaluations()
        if not e.passed
    }


def _materialised(result: dg.ExecuteInProcessResult) -> set[str]:
    return {
        e.materialization.asset_key.to_user_string()
        for e in result.get_asset_materialization_events()
    }


def test_a_load_that_lost_a_row_is_not_resolved(settings, monkeypatch):
    real_ingest = assets.ingestion.ingest_source

    def losing_a_contact(conn, landing, table):
        report = real_ingest(conn, landing, table)
        if table.name == "crm_contacts":
            conn.execute("DELETE FROM raw.crm_contacts WHERE contact_id = 'CON-A'")
        return report

    monkeypatch.setattr(assets.ingestion, "ingest_source", losing_a_contact)
    result = _run(settings)
    assert "raw/crm_contacts:rows_accounted_for" in _failed(result)
    assert "identity/identity_records" not in _materialised(result)
    assert not settings.published_database.exists()


def test_a_malformed_identity_record_stops_resolution(settings, monkeypatch):
    real_read = assets.identity.read_identity_sources

    def with_a_bad_phone(conn):
        sources = real_read(conn)
        records = sources.records.with_columns(pl.lit("12345").alias("phone"))
        return type(sources)(records, sources.membership, sources.cookie_links)

    monkeypatch.setattr(assets.identity, "read_identity_sources", with_a_bad_phone)
    result = _run(settings)
    assert "identity/identity_records:records_match_schema" in _failed(result)
    assert "identity/identity_map" not in _materialised(result)


def test_an_over_merged_customer_stops_the_profile(settings):
    strict = IdentityPolicy(
        match_threshold=settings.match_threshold,
        max_cluster_size=1,
        ground_truth_dir=str(settings.ground_truth_dir),
    )
    result = _run(settings, identity=strict)
    assert "identity/identity_map:cluster_size_within_bound" in _failed(result)
    assert "identity/identity_map" in _materialised(result)
    assert not any(key.startswith("profile/") for key in _materialised(result))
    assert not settings.published_database.exists()


def test_an_erasure_not_applied_stops_the_profile(settings, monkeypatch):
    settings.erasure_list.write_text("email\ncarla.cruz@yahoo.com\n")
    monkeypatch.setattr(
        assets.profile,
        "erased_customers",
        lambda conn, salt: pl.DataFrame(schema={"customer_id": pl.String}),
    )
    result = _run(settings)
    assert "governance/erased_customers:every_request_erased" in _failed(result)
    assert not any(key.startswith("profile/") for key in _materialised(result))
    assert not settings.published_database.exists()


def test_a_profile_value_without_lineage_stops_activation_and_publishing(settings, monkeypatch):
    real_build = assets.profile.build_profiles

    def losing_a_lineage_row(*args, **kwargs):
        tables = real_build(*args, **kwargs)
        return type(tables)(
            **{**tables.__dict__, "profile_field_lineage": tables.profile_field_lineage.slice(1)}
        )

    monkeypatch.setattr(assets.profile, "build_profiles", losing_a_lineage_row)
    result = _run(settings)
    assert "profile/profile_field_lineage:lineage_complete" in _failed(result)
    assert "activation/known_fields" not in _materialised(result)
    assert "published/marketing_database" not in _materialised(result)


def test_a_published_file_that_does_not_match_the_warehouse_fails_its_check(
    settings, monkeypatch
):
    import assets.publishing

    real_publish = assets.publishing.publish_database

    def publishing_a_short_profile(conn, target: Path, published_at, run_id):
        counts = real_publish(conn, target, published_at, run_id)
        with duckdb.connect(str(target)) as published:
            published.execute("DELETE FROM customer_profile WHERE rowid = 0")
        return counts

    monkeypatch.setattr(assets.publishing, "publish_database", publishing_a_short_profile)
    result = _run(settings)
    assert "published/marketing_database:published_matches_warehouse" in _failed(result)

"""The ingestion assets in Dagster: what an engineer sees in the UI after a load.

Checks must be able to fail, and one unusable export must not stop the other sources.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

import assets.ingestion as ingestion_assets
from assets import RAW_ASSETS
from assets.resources import LandingZone, QualityPolicy, Warehouse
from resolution import SOURCE_TABLES, source_table
from tests.landing_files import record, write_landing_file


def _landing_with_valid_files(landing: Path, rows_per_table: int = 3) -> None:
    for table in SOURCE_TABLES:
        write_landing_file(
            landing, table, [record(table.name, str(i)) for i in range(rows_per_table)]
        )


def _resources(tmp_path: Path, max_quarantine_rate: float = 0.05) -> dict[str, object]:
    return {
        "landing": LandingZone(path=str(tmp_path / "landing")),
        "warehouse": Warehouse(database=str(tmp_path / "warehouse" / "c360.duckdb")),
        # The hand-written records date from 2024-25: freshness has its own tests.
        "quality": QualityPolicy(
            max_quarantine_rate=max_quarantine_rate, max_source_age_days=100 * 365
        ),
    }


def _checks(result: dg.ExecuteInProcessResult) -> dict[str, bool]:
    return {
        evaluation.asset_check_key.to_user_string(): evaluation.passed
        for evaluation in result.get_asset_check_evaluations()
    }


def test_every_source_loads_with_row_counts_and_passing_checks(tmp_path):
    _landing_with_valid_files(tmp_path / "landing")

    result = dg.materialize(RAW_ASSETS, resources=_resources(tmp_path))

    assert result.success
    for table in SOURCE_TABLES:
        metadata = result.asset_materializations_for_node(f"raw__{table.name}")[0].metadata
        assert metadata["dagster/row_count"].value == 3
        assert metadata["rows_read"].value == 3
        assert metadata["rows_quarantined"].value == 0
    checks = _checks(result)
    assert len(checks) == 3 * len(SOURCE_TABLES)
    assert all(checks.values())


def test_an_unusable_file_fails_its_asset_and_the_other_sources_still_load(tmp_path):
    landing = tmp_path / "landing"
    _landing_with_valid_files(landing)
    (landing / "support/tickets.csv").write_bytes(b"")

    result = dg.materialize(RAW_ASSETS, resources=_resources(tmp_path), raise_on_error=False)

    assert not result.success
    failures = result.get_step_failure_events()
    assert [event.step_key for event in failures] == ["raw__support_tickets"]
    message = failures[0].step_failure_data.user_failure_data.description
    assert message == f"support_tickets not loaded: {landing / 'support/tickets.csv'}: " + (
        "file is empty; the export produced no header and no rows"
    )
    loaded = {event.asset_key.path[-1] for event in result.get_asset_materialization_events()}
    assert loaded == {table.name for table in SOURCE_TABLES} - {"support_tickets"}


def test_too_many_quarantined_rows_fail_the_quarantine_rate_check(tmp_path):
    landing = tmp_path / "landing"
    table = source_table("crm_contacts")
    records = [record("crm_contacts", str(i)) for i in range(10)]
    records[0]["created_at"] = "never"
    write_landing_file(landing, table, records)
    asset = next(a for a in RAW_ASSETS if a.key.path[-1] == "crm_contacts")

    strict = dg.materialize([asset], resources=_resources(tmp_path, max_quarantine_rate=0.05))
    lenient = dg.materialize([asset], resources=_resources(tmp_path, max_quarantine_rate=0.2))

    key = "raw/crm_contacts:quarantine_rate_within_limit"
    assert _checks(strict)[key] is False
    assert _checks(lenient)[key] is True
    assert _checks(strict)["raw/crm_contacts:rows_accounted_for"] is True


def test_rows_lost_between_read_and_storage_fail_the_accounting_check(tmp_path, monkeypatch):
    """Simulates a faulty writer: one accepted row never reaches the warehouse."""
    landing = tmp_path / "landing"
    write_landing_file(
        landing, source_table("crm_accounts"), [record("crm_accounts", str(i)) for i in range(4)]
    )
    real_ingest = ingestion_assets.ingest_source

    def lossy_ingest(conn: duckdb.DuckDBPyConnection, *args, **kwargs):
        report = real_ingest(conn, *args, **kwargs)
        conn.execute("DELETE FROM raw.crm_accounts WHERE account_id = 'ACC-0000011'")
        return report

    monkeypatch.setattr(ingestion_assets, "ingest_source", lossy_ingest)
    asset = next(a for a in RAW_ASSETS if a.key.path[-1] == "crm_accounts")

    result = dg.materialize([asset], resources=_resources(tmp_path), raise_on_error=False)

    assert not result.success  # the check is blocking
    evaluation = next(
        e
        for e in result.get_asset_check_evaluations()
        if e.check_name == "rows_accounted_for"
    )
    assert evaluation.passed is False
    assert evaluation.metadata["rows_unaccounted"].value == 1


@pytest.mark.parametrize("asset", RAW_ASSETS, ids=lambda a: a.key.to_user_string())
def test_every_ingestion_asset_is_described_grouped_and_owned(asset):
    spec = next(iter(asset.specs))
    assert spec.group_name == "ingestion"
    assert spec.owners == ["team:data-engineering"]
    assert {"polars", "duckdb"} <= set(spec.kinds)
    assert "quarantine" in (spec.description or "")

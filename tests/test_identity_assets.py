"""The identity assets in Dagster: metadata an engineer reads, and gates that stop a bad run.

The cluster-size check is blocking: a giant customer means an over-merge, and nothing built
from the identity map should be published while it stands.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets import IDENTITY_ASSETS, RAW_ASSETS
from assets.resources import IdentityPolicy, LandingZone, QualityPolicy, Warehouse
from synthetic import generate_sample


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    generate_sample(300, 11, folder)
    return folder


def _resources(sample: Path, warehouse: Path, max_cluster_size: int = 50) -> dict[str, object]:
    return {
        "landing": LandingZone(path=str(sample / "landing")),
        "warehouse": Warehouse(database=str(warehouse)),
        "quality": QualityPolicy(max_quarantine_rate=1.0),
        "identity": IdentityPolicy(
            max_cluster_size=max_cluster_size, ground_truth_dir=str(sample / "ground_truth")
        ),
    }


def _checks(result: dg.ExecuteInProcessResult) -> dict[str, bool]:
    return {e.check_name: e.passed for e in result.get_asset_check_evaluations()}


def test_identity_assets_report_customers_match_rates_and_accuracy(sample, tmp_path):
    result = dg.materialize(
        [*RAW_ASSETS, *IDENTITY_ASSETS], resources=_resources(sample, tmp_path / "w.duckdb")
    )

    assert result.success
    metadata = result.asset_materializations_for_node("identity__identity_map")[0].metadata
    customers = metadata["customers"].value
    assert 0 < customers < metadata["records"].value
    for key in ("match_rate_crm", "match_rate_email", "pairwise_precision", "pairwise_recall"):
        assert 0.0 <= metadata[key].value <= 1.0, key
    assert metadata["pairwise_precision"].value > 0.9
    assert metadata["pairwise_recall"].value <= metadata["recall_ceiling"].value <= 1.0
    assert "| crm+email " in metadata["recall_by_source_pair"].value
    checks = _checks(result)
    assert checks["cluster_size_within_bound"] and checks["one_customer_id_per_record"]
    assert checks["records_match_schema"]
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as conn:
        unmapped = conn.sql(
            "SELECT count(*) FROM identity.source_identity_map WHERE customer_id IS NULL"
        ).fetchall()[0][0]
    assert unmapped == 0


def test_a_customer_larger_than_the_bound_fails_the_blocking_check(sample, tmp_path):
    result = dg.materialize(
        [*RAW_ASSETS, *IDENTITY_ASSETS],
        resources=_resources(sample, tmp_path / "w.duckdb", max_cluster_size=2),
        raise_on_error=False,
    )

    assert not result.success
    assert _checks(result)["cluster_size_within_bound"] is False
    evaluation = next(
        e for e in result.get_asset_check_evaluations()
        if e.check_name == "cluster_size_within_bound"
    )
    assert evaluation.metadata["largest_customer_records"].value > 2


def test_a_rerun_on_the_same_data_keeps_every_customer_id(sample, tmp_path):
    resources = _resources(sample, tmp_path / "w.duckdb")
    dg.materialize([*RAW_ASSETS, *IDENTITY_ASSETS], resources=resources)
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as conn:
        first = conn.sql("SELECT * FROM identity.identity_map ORDER BY record_key").fetchall()

    dg.materialize(IDENTITY_ASSETS, resources=resources)

    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as conn:
        second = conn.sql("SELECT * FROM identity.identity_map ORDER BY record_key").fetchall()
        history = conn.sql("SELECT count(*) FROM identity.customer_id_history").fetchall()[0][0]
    assert first == second
    assert history == 0

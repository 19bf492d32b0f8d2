"""Customer ids exported yesterday must still lead somewhere today.

Exports, CRM fields and marketing lists hold the previous run's customer ids. Each one must
still name a customer or be mapped in identity.customer_id_history (merged or split); an id
that leads nowhere is a blocking failure, so nothing downstream publishes it.
"""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from assets import IDENTITY_ASSETS, RAW_ASSETS
from assets.identity import IDENTITY_MAP, PREVIOUS_IDS_RESOLVE
from assets.resources import IdentityPolicy, LandingZone, QualityPolicy, Warehouse
from resolution.identity import dangling_customer_ids
from synthetic import generate_sample


def _map(pairs: list[tuple[str, str]]) -> pl.DataFrame:
    return pl.DataFrame(pairs, schema=["record_key", "customer_id"], orient="row")


def _history(previous_ids: list[str], new_ids: list[str]) -> pl.DataFrame:
    return pl.DataFrame({"previous_customer_id": previous_ids, "customer_id": new_ids})


NO_HISTORY = _history([], [])


@pytest.mark.parametrize(
    ("previous", "current", "history"),
    [
        pytest.param(None, _map([("r1", "C1")]), NO_HISTORY, id="first-run"),
        pytest.param(
            _map([("r1", "C1"), ("r2", "C2")]),
            _map([("r1", "C1"), ("r2", "C2"), ("r3", "C3")]),
            NO_HISTORY,
            id="ids-kept-and-a-new-customer",
        ),
        pytest.param(
            _map([("r1", "C1"), ("r2", "C2")]),
            _map([("r1", "C1"), ("r2", "C1")]),
            _history(["C2"], ["C1"]),
            id="merged-id-recorded-in-history",
        ),
        pytest.param(
            _map([("r1", "C1"), ("r2", "C2")]),
            _map([("r1", "C1")]),
            _history(["C2", "C9"], ["C1", "C1"]),
            id="history-from-an-earlier-run-counts-too",
        ),
    ],
)
def test_an_id_that_still_names_a_customer_or_is_in_the_history_does_not_dangle(
    previous, current, history
):
    assert dangling_customer_ids(previous, current, history).is_empty()


def test_an_id_whose_records_vanished_without_history_dangles():
    previous = _map([("r1", "C1"), ("r2", "C2"), ("r3", "C2"), ("r4", "C3")])
    current = _map([("r1", "C1"), ("r4", "C3")])

    dangling = dangling_customer_ids(previous, current, _history(["C3"], ["C1"]))

    assert dangling.to_dicts() == [{"customer_id": "C2", "previous_records": 2}]


@dg.asset(deps=[IDENTITY_MAP])
def published_customers() -> None:
    """Stands in for anything built from the identity map (profiles, exports)."""


def _resources(landing: Path, warehouse: Path) -> dict[str, object]:
    return {
        "landing": LandingZone(path=str(landing)),
        "warehouse": Warehouse(database=str(warehouse)),
        "quality": QualityPolicy(max_quarantine_rate=1.0),
        "identity": IdentityPolicy(),
    }


def _single_interaction_customers(warehouse: Path) -> dict[str, str]:
    """Customers known only from one social interaction: interaction id -> customer id."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.sql(
            "SELECT any_value(source_record_id), customer_id FROM identity.source_identity_map "
            "GROUP BY customer_id "
            "HAVING count(*) = 1 AND any_value(source_table) = 'social_interactions' "
            "ORDER BY customer_id LIMIT 3"
        ).fetchall()
    return dict(rows)


def _drop_interactions(path: Path, interaction_ids: set[str]) -> None:
    """Delete interactions as the social tool would; lines that are not JSON stay as they are."""
    kept = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        try:
            interaction_id = json.loads(line).get("interaction_id")
        except (json.JSONDecodeError, AttributeError):
            interaction_id = None
        if interaction_id not in interaction_ids:
            kept.append(line)
    path.write_text("".join(kept), encoding="utf-8")


def _check(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    return next(
        evaluation
        for evaluation in result.get_asset_check_evaluations()
        if evaluation.check_name == PREVIOUS_IDS_RESOLVE
    )


def _materialized(result: dg.ExecuteInProcessResult) -> set[str]:
    return {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}


def test_customers_whose_records_vanish_fail_the_blocking_id_check_and_stop_downstream(tmp_path):
    sample = generate_sample(250, 11, tmp_path / "sample")
    warehouse = tmp_path / "c360.duckdb"
    assets = [*RAW_ASSETS, *IDENTITY_ASSETS, published_customers]
    resources = _resources(sample.landing_dir, warehouse)

    first = dg.materialize(assets, resources=resources)
    vanishing = _single_interaction_customers(warehouse)
    _drop_interactions(sample.landing_dir / "social/interactions.jsonl", set(vanishing))
    second = dg.materialize(assets, resources=resources, raise_on_error=False)

    assert first.success and _check(first).passed
    assert _check(first).metadata["previous_customer_ids"].value == 0
    assert len(vanishing) == 3
    assert not second.success
    evaluation = _check(second)
    assert not evaluation.passed
    assert evaluation.metadata["dangling_customer_ids"].value == 3
    assert evaluation.metadata["previous_customer_ids"].value > 3
    assert all(
        customer_id in evaluation.metadata["dangling"].value for customer_id in vanishing.values()
    )
    assert "identity/identity_map" in _materialized(second)
    assert "published_customers" not in _materialized(second)


def test_a_rerun_on_unchanged_data_passes_the_id_check_and_publishes(tmp_path):
    sample = generate_sample(250, 11, tmp_path / "sample")
    assets = [*RAW_ASSETS, *IDENTITY_ASSETS, published_customers]
    resources = _resources(sample.landing_dir, tmp_path / "c360.duckdb")

    dg.materialize(assets, resources=resources)
    rerun = dg.materialize(assets, resources=resources)

    evaluation = _check(rerun)
    assert evaluation.passed
    assert evaluation.metadata["previous_customer_ids"].value > 0
    assert evaluation.metadata["dangling_customer_ids"].value == 0
    assert "published_customers" in _materialized(rerun)

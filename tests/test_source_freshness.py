"""Source freshness: a source that stopped exporting must show up, though its rows are valid.

A stale export passes every row rule, so only the age of its newest record tells an engineer
that the customer view has stopped moving for that source. The check warns (it is not a
gate) and fails clearly when there is no record time to measure at all.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from assets import RAW_ASSETS
from assets.ingestion import SOURCE_IS_FRESH
from assets.resources import LandingZone, QualityPolicy, Warehouse
from resolution import SOURCE_TABLES, SourceTable, source_freshness, source_table
from tests.landing_files import record, write_landing_file

AS_OF = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("columns", "expected_newest"),
    [
        pytest.param(
            {"created_at": [datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 10, 1, tzinfo=UTC)]},
            datetime(2026, 11, 1, tzinfo=UTC),
            id="newest-row-wins",
        ),
        pytest.param(
            {
                "created_at": [datetime(2026, 1, 1, tzinfo=UTC), None],
                "updated_at": [
                    datetime(2026, 11, 20, tzinfo=UTC),
                    datetime(2026, 3, 1, tzinfo=UTC),
                ],
            },
            datetime(2026, 11, 20, tzinfo=UTC),
            id="newest-column-wins",
        ),
        pytest.param(
            {"start_date": [date(2026, 10, 31)], "end_date": [date(2027, 12, 31)]},
            datetime(2026, 10, 31, tzinfo=UTC),
            id="dates-count-as-midnight-utc-and-future-dates-are-ignored",
        ),
        pytest.param(
            {"timestamp": [datetime(2026, 11, 23, 13, 0, tzinfo=timezone(timedelta(hours=2)))]},
            datetime(2026, 11, 23, 11, 0, tzinfo=UTC),
            id="other-timezones-are-compared-in-utc",
        ),
        pytest.param(
            {"timestamp": [datetime(2026, 11, 22, 6, 0)]},
            datetime(2026, 11, 22, 6, 0, tzinfo=UTC),
            id="naive-times-are-read-as-utc",
        ),
    ],
)
def test_the_newest_record_time_is_the_latest_past_time_in_any_timestamp_column(
    columns, expected_newest
):
    freshness = source_freshness(pl.DataFrame(columns), list(columns), AS_OF)

    assert freshness.newest_record_at == expected_newest
    assert freshness.problem is None
    assert freshness.age_days == pytest.approx((AS_OF - expected_newest).total_seconds() / 86_400)


@pytest.mark.parametrize(
    ("age", "max_age_days", "within"),
    [
        (timedelta(days=44), 45, True),
        (timedelta(days=45), 45, True),
        (timedelta(days=46), 45, False),
    ],
)
def test_a_source_is_fresh_up_to_and_including_the_age_limit(age, max_age_days, within):
    frame = pl.DataFrame({"timestamp": [AS_OF - age]})

    assert source_freshness(frame, ["timestamp"], AS_OF).is_within(max_age_days) is within


_NO_TIMES = "no row has a time in opt_in_at, last_changed_at at or before the run"


@pytest.mark.parametrize(
    ("frame", "problem"),
    [
        pytest.param(
            pl.DataFrame(
                schema={"opt_in_at": pl.Datetime("us", "UTC"), "last_changed_at": pl.Date}
            ),
            "no rows accepted, so there is no record time to measure",
            id="no-rows",
        ),
        pytest.param(
            pl.DataFrame(
                {"opt_in_at": [None, None], "last_changed_at": [None, None]},
                schema={"opt_in_at": pl.Datetime("us", "UTC"), "last_changed_at": pl.Date},
            ),
            _NO_TIMES,
            id="no-timestamps",
        ),
        pytest.param(
            pl.DataFrame(
                {"opt_in_at": [AS_OF + timedelta(days=1)], "last_changed_at": [None]},
                schema={"opt_in_at": pl.Datetime("us", "UTC"), "last_changed_at": pl.Date},
            ),
            _NO_TIMES,
            id="only-future-timestamps",
        ),
    ],
)
def test_a_source_without_a_record_time_is_never_fresh_and_says_why(frame, problem):
    freshness = source_freshness(frame, ["opt_in_at", "last_changed_at"], AS_OF)

    assert freshness.newest_record_at is None and freshness.age_days is None
    assert freshness.problem == problem
    assert not freshness.is_within(10_000)


def test_a_naive_as_of_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        source_freshness(
            pl.DataFrame({"timestamp": [AS_OF]}), ["timestamp"], AS_OF.replace(tzinfo=None)
        )


def _stamped(table: SourceTable, key: str, when: datetime) -> dict[str, object]:
    """A valid record of ``table`` whose every timestamp column says ``when``."""
    columns = table.model.to_schema().columns
    times = {
        name: when.date().isoformat() if columns[name].dtype.type == pl.Date else when.isoformat()
        for name in table.timestamp_columns
    }
    return record(table.name, key, **times)


def _write_sources(landing: Path, when: datetime) -> None:
    for table in SOURCE_TABLES:
        write_landing_file(landing, table, [_stamped(table, str(i), when) for i in range(3)])


def _resources(tmp_path: Path, max_source_age_days: int = 45) -> dict[str, object]:
    return {
        "landing": LandingZone(path=str(tmp_path / "landing")),
        "warehouse": Warehouse(database=str(tmp_path / "c360.duckdb")),
        "quality": QualityPolicy(max_quarantine_rate=1.0, max_source_age_days=max_source_age_days),
    }


def _freshness(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    return {
        evaluation.asset_key.path[-1]: evaluation
        for evaluation in result.get_asset_check_evaluations()
        if evaluation.check_name == SOURCE_IS_FRESH
    }


def test_sources_with_records_from_yesterday_pass_their_freshness_checks(tmp_path):
    _write_sources(tmp_path / "landing", datetime.now(UTC) - timedelta(days=1))

    result = dg.materialize(RAW_ASSETS, resources=_resources(tmp_path))

    checks = _freshness(result)
    assert set(checks) == {table.name for table in SOURCE_TABLES}
    for name, evaluation in checks.items():
        assert evaluation.passed, name
        # Date-only sources (subscriptions) count from midnight, so up to two days (2.0 once
        # rounded, just before midnight UTC).
        assert 0.9 < evaluation.metadata["age_days"].value <= 2.0, name


def test_a_stale_source_warns_but_still_loads(tmp_path):
    _write_sources(tmp_path / "landing", datetime.now(UTC) - timedelta(days=1))
    stale = source_table("web_events")
    write_landing_file(
        tmp_path / "landing",
        stale,
        [_stamped(stale, "0", datetime.now(UTC) - timedelta(days=60))],
    )

    result = dg.materialize(RAW_ASSETS, resources=_resources(tmp_path))

    assert result.success
    checks = _freshness(result)
    failed = {name for name, evaluation in checks.items() if not evaluation.passed}
    assert failed == {"web_events"}
    evaluation = checks["web_events"]
    assert evaluation.severity == dg.AssetCheckSeverity.WARN
    assert evaluation.metadata["age_days"].value == pytest.approx(60, abs=0.1)
    assert evaluation.metadata["max_source_age_days"].value == 45
    assert evaluation.description.startswith("Newest record is 60.0 days old (limit 45)")
    assert result.asset_materializations_for_node("raw__web_events")


@pytest.mark.parametrize(
    ("table_name", "records", "problem"),
    [
        pytest.param(
            "email_subscribers",
            [record("email_subscribers", "0", opt_in_at="", last_changed_at="")],
            "no row has a time in opt_in_at, last_changed_at at or before the run",
            id="no-timestamps",
        ),
        pytest.param("support_tickets", [], "no rows accepted", id="header-only-export"),
    ],
)
def test_a_source_with_nothing_to_date_it_fails_its_freshness_check_clearly(
    tmp_path, table_name, records, problem
):
    landing = tmp_path / "landing"
    _write_sources(landing, datetime.now(UTC) - timedelta(days=1))
    write_landing_file(landing, source_table(table_name), records)

    result = dg.materialize(RAW_ASSETS, resources=_resources(tmp_path))

    assert result.success
    evaluation = _freshness(result)[table_name]
    assert not evaluation.passed
    assert evaluation.description.startswith(f"Freshness unknown: {problem}")
    assert "age_days" not in evaluation.metadata

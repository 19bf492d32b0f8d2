"""Erasure and publishing: what marketers can see, and what must never reappear.

An erased person must vanish from every output and stay gone when the next export from a
source brings them back; a marketer's open query must never see a half-written database,
and a run that fails validation must leave the last good one in place.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

import assets.profile
from pipelines.definitions import build_definitions
from pipelines.settings import Settings, load_settings
from resolution.profile import TOMBSTONES_TABLE
from resolution.publishing import publish_database
from tests.profile_scenario import PROFILE_PIPELINE as PIPELINE
from tests.profile_scenario import write_profile_scenario
from tests.settings_files import write_settings_file

CARLA = "carla.cruz@yahoo.com"


@pytest.fixture
def settings(tmp_path) -> Settings:
    write_profile_scenario(tmp_path / "landing")
    paths = {
        "landing_dir": tmp_path / "landing",
        "ground_truth_dir": tmp_path / "no_truth",
        "erasure_list": tmp_path / "erasure.csv",
    }
    return load_settings(write_settings_file(tmp_path, {"paths": paths}))


def _materialize(settings: Settings, raise_on_error: bool = True) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        PIPELINE, resources=build_definitions(settings).resources, raise_on_error=raise_on_error
    )


def _mentions(database: Path, text: str) -> list[str]:
    """Tables of ``database`` with a row that holds ``text`` anywhere (any case)."""
    found = []
    with duckdb.connect(str(database), read_only=True) as conn:
        tables = conn.sql(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name <> 'raw'"
        ).fetchall()
        for schema, table in tables:
            hits = conn.sql(
                f'SELECT count(*) FROM "{schema}"."{table}" t WHERE CAST(t AS VARCHAR) ILIKE ?',
                params=[f"%{text}%"],
            ).fetchall()[0][0]
            if hits:
                found.append(f"{schema}.{table}")
    return found


def _published_run_id(database: Path) -> str:
    reader = subprocess.run(
        [sys.executable, "-c", _READ_RUN_ID, str(database)], capture_output=True, text=True
    )
    assert reader.returncode == 0, reader.stderr
    return reader.stdout.strip()


_READ_RUN_ID = """
import sys, duckdb
with duckdb.connect(sys.argv[1], read_only=True) as conn:
    print(conn.sql("SELECT run_id FROM publication").fetchall()[0][0])
"""


def test_an_erased_person_leaves_every_profile_output_and_the_published_database(settings):
    settings.erasure_list.write_text(f"email\n{CARLA.upper()}\n")
    assert _materialize(settings).success
    assert _mentions(settings.published_database, "carla") == []
    assert [t for t in _mentions(settings.warehouse, "carla") if t.startswith("profile.")] == []
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        tombstones = conn.sql(f"SELECT count(*) FROM {TOMBSTONES_TABLE}").fetchall()[0][0]
    assert tombstones >= 2  # her address and her CRM contact id, hashed
    assert "governance.erasure_tombstones" not in _mentions(settings.warehouse, "carla")


def test_an_erased_person_does_not_come_back_when_the_list_is_gone(settings):
    settings.erasure_list.write_text(f"email\n{CARLA}\n")
    assert _materialize(settings).success
    settings.erasure_list.unlink()
    assert _materialize(settings).success
    assert _mentions(settings.published_database, "carla") == []
    with duckdb.connect(str(settings.published_database), read_only=True) as conn:
        assert conn.sql("SELECT count(*) FROM customer_profile").fetchall()[0][0] > 0


def test_an_erasure_request_by_customer_id_is_honoured(settings):
    assert _materialize(settings).success
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        carla_id = conn.sql(
            "SELECT customer_id FROM profile.customer_profile WHERE email = ?", params=[CARLA]
        ).fetchall()[0][0]
    settings.erasure_list.write_text(f"customer_id\n{carla_id}\n")
    result = _materialize(settings)
    assert result.success
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks["every_request_erased"] is True
    assert _mentions(settings.published_database, carla_id) == []


def test_an_erasure_list_without_an_email_or_customer_id_column_fails_naming_the_file(settings):
    settings.erasure_list.write_text("name\nCarla Cruz\n")
    result = _materialize(settings, raise_on_error=False)
    assert not result.success
    failure = result.get_step_failure_events()[0].step_failure_data.user_failure_data.description
    assert str(settings.erasure_list) in failure and "customer_id" in failure


def test_a_reader_keeps_its_version_while_the_database_is_replaced(settings):
    assert _materialize(settings).success
    first = _published_run_id(settings.published_database)
    reader = subprocess.Popen(
        [sys.executable, "-c", _READ_BEFORE_AND_AFTER, str(settings.published_database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().strip() == first  # connected, first version read
    second = _materialize(settings)
    assert second.success
    out, err = reader.communicate("go\n", timeout=60)
    assert reader.returncode == 0, err
    run_id_seen, profiles_seen = out.split()
    assert run_id_seen == first and int(profiles_seen) > 0  # still the complete old version
    assert _published_run_id(settings.published_database) == second.run_id != first


_READ_BEFORE_AND_AFTER = """
import sys, duckdb
conn = duckdb.connect(sys.argv[1], read_only=True)
print(conn.sql("SELECT run_id FROM publication").fetchall()[0][0], flush=True)
sys.stdin.readline()
print(conn.sql("SELECT run_id FROM publication").fetchall()[0][0])
print(conn.sql("SELECT count(*) FROM customer_profile").fetchall()[0][0])
"""


def test_a_failed_publication_leaves_the_last_good_version_and_no_partial_file(settings):
    assert _materialize(settings).success
    good = _published_run_id(settings.published_database)
    with duckdb.connect(str(settings.warehouse)) as conn:
        conn.execute("DROP TABLE profile.account")
        with pytest.raises(duckdb.CatalogException):
            publish_database(conn, settings.published_database, datetime.now(UTC), "broken")
    assert _published_run_id(settings.published_database) == good
    assert sorted(p.name for p in settings.published_database.parent.iterdir()) == [
        settings.published_database.name
    ]


def test_a_profile_that_fails_validation_blocks_publishing(settings, monkeypatch):
    assert _materialize(settings).success
    good = _published_run_id(settings.published_database)
    real_build = assets.profile.build_profiles

    def duplicating_a_customer(*args, **kwargs):
        tables = real_build(*args, **kwargs)
        profile = tables.customer_profile
        return type(tables)(
            **{**tables.__dict__, "customer_profile": pl.concat([profile, profile.head(1)])}
        )

    monkeypatch.setattr(assets.profile, "build_profiles", duplicating_a_customer)
    result = _materialize(settings, raise_on_error=False)
    failed = {
        (e.asset_key.to_user_string(), e.check_name)
        for e in result.get_asset_check_evaluations()
        if not e.passed
    }
    assert ("profile/customer_profile", "matches_schema") in failed
    assert ("profile/customer_profile", "one_profile_per_customer") in failed
    published = {
        e.materialization.asset_key.to_user_string()
        for e in result.get_asset_materialization_events()
    }
    assert "published/marketing_database" not in published
    assert _published_run_id(settings.published_database) == good

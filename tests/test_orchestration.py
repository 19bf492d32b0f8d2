"""When c360 runs by itself: the daily schedule and the landing-file sensor.

The sensor must start exactly one run per batch of exports: not one per file, not while a
copy is still under way (a half-written file would be read), and not again for old files
after the daemon restarts. The schedule must follow c360.toml, not a constant in code.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from assets.resources import LandingZone
from pipelines.definitions import build_definitions
from pipelines.jobs import FULL_PIPELINE_JOB
from pipelines.landing_batches import (
    fingerprints_from_cursor,
    fingerprints_to_cursor,
    landing_batch,
    scan_landing,
)
from pipelines.schedules import DAILY_SCHEDULE_NAME, build_daily_schedule
from pipelines.sensors import LANDING_SENSOR_NAME, build_landing_sensor
from pipelines.settings import SETTINGS_ENV_VAR, load_settings, settings_file
from tests.settings_files import write_settings_file

SETTLE_SECONDS = 60
BATCH = ("crm/contacts.csv", "web/events.jsonl", "support/tickets.csv")


def _write(landing: Path, relative: str, text: str, age_seconds: float) -> Path:
    """Write a landing file whose last change was ``age_seconds`` ago."""
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    changed_ns = time.time_ns() - int(age_seconds * 1e9)
    os.utime(path, ns=(changed_ns, changed_ns))
    return path


def _settled_batch(landing: Path) -> None:
    for relative in BATCH:
        _write(landing, relative, f"export of {relative}\n", age_seconds=10 * SETTLE_SECONDS)


@pytest.fixture
def settings(tmp_path):
    path = write_settings_file(
        tmp_path,
        {
            "paths": {"landing_dir": str(tmp_path / "landing")},
            "orchestration": {
                "landing_settle_seconds": SETTLE_SECONDS,
                "daily_run_cron": "30 6 * * 1-5",
                "schedule_timezone": "Europe/Berlin",
            },
        },
    )
    return load_settings(path)


@pytest.fixture
def instance():
    with dg.instance_for_test() as test_instance:
        yield test_instance


@pytest.fixture
def tick(settings, instance):
    """Evaluate one sensor tick with a cursor, as the daemon would; returns its data."""
    sensor = build_landing_sensor(settings)
    resources = {"landing": LandingZone(path=str(settings.landing_dir))}

    def evaluate(cursor: str | None) -> dg.SensorExecutionData:
        # Entered, so whatever the context opens (resources) is closed after the tick.
        with dg.build_sensor_context(
            instance=instance, cursor=cursor, resources=resources
        ) as context:
            return sensor.evaluate_tick(context)

    return evaluate


def test_a_settled_batch_starts_one_run_of_the_full_pipeline(settings, tick):
    _settled_batch(settings.landing_dir)

    data = tick(None)

    assert len(data.run_requests) == 1
    request = data.run_requests[0]
    assert request.run_key.startswith("landing-")
    assert request.tags["c360/landing_batch"] == request.run_key
    assert sorted(fingerprints_from_cursor(data.cursor)) == sorted(BATCH)


def test_unchanged_files_start_nothing(settings, tick):
    _settled_batch(settings.landing_dir)
    first = tick(None)

    second = tick(first.cursor)

    assert not second.run_requests
    assert second.skip_message.startswith("No new or changed files")


def test_a_batch_still_being_copied_waits_until_no_file_has_changed_for_the_settle_time(
    settings, tick
):
    landing = settings.landing_dir
    _settled_batch(landing)
    _write(landing, "email/events.jsonl", "half a file", age_seconds=5)

    waiting = tick(None)
    _write(landing, "email/events.jsonl", "the whole file\n", age_seconds=SETTLE_SECONDS + 1)
    settled = tick(waiting.cursor)

    assert not waiting.run_requests and waiting.cursor is None
    assert "waiting until none has changed for 60 s" in waiting.skip_message
    assert len(settled.run_requests) == 1
    assert "email/events.jsonl" in fingerprints_from_cursor(settled.cursor)


def test_a_changed_file_starts_one_new_run_with_a_new_run_key(settings, tick):
    landing = settings.landing_dir
    _settled_batch(landing)
    first = tick(None)
    _write(landing, "crm/contacts.csv", "tomorrow's contacts\n", age_seconds=2 * SETTLE_SECONDS)

    second = tick(first.cursor)
    third = tick(second.cursor)

    assert len(second.run_requests) == 1
    assert second.run_requests[0].run_key != first.run_requests[0].run_key
    assert not third.run_requests


def test_a_restarted_sensor_with_its_saved_cursor_does_not_rerun_old_files(settings):
    _settled_batch(settings.landing_dir)
    sensor = build_landing_sensor(settings)
    resources = {"landing": LandingZone(path=str(settings.landing_dir))}

    with dg.instance_for_test() as instance:
        with dg.build_sensor_context(instance=instance, resources=resources) as context:
            before = sensor.evaluate_tick(context)
        restarted = build_landing_sensor(settings)
        with dg.build_sensor_context(
            instance=instance, cursor=before.cursor, resources=resources
        ) as context:
            after = restarted.evaluate_tick(context)

    assert len(before.run_requests) == 1
    assert not after.run_requests


def test_an_empty_or_missing_landing_directory_starts_nothing(settings, tick):
    assert not tick(None).run_requests
    settings.landing_dir.mkdir()
    assert not tick(None).run_requests


def test_hidden_copy_temporaries_and_other_folders_are_not_landing_files(tmp_path):
    _write(tmp_path, "crm/contacts.csv", "a,b\n", age_seconds=0)
    _write(tmp_path, "crm/.contacts.csv.part", "a,", age_seconds=0)
    _write(tmp_path, "crm/.tmp/accounts.csv", "a,", age_seconds=0)
    _write(tmp_path, "archive/contacts.csv", "a,b\n", age_seconds=0)
    _write(tmp_path, "social/2026/interactions.jsonl", "{}\n", age_seconds=0)

    assert sorted(scan_landing(tmp_path)) == ["crm/contacts.csv", "social/2026/interactions.jsonl"]


def test_the_cursor_round_trips_and_the_run_key_names_the_exact_batch(tmp_path):
    _write(tmp_path, "web/events.jsonl", "{}\n", age_seconds=100)
    now_ns = time.time_ns()
    batch = landing_batch(tmp_path, None, now_ns)

    assert fingerprints_from_cursor(fingerprints_to_cursor(batch.files)) == batch.files
    assert batch.changed == ("web/events.jsonl",)
    assert 99 < batch.quiet_seconds < 110
    assert landing_batch(tmp_path, None, now_ns).run_key == batch.run_key
    _write(tmp_path, "web/events.jsonl", "{}\n{}\n", age_seconds=100)
    assert landing_batch(tmp_path, None, now_ns).run_key != batch.run_key


def test_the_daily_schedule_runs_the_full_pipeline_at_the_configured_time_and_zone(settings):
    schedule = build_daily_schedule(settings)
    berlin = ZoneInfo("Europe/Berlin")

    # The context opens its own instance from the ref; entering it closes that again.
    with (
        dg.instance_for_test() as instance,
        dg.build_schedule_context(
            instance=instance, scheduled_execution_time=datetime(2026, 11, 23, 6, 30, tzinfo=berlin)
        ) as context,
    ):
        data = schedule.evaluate_tick(context)

    assert schedule.cron_schedule == "30 6 * * 1-5"
    assert schedule.execution_timezone == "Europe/Berlin"
    assert schedule.job_name == FULL_PIPELINE_JOB.name
    assert len(data.run_requests) == 1


def test_the_code_location_registers_the_schedule_and_the_sensor_for_the_full_job(settings):
    defs = build_definitions(settings)

    dg.Definitions.validate_loadable(defs)
    assert defs.resolve_schedule_def(DAILY_SCHEDULE_NAME).job_name == FULL_PIPELINE_JOB.name
    sensor = defs.resolve_sensor_def(LANDING_SENSOR_NAME)
    assert [target.job_name for target in sensor.targets] == [FULL_PIPELINE_JOB.name]


def test_the_code_location_reads_the_settings_file_named_by_c360_settings(tmp_path, monkeypatch):
    monkeypatch.delenv(SETTINGS_ENV_VAR, raising=False)
    bundled = settings_file()
    monkeypatch.setenv(SETTINGS_ENV_VAR, str(tmp_path / "c360.toml"))

    assert bundled.name == "c360.toml" and bundled.parent != tmp_path
    assert settings_file() == tmp_path / "c360.toml"

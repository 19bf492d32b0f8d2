"""Sensors: one full run per batch of new or changed landing files, once the batch settles."""

from __future__ import annotations

import time

import dagster as dg

from assets.resources import LandingZone
from pipelines.jobs import FULL_PIPELINE_JOB
from pipelines.landing_batches import LANDING_FOLDERS, landing_batch
from pipelines.settings import Settings

LANDING_SENSOR_NAME = "c360_landing_files"


def build_landing_sensor(settings: Settings) -> dg.SensorDefinition:
    """Watch the landing zone; request a run once no file has changed for the settle time.

    The cursor holds the fingerprints (path, size, mtime_ns) of the batch that last started
    a run, so a restarted daemon does not re-run old files; the run key names the batch, so
    Dagster drops a duplicate request even if the cursor is lost.
    """
    settle_seconds = settings.landing_settle_seconds
    folders = ", ".join(f"{folder}/" for folder in LANDING_FOLDERS)

    @dg.sensor(
        name=LANDING_SENSOR_NAME,
        job=FULL_PIPELINE_JOB,
        minimum_interval_seconds=30,
        description=(
            f"One full run per batch of new or changed files under {folders} in the landing "
            f"zone, started once no file has changed for {settle_seconds} s."
        ),
    )
    def landing_files(
        context: dg.SensorEvaluationContext, landing: LandingZone
    ) -> dg.SensorResult | dg.SkipReason:
        batch = landing_batch(landing.directory(), context.cursor, time.time_ns())
        if not batch.changed:
            return dg.SkipReason(f"No new or changed files in {landing.directory()}.")
        if not batch.is_settled(settle_seconds):
            return dg.SkipReason(
                f"{len(batch.changed)} new or changed file(s); waiting until none has changed "
                f"for {settle_seconds} s (last change {batch.quiet_seconds:.0f} s ago)."
            )
        context.log.info(f"landing batch {batch.run_key}: {', '.join(batch.changed)}")
        return dg.SensorResult(
            run_requests=[
                dg.RunRequest(
                    run_key=batch.run_key,
                    tags={"c360/trigger": "landing_files", "c360/landing_batch": batch.run_key},
                )
            ],
            cursor=batch.cursor,
        )

    return landing_files

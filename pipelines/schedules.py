"""Schedules: the daily full run, so the customer view is rebuilt even when no file lands."""

from __future__ import annotations

import dagster as dg

from pipelines.jobs import FULL_PIPELINE_JOB
from pipelines.settings import Settings

DAILY_SCHEDULE_NAME = "c360_daily"


def build_daily_schedule(settings: Settings) -> dg.ScheduleDefinition:
    """The full pipeline at ``daily_run_cron`` in ``schedule_timezone`` (from c360.toml).

    A daily run re-checks source freshness and republishes even on days the sensor starts
    nothing; it is off until turned on in the UI, like every Dagster schedule.
    """
    return dg.ScheduleDefinition(
        name=DAILY_SCHEDULE_NAME,
        job=FULL_PIPELINE_JOB,
        cron_schedule=settings.daily_run_cron,
        execution_timezone=settings.schedule_timezone,
        description=(
            f"Full pipeline every day at `{settings.daily_run_cron}` "
            f"({settings.schedule_timezone})."
        ),
    )

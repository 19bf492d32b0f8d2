"""How recent a source's newest record is.

A source system that stops exporting (a broken integration, an expired API token) still
hands over yesterday's file, which loads cleanly and passes every row rule; only the age of
its newest record shows that the customer view has stopped moving.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import polars as pl


@dataclass(frozen=True)
class SourceFreshness:
    """The newest record time of one source, measured at ``as_of``."""

    timestamp_columns: tuple[str, ...]
    rows: int
    rows_with_timestamp: int
    newest_record_at: datetime | None
    as_of: datetime

    @property
    def age_days(self) -> float | None:
        """Days from the newest record to ``as_of``; None when there is no record time."""
        if self.newest_record_at is None:
            return None
        return (self.as_of - self.newest_record_at).total_seconds() / 86_400

    @property
    def problem(self) -> str | None:
        """Why the source has no age at all, in the words the check shows."""
        if self.rows == 0:
            return "no rows accepted, so there is no record time to measure"
        if self.newest_record_at is None:
            columns = ", ".join(self.timestamp_columns)
            return f"no row has a time in {columns} at or before the run"
        return None

    def is_within(self, max_age_days: float) -> bool:
        """True only for a source whose newest record is at most ``max_age_days`` old."""
        age = self.age_days
        return age is not None and age <= max_age_days


def source_freshness(
    frame: pl.DataFrame, timestamp_columns: Sequence[str], as_of: datetime
) -> SourceFreshness:
    """The newest time in any of ``timestamp_columns`` (dates count as midnight UTC).

    Times after ``as_of`` (a contract's scheduled end date, a source with a fast clock) say
    nothing about whether the export is current, so they are left out. ``as_of`` must be
    timezone-aware; record times are compared in UTC.
    """
    if as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware")
    columns = tuple(timestamp_columns)
    newest_per_row = frame.select(
        pl.max_horizontal(*(_past(_as_utc(frame, name), as_of) for name in columns)).alias("newest")
    ).get_column("newest")
    newest = newest_per_row.max()
    return SourceFreshness(
        timestamp_columns=columns,
        rows=frame.height,
        rows_with_timestamp=int(newest_per_row.is_not_null().sum()),
        newest_record_at=newest if isinstance(newest, datetime) else None,
        as_of=as_of,
    )


def _past(times: pl.Expr, as_of: datetime) -> pl.Expr:
    return pl.when(times <= pl.lit(as_of).dt.convert_time_zone("UTC")).then(times)


def _as_utc(frame: pl.DataFrame, name: str) -> pl.Expr:
    """A timestamp or date column as microsecond datetimes in UTC."""
    dtype = frame.schema[name]
    column = pl.col(name)
    if dtype == pl.Date:
        return column.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is None:
            return column.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
        return column.cast(pl.Datetime("us", dtype.time_zone)).dt.convert_time_zone("UTC")
    raise TypeError(f"column {name!r} is {dtype}, not a date or timestamp")

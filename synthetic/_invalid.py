"""Deliberately broken rows, so the ingestion quarantine has realistic work to do.

About 0.3% of the rows of every table (at least one of each defect kind) get a defect a
schema catches: a missing primary id, an unparseable timestamp, an unknown enum value, a
negative amount or a non-numeric count. Defects stay inside values; the file structure
(header, delimiter, JSON syntax) is never broken, because an unreadable file is a
different failure mode that is tested elsewhere.
"""

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import polars as pl

from synthetic._common import Rng, Table

SHARE = 0.003
BAD_TIMESTAMPS = ("31/02/2025 25:61", "2025-13-45T99:99:99Z", "yesterday", "N/A")
Defect = Callable[[str | None, int], str | None]


def _missing(_value: str | None, _i: int) -> None:
    """A blank primary id: the record cannot be referenced, so it must be quarantined."""
    return None


def _bad_time(_value: str | None, i: int) -> str:
    """A timestamp in a local format, out of range or not a time at all."""
    return BAD_TIMESTAMPS[i % len(BAD_TIMESTAMPS)]


def _negative(value: str | None, _i: int) -> str:
    """A refund booked as a negative subscription amount."""
    return f"-{value}"


def _not_a_number(_value: str | None, i: int) -> str:
    """A count typed as words or a range."""
    return ("fifty", "n/a", "1,200+")[i % 3]


def _unknown(label: str) -> Defect:
    """An enum value the schema does not know, such as ``opened`` for ``open``."""
    return lambda _value, _i: label


DEFECTS: dict[str, tuple[tuple[str, Defect], ...]] = {
    "crm_accounts": (
        ("account_id", _missing),
        ("created_at", _bad_time),
        ("employee_count", _not_a_number),
    ),
    "crm_contacts": (
        ("contact_id", _missing),
        ("created_at", _bad_time),
        ("lifecycle_stage", _unknown("Customer!")),
    ),
    "crm_subscriptions": (
        ("subscription_id", _missing),
        ("amount", _negative),
        ("status", _unknown("activ")),
        ("start_date", _bad_time),
    ),
    "web_events": (
        ("event_id", _missing),
        ("timestamp", _bad_time),
        ("event_type", _unknown("pageview")),
    ),
    "email_subscribers": (
        ("subscriber_id", _missing),
        ("status", _unknown("active")),
        ("opt_in_at", _bad_time),
    ),
    "email_events": (
        ("event_id", _missing),
        ("timestamp", _bad_time),
        ("event_type", _unknown("opened")),
    ),
    "social_interactions": (
        ("interaction_id", _missing),
        ("timestamp", _bad_time),
        ("platform", _unknown("tiktok")),
    ),
    "support_tickets": (
        ("ticket_id", _missing),
        ("created_at", _bad_time),
        ("priority", _unknown("critical")),
    ),
}
"""Per table: (column, how to break it). Rows are dealt round-robin over the defects."""


def break_rows(rng: Rng, table: Table) -> Table:
    """A copy of ``table`` with a few rows carrying one schema-detectable defect each."""
    defects = DEFECTS[table.name]
    n = table.frame.height
    count = min(n, max(len(defects), round(SHARE * n)))
    rows = np.sort(rng.choice(n, size=count, replace=False))
    frame = table.frame
    for k, (column, defect) in enumerate(defects):
        chosen = rows[k :: len(defects)]
        values = frame.get_column(column).cast(pl.String)
        broken = [defect(v, i) for i, v in enumerate(values.gather(chosen).to_list())]
        frame = frame.with_columns(values.scatter(chosen, broken))
    return replace(table, frame=frame)

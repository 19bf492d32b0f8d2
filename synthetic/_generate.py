"""Orchestration: population -> five source systems -> ground truth -> broken rows -> files.

Each stage draws from its own child of one ``PCG64(seed)`` generator, so changing how one
source samples never shifts the random stream (and hence the output) of the others, while
the same (people, seed) still gives byte-identical files.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from synthetic._crm import crm_tables, mark_reviewed_duplicates
from synthetic._email import email_tables
from synthetic._invalid import break_rows
from synthetic._pools import build_pools
from synthetic._population import build_population
from synthetic._social import social_interactions
from synthetic._support import support_tickets
from synthetic._truth import ground_truth, hard_negatives, persons
from synthetic._web import assign_cookies, web_events

_STAGES = (
    "population",
    "crm",
    "cookies",
    "email",
    "web",
    "social",
    "support",
    "invalid",
    "crm_reviews",
)
"""A new stage goes at the end: the n-th child stream is the same however many are spawned."""


@dataclass(frozen=True)
class SampleSummary:
    """What ``generate_sample`` wrote: row counts per table and the two output folders."""

    people: int
    rows_per_table: dict[str, int]
    landing_dir: Path
    ground_truth_dir: Path


def generate_sample(people: int, seed: int, out: Path) -> SampleSummary:
    """Write raw exports of five systems for ``people`` people plus their ground truth.

    Files go to ``out/landing/<system>/...`` and ``out/ground_truth/``; existing files with
    the same names are overwritten. The output depends only on ``people`` and ``seed``.
    """
    if people < 1:
        raise ValueError(f"people must be at least 1, got {people}")
    rngs = dict(
        zip(_STAGES, np.random.Generator(np.random.PCG64(seed)).spawn(len(_STAGES)), strict=True)
    )
    pop = build_population(people, build_pools(seed), rngs["population"])
    cookies = assign_cookies(rngs["cookies"], pop)
    # The CRM comes before the email platform, which its sync feeds.
    accounts, contacts, subscriptions = crm_tables(rngs["crm"], pop)
    subscribers, email_events, landings = email_tables(rngs["email"], pop, cookies, contacts)
    tables = [
        accounts,
        mark_reviewed_duplicates(rngs["crm_reviews"], contacts, pop),
        subscriptions,
        web_events(rngs["web"], pop, cookies, landings),
        subscribers,
        email_events,
        social_interactions(rngs["social"], pop),
        support_tickets(rngs["support"], pop),
    ]
    truth = ground_truth(tables, pop)
    tables = [break_rows(rngs["invalid"], table) for table in tables]

    out = Path(out)
    landing, truth_dir = out / "landing", out / "ground_truth"
    for table in tables:
        _write(table.frame, landing / table.path)
    _write(truth, truth_dir / "ground_truth.csv")
    _write(persons(pop), truth_dir / "persons.csv")
    _write(hard_negatives(pop), truth_dir / "hard_negatives.csv")
    return SampleSummary(
        people=people,
        rows_per_table={table.name: table.frame.height for table in tables},
        landing_dir=landing,
        ground_truth_dir=truth_dir,
    )


def _write(frame: pl.DataFrame, path: Path) -> None:
    """CSV (empty string for missing) or JSON Lines, chosen by the file extension."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".jsonl":
        frame.write_ndjson(path)
    else:
        frame.write_csv(path)

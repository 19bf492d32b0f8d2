"""Sampling, id and timestamp primitives shared by every generator module.

They exist so each source module can state *what* it samples in one line while all of them
get the same guarantees: every random draw comes from the caller's seeded Generator, ids are
unique by construction (not by luck), and timestamps are rendered in the single format the
ingestion contract expects.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

Rng = np.random.Generator
Prob = float | np.ndarray
"""A probability that is either the same for every row or given per row."""


@dataclass(frozen=True)
class Table:
    """One generated export plus, per row, the index of the person it is about.

    ``person`` is -1 for rows that are not about a person (accounts, subscriptions without
    a contact). Ground truth is read from ``ids`` and ``person`` before invalid rows are
    injected, so a row whose id is later blanked out is listed under its original id.
    """

    name: str
    path: str
    id_column: str
    frame: pl.DataFrame
    person: np.ndarray

    @property
    def ids(self) -> pl.Series:
        """The table's primary-key column."""
        return self.frame.get_column(self.id_column)


def objects(values: Sequence[object]) -> np.ndarray:
    """A 1-d object array: numpy would otherwise turn tuples into 2-d arrays or bytes."""
    return np.fromiter(values, dtype=object, count=len(values))


def build_frame(columns: dict[str, object]) -> pl.DataFrame:
    """A DataFrame whose object-array columns become text (polars would keep them opaque)."""
    return pl.DataFrame(
        {
            name: pl.Series(name, values.tolist(), dtype=pl.String)
            if isinstance(values, np.ndarray) and values.dtype == object
            else values
            for name, values in columns.items()
        }
    )


def present(values: np.ndarray) -> np.ndarray:
    """Elementwise ``is not None`` for object arrays (``!= None`` is ambiguous to linters)."""
    return np.fromiter((v is not None for v in values), dtype=bool, count=len(values))


def choice(rng: Rng, values: Sequence[object], weights: Sequence[float], size: int) -> np.ndarray:
    """Draw ``size`` items of ``values`` with the given relative weights."""
    p = np.asarray(weights, dtype=float)
    return objects(values)[rng.choice(len(values), size=size, p=p / p.sum())]


def chance(rng: Rng, p: Prob, size: int) -> np.ndarray:
    """One Bernoulli draw per row; ``p`` may differ per row."""
    return rng.random(size) < p


def pick(rng: Rng, candidates: np.ndarray, rate: float, minimum: int = 1) -> np.ndarray:
    """Choose a share of ``candidates`` without replacement, but at least ``minimum``.

    The floor makes rare phenomena (twins, namesakes, name changes) exist even in small
    samples, which the tests and the committed sample rely on.
    """
    count = min(len(candidates), max(minimum, round(rate * len(candidates))))
    return np.sort(rng.choice(candidates, size=count, replace=False))


def between(rng: Rng, low: np.ndarray | int, high: np.ndarray | int, size: int) -> np.ndarray:
    """Uniform integers in [low, high] per row; an empty range collapses to ``low``."""
    low = np.broadcast_to(np.asarray(low, dtype=np.int64), size)
    span = np.maximum(np.broadcast_to(np.asarray(high, dtype=np.int64), size) - low, 0)
    return low + (rng.random(size) * (span + 1)).astype(np.int64)


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ``counts[i]`` children of parent ``i``: each child's parent and rank in it."""
    parent = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return parent, np.arange(len(parent)) - starts[parent]


def rank_within(sorted_groups: np.ndarray) -> np.ndarray:
    """Position of each element inside its run of equal, already sorted, group labels."""
    if len(sorted_groups) == 0:
        return np.zeros(0, dtype=np.int64)
    new_run = np.r_[True, sorted_groups[1:] != sorted_groups[:-1]]
    run_start = np.maximum.accumulate(np.where(new_run, np.arange(len(sorted_groups)), 0))
    return np.arange(len(sorted_groups)) - run_start


def random_member(rng: Rng, sorted_owners: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """For each query owner, the position of a random element it owns, or -1 if none.

    Used to pick "one of this person's cookies" or "one of this account's contacts"
    without a Python loop.
    """
    left = np.searchsorted(sorted_owners, queries, side="left")
    size = np.searchsorted(sorted_owners, queries, side="right") - left
    chosen = left + (rng.random(len(queries)) * size).astype(np.int64)
    return np.where(size > 0, chosen, -1)


def sequential_ids(prefix: str, count: int, width: int) -> np.ndarray:
    """Auto-increment style ids (``ACC-000001``) as an operational system assigns them."""
    return objects([f"{prefix}{i:0{width}d}" for i in range(1, count + 1)])


def opaque_ids(rng: Rng, prefix: str, count: int) -> np.ndarray:
    """Random-looking hex ids that are nevertheless guaranteed unique.

    A counter offset by a random key is pushed through the SplitMix64 finaliser, which is a
    bijection on 64-bit integers, so distinct counters can never collide.
    """
    key = rng.integers(0, 2**63, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = np.arange(count, dtype=np.uint64) + key
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return objects([f"{prefix}{value:016x}" for value in z.tolist()])


def uuid_like(rng: Rng, count: int) -> np.ndarray:
    """Version-4-shaped UUID strings, as analytics SDKs use for anonymous cookie ids."""
    digits = rng.bytes(16 * count).hex()
    return objects(
        [
            f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:32]}"
            for h in (digits[32 * i : 32 * (i + 1)] for i in range(count))
        ]
    )


def birth_years(days: np.ndarray) -> np.ndarray:
    """Calendar year of each date given as days since 1970 (for ``jane84``-style names)."""
    return (np.datetime64("1970-01-01") + days).astype("datetime64[Y]").astype(np.int64) + 1970


def iso_timestamps(seconds: np.ndarray, keep: np.ndarray | None = None) -> pl.Series:
    """Epoch seconds as ``2025-03-04T10:22:31Z`` text, missing where ``keep`` is false."""
    return _epoch_text(seconds, "%Y-%m-%dT%H:%M:%SZ", keep)


def iso_dates(seconds: np.ndarray, keep: np.ndarray | None = None) -> pl.Series:
    """Epoch seconds as ``YYYY-MM-DD`` text, missing where ``keep`` is false."""
    return _epoch_text(seconds, "%Y-%m-%d", keep)


def _epoch_text(seconds: np.ndarray, fmt: str, keep: np.ndarray | None) -> pl.Series:
    """Format in polars: one vectorised call instead of a million ``strftime`` calls."""
    text = pl.from_epoch(pl.Series(seconds, dtype=pl.Int64), time_unit="s").dt.strftime(fmt)
    return text if keep is None else text.scatter(np.flatnonzero(~keep), None)


def with_nulls(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``values`` where ``keep`` holds, missing (None) elsewhere."""
    return np.where(keep, values, None)

"""Street addresses and phone numbers shaped like each country's conventions.

Numbers are kept canonical (``+44 20 7946 0958``: country code, then the national groups)
so every source can re-render the same number in its own style, and ground truth can
state it in E.164.
"""

import numpy as np

from synthetic._common import Rng, objects
from synthetic._pools import LocalePools, sample_pool

LANDLINE_AREAS = {
    "US": ("212", "415", "312", "617", "206", "512", "303", "404", "305", "713"),
    "GB": ("20", "161", "121", "113", "117", "131"),
    "DE": ("30", "40", "89", "69", "221", "711"),
    "FR": ("1", "2", "3", "4", "5"),
}
MOBILE_PREFIXES = {
    "US": LANDLINE_AREAS["US"],
    "GB": ("7700", "7911", "7456", "7583"),
    "DE": ("151", "160", "170", "176"),
    "FR": ("6", "7"),
}


def addresses(
    rng: Rng, pools: dict[str, LocalePools], countries: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Street (with house number in the local order), city and postcode per row."""
    names = sample_pool(rng, pools, countries, "street")
    numbers = rng.integers(1, 300, len(countries)).tolist()
    streets = objects(
        [
            f"{name} {num}" if c == "DE" else f"{num} {name}"
            for name, num, c in zip(names, numbers, countries, strict=True)
        ]
    )
    return (
        streets,
        sample_pool(rng, pools, countries, "city"),
        sample_pool(rng, pools, countries, "postcode"),
    )


class PhoneBook:
    """Hands out phone numbers that are unique across people, homes and companies.

    Random digits alone would give a few unrelated people the same number in a large
    sample, a false match signal no real population has; colliding draws are redrawn.
    """

    def __init__(self, rng: Rng) -> None:
        self._rng = rng
        self._taken: set[str] = set()

    def numbers(self, countries: np.ndarray, prefixes: dict[str, tuple[str, ...]]) -> np.ndarray:
        """One new canonical ``+CC group group ...`` number per row, e.g. a mobile plan."""
        out = _draw_numbers(self._rng, countries, prefixes)
        rows = np.arange(len(out))
        while len(rows):
            clash = np.zeros(len(rows), dtype=bool)
            for k, number in enumerate(out[rows]):
                clash[k] = number in self._taken
                self._taken.add(number)
            rows = rows[clash]
            out[rows] = _draw_numbers(self._rng, countries[rows], prefixes)
        return out


def _draw_numbers(
    rng: Rng, countries: np.ndarray, prefixes: dict[str, tuple[str, ...]]
) -> np.ndarray:
    """Numbers shaped like each country's numbering plan, not yet checked for clashes."""
    n = len(countries)
    pre, a, b = rng.integers(0, 1000, n), rng.integers(0, 10**4, n), rng.integers(0, 10**4, n)

    def number(country: str, p: int, x: int, y: int) -> str:
        prefix = prefixes[country][p % len(prefixes[country])]
        if country == "US":
            return f"+1 {prefix} {200 + x % 800} {y:04d}"
        if country == "GB":
            if len(prefix) == 4:
                return f"+44 {prefix} {x % 1000:03d}{y % 1000:03d}"
            inner = f"{x:04d} {y:04d}" if prefix == "20" else f"{200 + x % 800} {y:04d}"
            return f"+44 {prefix} {inner}"
        if country == "DE":
            return f"+49 {prefix} {x:04d}{y % 1000:03d}"
        return f"+33 {prefix} {x // 100:02d} {x % 100:02d} {y // 100:02d} {y % 100:02d}"

    return objects(
        [
            number(c, p, x, y)
            for c, p, x, y in zip(countries, pre.tolist(), a.tolist(), b.tolist(), strict=True)
        ]
    )

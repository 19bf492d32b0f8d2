"""Street addresses and phone numbers shaped like each country's conventions.

Numbers are kept canonical (``+44 20 7946 0958``: country code, then the national groups)
so every source can re-render the same number in its own style, and ground truth can
state it in E.164.

Phone numbers come from numbering-plan templates: a country has a few areas (a city's
landline code, a mobile range), each with templates such as ``20 7XXX XXXX`` where every
``X`` is a random digit. The templates only cover ranges that are allocated in the
national plans as ``phonenumbers`` knows them, so every generated number is valid, and its
national renderings (``020 7946 0958``) read back as the same number. Templates are plain
data, not looked up at run time, so the output does not depend on the installed
``phonenumbers`` version; a test checks them against it.
"""

import numpy as np

from synthetic._common import Rng, objects
from synthetic._pools import LocalePools, sample_pool

PhonePlan = dict[str, tuple[tuple[str, ...], ...]]
"""Per country code, its areas; per area, equally likely number templates (``X`` = digit)."""

COUNTRY_CODES = {"US": "1", "GB": "44", "DE": "49", "FR": "33"}


def _area(start: str, leads: str, rest: str) -> tuple[str, ...]:
    """Templates ``start`` + one of ``leads`` + ``rest``: ``("20 ", "37", ...)`` gives
    ``20 3XXX XXXX`` and ``20 7XXX XXXX``."""
    return tuple(f"{start}{lead}{rest}" for lead in leads)


_US_AREAS = ("212", "415", "312", "617", "206", "512", "303", "404", "305", "713")
# NANP: the exchange after the area code starts with 2-9.
_US = tuple(_area(f"{area} ", "23456789", "XX XXXX") for area in _US_AREAS)

LANDLINE_AREAS: PhonePlan = {
    "US": _US,
    "GB": (
        _area("20 ", "378", "XXX XXXX"),  # London: 020 3/7/8
        _area("161 ", "2345678", "XX XXXX"),  # Manchester
        _area("121 ", "234567", "XX XXXX"),  # Birmingham
        _area("113 ", "2345", "XX XXXX"),  # Leeds
        _area("117 ", "234", "XX XXXX"),  # Bristol
        _area("131 ", "2345678", "XX XXXX"),  # Edinburgh
    ),
    "DE": tuple(
        _area(f"{area} ", "23456789", "XXXXXX") for area in ("30", "40", "89", "69", "221", "711")
    ),
    "FR": (
        _area("1 ", "0123456789", "X XX XX XX"),  # Île-de-France
        _area("2 ", "012345789", "X XX XX XX"),  # north-west
        _area("3 ", "0123456789", "X XX XX XX"),  # north-east
        _area("4 ", "123456789", "X XX XX XX"),  # south-east
        _area("5 ", "012345678", "X XX XX XX"),  # south-west
    ),
}
"""Home and office lines: a few big cities per country."""

MOBILE_PREFIXES: PhonePlan = {
    "US": _US,
    "GB": (
        _area("74", "01234", "X XXXXXX"),
        _area("75", "134679", "X XXXXXX"),
        _area("77", "1234567", "X XXXXXX"),
        _area("78", "014789", "X XXXXXX"),
        _area("79", "024578", "X XXXXXX"),
    ),
    "DE": (
        _area("15", "127", " XXXXXXXX"),  # 0151 12345678
        _area("16", "0", " XXXXXXX"),  # 0160 1234567
        _area("17", "0125", " XXXXXXX"),  # 0170 1234567
        _area("17", "6789", " XXXXXXXX"),  # 0176 12345678
    ),
    "FR": (
        _area("6 ", "01245678", "X XX XX XX"),
        _area("7 ", "3456789", "X XX XX XX"),
    ),
}
"""Mobile ranges; US mobiles share the geographic area codes."""


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

    def numbers(self, countries: np.ndarray, plan: PhonePlan) -> np.ndarray:
        """One new canonical ``+CC group group ...`` number per row, e.g. a mobile plan."""
        out = _draw_numbers(self._rng, countries, plan)
        rows = np.arange(len(out))
        while len(rows):
            clash = np.zeros(len(rows), dtype=bool)
            for k, number in enumerate(out[rows]):
                clash[k] = number in self._taken
                self._taken.add(number)
            rows = rows[clash]
            out[rows] = _draw_numbers(self._rng, countries[rows], plan)
        return out


_MAX_DIGITS = 10
"""More random digits than any template needs."""


def _draw_numbers(rng: Rng, countries: np.ndarray, plan: PhonePlan) -> np.ndarray:
    """Numbers from the country's plan (area, then template, then digits), unchecked for clashes."""
    n = len(countries)
    area_pick, template_pick = rng.random(n), rng.random(n)
    digits = rng.integers(0, 10, (n, _MAX_DIGITS)).tolist()
    formats = {
        country: tuple(
            tuple(f"+{COUNTRY_CODES[country]} " + t.replace("X", "{}") for t in area)
            for area in areas
        )
        for country, areas in plan.items()
    }
    out = []
    for country, a, t, d in zip(
        countries, area_pick.tolist(), template_pick.tolist(), digits, strict=True
    ):
        areas = formats[country]
        area = areas[int(a * len(areas))]
        out.append(area[int(t * len(area))].format(*d))
    return objects(out)

"""Country names and codes as ISO 3166 alpha-2: ``United States``, ``USA``, ``U.S.`` -> ``US``.

Web forms and email platforms take country as free text; phones are parsed per country
and profiles publish one code, so every spelling must land on the same code. pycountry
knows the ISO names and codes; the few everyday names it does not (``UK``, ``England``,
``Deutschland``) are listed here.
"""

from __future__ import annotations

import polars as pl
import pycountry

from resolution.normalise._columns import on_distinct

EVERYDAY_NAMES = {
    "UK": "GB",
    "ENGLAND": "GB",
    "SCOTLAND": "GB",
    "WALES": "GB",
    "NORTHERN IRELAND": "GB",
    "GREAT BRITAIN": "GB",
    "BRITAIN": "GB",
    "AMERICA": "US",
    "DEUTSCHLAND": "DE",
    "ALLEMAGNE": "DE",
    "HOLLAND": "NL",
}
"""Names people write that are not ISO names, upper-case, without dots."""


def normalise_country(values: pl.Series) -> pl.Series:
    """ISO alpha-2 code for a country name or code; unknown text -> null."""
    return on_distinct(values, _alpha_2)


def _alpha_2(values: pl.Series) -> pl.Series:
    return pl.Series(values.name, [_lookup(value) for value in values], dtype=pl.String)


def _lookup(value: str) -> str | None:
    text = " ".join(value.replace(".", "").split()).upper()
    if not text:
        return None
    if text in EVERYDAY_NAMES:
        return EVERYDAY_NAMES[text]
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None

"""Postal addresses: postcodes in each country's standard form, streets and cities as words.

Addresses are typed by hand everywhere (``Baker Street`` / ``baker st.``, ``sw1a1aa`` /
``SW1A 1AA``, ``Hauptstraße`` / ``Hauptstr.``); these forms make equal addresses equal.
"""

from __future__ import annotations

import polars as pl

from resolution.normalise._columns import null_if_blank, on_distinct, on_distinct_in_country
from resolution.normalise._text import plain_words

# fmt: off
STREET_WORDS: dict[str, str] = {
    "street": "st", "road": "rd", "avenue": "ave", "av": "ave", "boulevard": "blvd",
    "bd": "blvd", "drive": "dr", "lane": "ln", "court": "ct", "place": "pl", "square": "sq",
    "terrace": "ter", "crescent": "cres", "close": "cl", "gardens": "gdns", "highway": "hwy",
    "parkway": "pkwy", "circle": "cir", "saint": "st", "north": "n", "south": "s",
    "east": "e", "west": "w", "apartment": "apt", "suite": "ste", "floor": "fl",
    "strasse": "str", "r": "rue",
}
# fmt: on
"""Street words and their one spelling (USPS-style abbreviations; German ``str``; French
``rue`` stays, ``r.`` becomes ``rue``). ``Straße`` arrives here already as ``strasse``."""

_GB_POSTCODE = r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$"


def normalise_postcode(values: pl.Series, country: pl.Series | str) -> pl.Series:
    """The postcode in its country's standard form; null when it cannot be one.

    - GB: upper case, one space before the inward code: ``sw1a1aa`` -> ``SW1A 1AA``.
    - US: the 5-digit ZIP: ``94105-1234`` -> ``94105``; 3-4 digits get back the leading
      zeros a spreadsheet dropped (``2139`` -> ``02139``).
    - DE, FR: the 5 digits, also out of ``D-10115`` or ``75001 Paris``; 4 digits padded.
    - Any other country: upper case, single spaces.

    ``country`` is the record's ISO2 country (a column, or one code for every row). Values
    that do not fit GB, US, DE or FR formats (``N/A``, ``LONDON``) become null.
    """
    return on_distinct_in_country(values, country, _postcodes)


def normalise_street(values: pl.Series) -> pl.Series:
    """``12 Baker Street.`` -> ``12 baker st``; ``Hauptstraße 5`` -> ``hauptstr 5``.

    Lower-case ASCII words without punctuation, with each street word in one spelling
    (``STREET_WORDS``), including the German ``-strasse`` at the end of a compound.
    """
    return on_distinct(values, _street_words)


def normalise_city(values: pl.Series) -> pl.Series:
    """``  Saint-Étienne`` -> ``saint etienne``; ``MÜNCHEN`` -> ``munchen``; blank -> null."""
    return on_distinct(values, plain_words)


def _postcodes(postcodes: pl.Series, countries: pl.Series) -> pl.Series:
    text = postcodes.str.to_uppercase().str.replace_all(r"\s+", " ").str.strip_chars()
    compact = text.str.replace_all(" ", "", literal=True)
    gb = pl.when(compact.str.contains(_GB_POSTCODE)).then(
        compact.str.replace(r"^(.+)(.{3})$", "$1 $2")
    )
    formatted = (
        pl.when(countries == "GB")
        .then(gb)
        .when(countries == "US")
        .then(text.str.extract(r"^(\d{3,5})(?:[ \-]?\d{4})?$").str.zfill(5))
        .when(countries.is_in(["DE", "FR"]))
        .then(text.str.extract(r"(?:^|\D)(\d{4,5})(?:\D|$)").str.zfill(5))
        .otherwise(text)
    )
    return null_if_blank(pl.select(formatted).to_series())


def _street_words(streets: pl.Series) -> pl.Series:
    words = plain_words(streets).str.replace_all(r"([a-z])strasse\b", "${1}str")
    return words.str.split(" ").list.eval(pl.element().replace(STREET_WORDS)).list.join(" ")

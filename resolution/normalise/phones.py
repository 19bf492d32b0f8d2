"""Phone numbers to E.164 (``+14155550142``), the one spelling every source can agree on."""

from __future__ import annotations

import phonenumbers
import polars as pl

from resolution.normalise._columns import (
    map_distinct,
    null_if_blank,
    on_distinct_in_country,
    where,
)

FALLBACK_REGION = "US"
"""Region assumed for national numbers when the record's country is missing or unknown."""

_SEQUENCES = ("01234567890123456789", "98765432109876543210")


def normalise_phone(values: pl.Series, country: pl.Series | str) -> pl.Series:
    """``(415) 555 0142`` with country ``US`` -> ``+14155550142``; invalid or fake -> null.

    ``country`` is the record's ISO2 country (a column, or one code for every row); it says
    how to read national numbers such as ``020 7946 0958`` (GB) or ``030 1234567`` (DE) and
    falls back to ``FALLBACK_REGION`` when missing or unknown. Numbers written with ``+`` or
    an international prefix (``00``, and ``011`` from the US) keep their own country.
    phonenumbers decides validity from its numbering-plan data; extensions are dropped.
    Placeholders (``0000000000``, ``1111111111``, ``1234567890``) become null.
    """
    return on_distinct_in_country(values, country, _e164_numbers)


def _e164_numbers(numbers: pl.Series, countries: pl.Series) -> pl.Series:
    known = countries.is_in(phonenumbers.SUPPORTED_REGIONS)
    region = where(known, countries, pl.repeat(FALLBACK_REGION, len(countries), eager=True))
    compact = null_if_blank(numbers.str.replace_all(r"[\s().\-/]", ""))
    keyed = pl.select(pl.concat_str(region, compact, separator=" ")).to_series()
    return map_distinct(keyed, _e164, pl.String)


def _e164(region_and_number: str) -> str | None:
    region, number = region_and_number.split(" ", 1)
    parsed = _parse(number, region)
    if parsed is None and number.startswith("00"):
        parsed = _parse("+" + number[2:], region)
    if parsed is None or _is_placeholder(phonenumbers.national_significant_number(parsed)):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _parse(number: str, region: str) -> phonenumbers.PhoneNumber | None:
    """The number if phonenumbers can read it and it is valid in its country's plan."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_valid_number(parsed) else None


def _is_placeholder(national_number: str) -> bool:
    """One digit repeated, or a run of consecutive digits: typed to fill a required field."""
    return len(set(national_number)) == 1 or any(
        national_number in sequence for sequence in _SEQUENCES
    )

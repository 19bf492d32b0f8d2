"""Phone numbers to E.164 (``+14155550142``), the one spelling every source can agree on.

phonenumbers decides what a number is, but it takes ~40 us to read one, which made phone
numbers the slowest part of standardising a few hundred thousand contacts. Nearly every
number comes in a plain shape (``+1 415-555-0142``, ``(415) 555 0142``, ``020 7946 0958``,
``0044 20 7946 0958``), so those are read here the way phonenumbers reads them, by polars
expressions over all numbers at once and from phonenumbers' own numbering-plan data: the
same international-prefix, country-code and national-prefix steps as ``phonenumbers.parse``
and the same region patterns as ``phonenumbers.is_valid_number``. Numbers whose reading
is not certain that way (extensions, letters, odd prefixes, a plan with rules this reading
does not cover, Italian-style leading zeros) are read by phonenumbers, once per distinct
value.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import phonenumbers
import polars as pl
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata
from phonenumbers.phonemetadata import PhoneNumberDesc

from resolution.normalise._columns import (
    map_distinct,
    null_if_blank,
    on_distinct,
    on_distinct_in_country,
    where,
)

FALLBACK_REGION = "US"
"""Region assumed for national numbers when the record's country is missing or unknown."""

_SEQUENCES = ("01234567890123456789", "98765432109876543210")
_RUNS_OF_CONSECUTIVE_DIGITS = frozenset(
    sequence[start:end]
    for sequence in _SEQUENCES
    for start in range(len(sequence))
    for end in range(start + 1, len(sequence) + 1)
)
_NUMBER = pl.Struct({"country_code": pl.String, "national_number": pl.String})
_NUMBER_TYPES = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
    "mobile",
)
"""The number types ``phonenumbers.is_valid_number`` accepts."""
_MIN_NATIONAL_LENGTH, _MAX_NATIONAL_LENGTH = 2, 17
"""phonenumbers.parse rejects national significant numbers shorter or longer than these."""
_MIN_NUMBERS_IN_BULK = 100
"""Fewer numbers than this in one region or plan are left to phonenumbers: compiling the
plan's patterns costs more than reading them one by one."""
_PLAIN_DIGITS = r"^[0-9]{3,20}$"
_PLUS_DIGITS = r"^\+[1-9][0-9]{2,19}$"
"""The shapes read in bulk, once spaces and punctuation are gone: digits only, or ``+`` and
a country code (which never starts with 0). Anything else (``x12``, ``#``, letters, ``++``,
fewer than 3 or more than 20 digits) is read by phonenumbers."""


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
    return on_distinct(keyed, _e164_of_keys)


def _e164_of_keys(keys: pl.Series) -> pl.Series:
    """E.164 for distinct ``"REGION number"`` keys: read in bulk where that is certain to
    give phonenumbers' answer, by phonenumbers otherwise; then placeholders dropped."""
    if keys.is_empty():
        return pl.Series(dtype=pl.String)
    bulk = _read_in_bulk(keys.str.split_exact(" ", 1).struct.unnest())
    by_phonenumbers = map_distinct(where(~bulk["decided"], keys), _read_one, _NUMBER)
    number = where(bulk["decided"], bulk["number"], by_phonenumbers).struct.unnest()
    country_code, national_number = number["country_code"], number["national_number"]
    is_placeholder = (national_number.str.strip_chars(national_number.str.slice(0, 1)) == "") | (
        national_number.is_in(_RUNS_OF_CONSECUTIVE_DIGITS)
    )
    e164 = pl.concat_str(pl.lit("+"), country_code, national_number)
    return pl.select(pl.when(~is_placeholder).then(e164)).to_series()


def _read_one(region_and_number: str) -> dict[str, str] | None:
    """The valid number phonenumbers reads, trying ``00...`` as international if it must."""
    region, number = region_and_number.split(" ", 1)
    parsed = _parse(number, region)
    if parsed is None and number.startswith("00"):
        parsed = _parse("+" + number[2:], region)
    if parsed is None:
        return None
    return {
        "country_code": str(parsed.country_code),
        "national_number": phonenumbers.national_significant_number(parsed),
    }


def _parse(number: str, region: str) -> phonenumbers.PhoneNumber | None:
    """The number if phonenumbers can read it and it is valid in its country's plan."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_valid_number(parsed) else None


# --- All numbers at once, by phonenumbers' rules ------------------------------------------
# Each step adds columns in stages, so that a regex runs once over the rows it applies to.


def _read_in_bulk(keys: pl.DataFrame) -> pl.DataFrame:
    """``_read_one`` over ``field_0`` (region) and ``field_1`` (number) where it is certain.

    Returns ``decided`` (False: left to phonenumbers) and ``number`` (the ``_NUMBER``
    struct; null where decided invalid).
    """
    rows = keys.select(region="field_0", number="field_1")
    as_written = _read_all(rows).with_row_index("row")
    # _read_one's second try: a number invalid as written, starting 00, read as +...
    retry = (
        as_written["decided"]
        & as_written["number"].is_null()
        & rows["number"].str.starts_with("00")
    )
    if not retry.any():
        return as_written.drop("row")
    retried = _read_all(rows.filter(retry).with_columns(number="+" + pl.col("number").str.slice(2)))
    retried = retried.with_columns(as_written["row"].filter(retry))
    return as_written.update(retried, on="row").drop("row")


def _read_all(rows: pl.DataFrame) -> pl.DataFrame:
    """``_parse`` over ``region`` and ``number``, where certain: ``decided`` and ``number``."""
    split = _per_group(rows, ["region"], _split_country_code)
    checked = _per_group(split, ["plan", "country_code"], _check_national_number)
    return checked.select(
        "decided",
        number=pl.when("valid").then(pl.struct("country_code", national_number="national")),
    )


def _split_country_code(rows: pl.DataFrame, region: str) -> pl.DataFrame:
    """Country code and national number as ``phonenumbers.parse(number, region)`` finds them.

    Adds ``country_code``, ``national`` (the national prefix not yet stripped) and ``plan``
    (the region whose national prefix is stripped: the country code's main region when the
    number carries a country code, else ``region``); all null where the number is left to
    phonenumbers.
    """
    if len(rows) < _MIN_NUMBERS_IN_BULK or not _reads_region(region):
        return rows.with_columns(
            country_code=pl.lit(None, pl.String),
            national=pl.lit(None, pl.String),
            plan=pl.lit(None, pl.String),
        )
    metadata = PhoneMetadata.metadata_for_region(region)
    own_code = str(metadata.country_code)
    number, international, plain = pl.col("number"), pl.col("international"), pl.col("plain")
    # parse strips an international prefix (00, 011) only when a digit other than 0 follows.
    dialled = plain & pl.col("idd").is_not_null() & ~pl.col("after_idd").str.starts_with("0")
    national = plain & international.is_null()
    rows = (
        rows.lazy()
        .with_columns(
            plain=number.str.contains(_PLAIN_DIGITS),
            plus=number.str.contains(_PLUS_DIGITS),
            idd=_prefix(number, metadata.international_prefix),
        )
        .with_columns(after_idd=number.str.slice(pl.col("idd").str.len_chars()))
        .with_columns(
            international=pl.when("plus").then(number.str.slice(1)).when(dialled).then("after_idd")
        )
        .with_columns(
            code=_leading_country_code(international),
            without_own_code=pl.when(national & number.str.starts_with(own_code)).then(
                number.str.slice(len(own_code))
            ),
        )
        .collect()
    )
    # phonenumbers wants more than two digits after + or an international prefix; a code it
    # does not know it retries without the +, which is left to it.
    in_play = rows["code"].drop_nulls().unique().to_list()
    readable = [code for code in in_play if _reads_country_code(int(code))]
    has_code = pl.col("code").is_in(readable) & (
        international.str.len_chars() > _MIN_NATIONAL_LENGTH
    )
    # A national number starting with the region's own country code is read as carrying it
    # when the rest fits the plan and the whole does not, or the whole is too long for it.
    general, rest = metadata.general_desc, pl.col("without_own_code")
    whole = pl.when(rest.is_not_null()).then(number)
    carries_own_code = rest.is_not_null() & (
        (~_matches(whole, general) & _matches(rest, general)) | _too_long(whole, general)
    )
    main_regions = [phonenumbers.region_code_for_country_code(int(code)) for code in readable]
    own_plan = phonenumbers.region_code_for_country_code(metadata.country_code)
    return (
        _strip_national_prefix(rows.lazy(), "without_own_code", metadata)
        .with_columns(carries_own_code=carries_own_code)
        .select(
            "_row",
            "region",
            "number",
            country_code=pl.when(has_code).then("code").when(national).then(pl.lit(own_code)),
            national=pl.when(has_code)
            .then(international.str.slice(pl.col("code").str.len_chars()))
            .when("carries_own_code")
            .then("without_own_code")
            .when(national)
            .then(number),
            plan=pl.when(has_code)
            .then(pl.col("code").replace_strict(readable, main_regions, default=None))
            .when("carries_own_code")
            .then(pl.lit(own_plan))
            .when(national)
            .then(pl.lit(region)),
        )
        .collect()
    )


def _leading_country_code(digits: pl.Expr) -> pl.Expr:
    """The shortest leading digits that are a country code, as ``_extract_country_code``
    finds it; null if none is."""
    codes = [str(code) for code in COUNTRY_CODE_TO_REGION_CODE]
    one, two, three = (digits.str.slice(0, length) for length in (1, 2, 3))
    return (
        pl.when(one.is_in(codes))
        .then(one)
        .when(two.is_in(codes))
        .then(two)
        .when(three.is_in(codes))
        .then(three)
    )


def _check_national_number(
    rows: pl.DataFrame, plan: str | None, country_code: str | None
) -> pl.DataFrame:
    """The national significant number and ``is_valid_number``'s verdict on it.

    Replaces ``national`` with the national significant number: the plan's national prefix
    stripped as ``parse`` strips it, if what is left has a possible length for the plan;
    null if too short or long. Adds ``valid`` and ``decided``: a valid number that starts
    with 0 (a leading zero kept, as in Italy) is left to phonenumbers.
    """
    if len(rows) < _MIN_NUMBERS_IN_BULK or plan is None or country_code is None:
        return rows.with_columns(valid=pl.lit(False), decided=pl.lit(False))
    metadata = PhoneMetadata.metadata_for_region(plan)
    national = pl.col("national")
    kept = _possible_length_after_stripping(pl.col("stripped"), metadata.general_desc)
    length = national.str.len_chars()
    readable = length.is_between(_MIN_NATIONAL_LENGTH, _MAX_NATIONAL_LENGTH)
    rows = (
        _strip_national_prefix(rows.lazy().with_columns(stripped=national), "stripped", metadata)
        .with_columns(national=pl.when(kept).then("stripped").otherwise(national))
        .with_columns(national=pl.when(readable).then(national))
        .drop("stripped")
        .collect()
    )
    rows = rows.with_columns(valid=_is_valid_number(rows["national"], int(country_code)))
    return rows.with_columns(decided=~(pl.col("valid") & national.str.starts_with("0")))


def _strip_national_prefix(
    rows: pl.LazyFrame, column: str, metadata: PhoneMetadata
) -> pl.LazyFrame:
    """``_maybe_strip_national_prefix_carrier_code`` on a column, for a plan without a
    transform rule: the prefix goes unless the number fits the plan with it and no longer
    does without."""
    prefix = _prefix(pl.col(column), metadata.national_prefix_for_parsing)
    rows = rows.with_columns(_rest=pl.col(column).str.slice(prefix.str.len_chars()))
    rest, general = pl.col("_rest"), metadata.general_desc
    with_prefix = pl.when(rest.is_not_null()).then(pl.col(column))
    keeps_prefix = (with_prefix == "") | (_matches(with_prefix, general) & ~_matches(rest, general))
    stripped = pl.when(rest.is_not_null() & ~keeps_prefix).then(rest).otherwise(pl.col(column))
    return rows.with_columns(stripped.alias(column)).drop("_rest")


def _is_valid_number(national_numbers: pl.Series, country_code: int) -> pl.Series:
    """``is_valid_number``: the number is of a known type in the region it belongs to.

    A country code shared by several regions (``+1``: US, CA and the Caribbean) belongs to
    the first region, in phonenumbers' order, whose leading digits the number starts with
    or, for a region without leading digits, in which the number is of a known type.
    """
    regions = COUNTRY_CODE_TO_REGION_CODE[country_code]
    plans = {region: PhoneMetadata.metadata_for_region(region) for region in regions}
    national = pl.col("national")
    rows = pl.DataFrame({"national": national_numbers}).with_row_index("row").drop_nulls()
    valid = pl.repeat(False, len(national_numbers), eager=True).alias("valid")
    if len(regions) == 1:
        valid.scatter(rows.filter(_is_known_type(national, plans[regions[0]]))["row"], True)
    else:
        for position, (region, plan) in enumerate(plans.items()):
            if plan.leading_digits is None:
                rows = rows.with_columns(belongs=_is_known_type(national, plan))
                valid.scatter(rows.filter("belongs")["row"], True)
            else:
                if region not in rows.columns:
                    # The leading digits of all the regions left, in one pass over the rows
                    # left: most of those regions claim none of them.
                    rows = rows.with_columns(
                        national.str.contains(f"^(?:{later.leading_digits})").alias(name)
                        for name, later in list(plans.items())[position:]
                        if later.leading_digits is not None
                    )
                if not rows[region].any():
                    continue
                rows = rows.with_columns(belongs=pl.col(region))
                valid.scatter(rows.filter("belongs", _is_known_type(national, plan))["row"], True)
            rows = rows.filter(~pl.col("belongs"))
    return valid


def _is_known_type(national: pl.Expr, metadata: PhoneMetadata) -> pl.Expr:
    """``_number_type_helper`` is not UNKNOWN: the plan's general description and a type's."""
    types = [
        getattr(metadata, name)
        for name in _NUMBER_TYPES
        if name != "mobile" or not metadata.same_mobile_and_fixed_line_pattern
    ]
    is_type = pl.any_horizontal(_is_number_matching_desc(national, desc) for desc in types)
    return _is_number_matching_desc(national, metadata.general_desc) & is_type


def _is_number_matching_desc(national: pl.Expr, desc: PhoneNumberDesc | None) -> pl.Expr:
    """One of the description's possible lengths, and its whole pattern."""
    if desc is None:
        return pl.lit(False)
    matches = _matches(national, desc)
    if desc.possible_length:
        matches = national.str.len_chars().is_in(desc.possible_length) & matches
    return matches


def _matches(number: pl.Expr, desc: PhoneNumberDesc) -> pl.Expr:
    """``_match_national_number``: the whole number matches the description's pattern."""
    if not desc.national_number_pattern:
        return pl.lit(False)
    return number.str.contains(f"^(?:{desc.national_number_pattern})$")


def _possible_length_after_stripping(number: pl.Expr, general: PhoneNumberDesc) -> pl.Expr:
    """``_test_number_length`` is not TOO_SHORT, IS_POSSIBLE_LOCAL_ONLY or INVALID_LENGTH."""
    length = number.str.len_chars()
    local_only = length.is_in(general.possible_length_local_only)
    return (length.is_in(general.possible_length) | _too_long(number, general)) & ~local_only


def _too_long(number: pl.Expr, general: PhoneNumberDesc) -> pl.Expr:
    """``_test_number_length`` is TOO_LONG."""
    length = number.str.len_chars()
    local_only = length.is_in(general.possible_length_local_only)
    return (length > max(general.possible_length)) & ~local_only


def _prefix(number: pl.Expr, pattern: str | None) -> pl.Expr:
    """What ``re.match(pattern, number)`` matches at the start, null where nothing does.

    Rust's regex engine picks the same leftmost-first match as Python's, so this is the
    prefix phonenumbers strips.
    """
    if not pattern:
        return pl.lit(None, pl.String)
    return number.str.extract(f"^({pattern})", 1)


def _per_group(
    rows: pl.DataFrame, keys: list[str], step: Callable[..., pl.DataFrame]
) -> pl.DataFrame:
    """``step(group, *key_values)`` on each group of rows sharing ``keys``, in row order.

    A region's patterns run only over the numbers read in that region.
    """
    groups = rows.with_row_index("_row").partition_by(keys, as_dict=True)
    parts = [step(group, *key_values) for key_values, group in groups.items()]
    return pl.concat(parts).sort("_row").drop("_row")


# --- Which numbering plans can be read in bulk ------------------------------------------------


def _reads_region(region: str) -> bool:
    """National numbers written in the region can be read in bulk."""
    metadata = PhoneMetadata.metadata_for_region(region)
    return _strips_in_bulk(region) and _reads_country_code(metadata.country_code)


@cache
def _reads_country_code(country_code: int) -> bool:
    """Numbers with the country code can be read in bulk: its main region's national
    prefix can be stripped, and every region sharing it has patterns polars can run."""
    regions = COUNTRY_CODE_TO_REGION_CODE[country_code]
    return (
        all(region in phonenumbers.SUPPORTED_REGIONS for region in regions)
        and _strips_in_bulk(regions[0])
        and all(_validates_in_bulk(region) for region in regions)
    )


@cache
def _strips_in_bulk(region: str) -> bool:
    """No national-prefix transform rule (those rewrite the number: Argentina, Brazil,
    Japan, Jersey ...), and polars compiles the prefix patterns."""
    metadata = PhoneMetadata.metadata_for_region(region)
    prefixes = (metadata.international_prefix, metadata.national_prefix_for_parsing)
    return not metadata.national_prefix_transform_rule and _compiles(
        [f"^({pattern})" for pattern in prefixes if pattern]
    )


@cache
def _validates_in_bulk(region: str) -> bool:
    """polars compiles the region's number-type and leading-digit patterns."""
    metadata = PhoneMetadata.metadata_for_region(region)
    descs = [getattr(metadata, name) for name in ("general_desc", *_NUMBER_TYPES)]
    patterns = [f"^(?:{desc.national_number_pattern})$" for desc in descs if desc is not None]
    if metadata.leading_digits:
        patterns.append(f"^(?:{metadata.leading_digits})")
    return _compiles(patterns)


def _compiles(patterns: list[str]) -> bool:
    """polars' (Rust) regex engine accepts every pattern."""
    try:
        pl.select(
            pl.lit("").str.contains(pattern).alias(str(i)) for i, pattern in enumerate(patterns)
        )
    except pl.exceptions.ComputeError:
        return False
    return True

"""Column plumbing every normaliser shares: work once per distinct value, blanks to null."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl


def on_distinct(values: pl.Series, transform: Callable[[pl.Series], pl.Series]) -> pl.Series:
    """Run a vectorised ``transform`` on the distinct non-null values and map results back.

    Identity columns repeat the same values many times (one address across thousands of
    email events), so the work costs the number of distinct values, not rows; the mapping
    back is one hash lookup. ``transform`` returns one result per value, in order (a struct
    Series when there are several result columns). Values are read as text (a postcode
    column loaded as integers still works); nulls stay null.
    """
    return _per_distinct(values.cast(pl.String), transform)


def on_distinct_in_country(
    values: pl.Series,
    country: pl.Series | str,
    transform: Callable[[pl.Series, pl.Series], pl.Series],
) -> pl.Series:
    """``on_distinct`` for values read by country: ``transform(values, iso2_codes)``.

    ``country`` is one ISO2 code per row, or one code for every row; ``transform`` gets it
    trimmed and upper-case. The work runs once per distinct (value, country) pair.
    """
    countries = pl.repeat(country, len(values), eager=True) if isinstance(country, str) else country
    pairs = pl.DataFrame({"value": values, "country": countries}).cast(pl.String).to_struct()

    def apply(distinct: pl.Series) -> pl.Series:
        pair = distinct.struct.unnest()
        return transform(pair["value"], pair["country"].str.strip_chars().str.to_uppercase())

    return _per_distinct(pairs, apply).alias(values.name)


def map_distinct(
    values: pl.Series, function: Callable[[str], Any], return_dtype: pl.DataType
) -> pl.Series:
    """``on_distinct`` for a Python ``function`` of one value (email-validator, phonenumbers)."""

    def apply(distinct: pl.Series) -> pl.Series:
        return pl.Series([function(value) for value in distinct], dtype=return_dtype)

    return on_distinct(values, apply)


def where(condition: pl.Series, then: pl.Series, otherwise: pl.Series | None = None) -> pl.Series:
    """Row by row, ``then`` where ``condition`` holds, else ``otherwise`` (default null)."""
    return pl.select(pl.when(condition).then(then).otherwise(otherwise)).to_series()


def null_if_blank(values: pl.Series) -> pl.Series:
    """Empty strings become null: a blank form field is a missing value, not a value."""
    return values.replace("", None)


def _per_distinct(values: pl.Series, transform: Callable[[pl.Series], pl.Series]) -> pl.Series:
    distinct = values.drop_nulls().unique()
    results = transform(distinct)
    return values.replace_strict(distinct, results, default=None, return_dtype=results.dtype)

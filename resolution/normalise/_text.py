"""Free text to comparable words: ASCII, lower case, no punctuation, single spaces."""

from __future__ import annotations

import polars as pl
from unidecode import unidecode

from resolution.normalise._columns import null_if_blank


def to_ascii(values: pl.Series) -> pl.Series:
    """Transliterate to ASCII: ``José`` -> ``Jose``, ``Müller`` -> ``Muller``, ``ß`` -> ``ss``.

    Sources disagree on accents (one system stores ``Zoë``, another ``Zoe``), so comparisons
    happen on the ASCII spelling. Only distinct values that hold a non-ASCII character go
    through unidecode; plain ASCII values, the vast majority, never leave polars.
    """
    accented = values.filter(values.str.contains(r"[^\x00-\x7F]")).unique()
    folded = pl.Series([unidecode(value) for value in accented], dtype=pl.String)
    return values.replace(accented, folded)


def plain_words(values: pl.Series, *, keep_hyphens: bool = False) -> pl.Series:
    """Lower-case ASCII words separated by single spaces; null when nothing is left.

    Apostrophes and full stops are deleted, so ``O'Brien`` == ``OBrien`` -> ``obrien`` and
    ``J.R.`` == ``JR`` -> ``jr``; every other punctuation mark separates words, so
    ``Doe,Jane`` -> ``doe jane``. With ``keep_hyphens`` a hyphen between two words survives
    (``Mary-Jane``), while stray hyphens at either end of a word are dropped.
    """
    text = to_ascii(values).str.to_lowercase().str.replace_all(r"['`.]", "")
    if keep_hyphens:
        text = (
            text.str.replace_all(r"[^a-z0-9\-]+", " ")
            .str.replace_all(r"-* [ \-]*", " ")
            .str.replace_all(r"^-+|-+$", "")
            .str.replace_all(r"-+", "-")
        )
    else:
        text = text.str.replace_all(r"[^a-z0-9]+", " ")
    return null_if_blank(text.str.strip_chars())

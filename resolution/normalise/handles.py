"""Social media handles: ``@JaneDoe`` on one export and ``janedoe`` on another are one account."""

from __future__ import annotations

import polars as pl

from resolution.normalise._columns import null_if_blank, on_distinct


def normalise_handle(values: pl.Series) -> pl.Series:
    """`` @JaneDoe `` -> ``janedoe``: lower case (platforms ignore case), no leading ``@``.

    A handle is unique only on its own platform, so compare it together with the platform.
    Blank -> null.
    """
    return on_distinct(values, _handle)


def _handle(handles: pl.Series) -> pl.Series:
    return null_if_blank(handles.str.replace(r"^[\s@]+", "").str.strip_chars().str.to_lowercase())

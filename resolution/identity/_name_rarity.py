"""How often a full name would turn up by chance: for a rare name, weak evidence will do.

Splink scores a pair on its own evidence and cannot see that nobody else in the data could
carry the name. The rules that read names across customers (``_two_holders``,
``_alike_name``) can, and relax their demands where a name is rare.
"""

from __future__ import annotations

import polars as pl

RARE_NAME_EXPECTED = 0.03
"""The most records a name may be expected to have by chance to count as rare."""


def with_rare_names(frame: pl.DataFrame, named: pl.DataFrame) -> pl.DataFrame:
    """The rows of ``frame`` whose given_name and last_name the ``named`` records (each
    with a given name and a full last name) would hold ``RARE_NAME_EXPECTED`` times or
    fewer if given and last names were drawn independently: given-name count times
    last-name count over the named records."""
    return (
        frame.join(
            named.get_column("given_name").value_counts(name="_given_count"), on="given_name"
        )
        .join(named.get_column("last_name").value_counts(name="_last_count"), on="last_name")
        .filter(pl.col("_given_count") * pl.col("_last_count") <= RARE_NAME_EXPECTED * named.height)
        .drop("_given_count", "_last_count")
    )

"""Invariants of the profile tables, measured so that asset checks can fail on them."""

from __future__ import annotations

import polars as pl

from resolution.profile._build import LINEAGE_COLUMNS


def lineage_gaps(profile: pl.DataFrame, lineage: pl.DataFrame) -> pl.DataFrame:
    """Profile values without lineage, lineage without a value, and values that differ.

    Columns: customer_id, field, problem (``no_lineage``, ``no_value``, ``value_differs``).
    Empty when every published value can be traced to the source record it came from.
    """
    held = pl.concat(
        [
            profile.select(
                "customer_id",
                pl.lit(name).alias("field"),
                pl.col(column).cast(pl.String).alias("profile_value"),
            ).filter(pl.col("profile_value").is_not_null())
            for name, column in LINEAGE_COLUMNS.items()
        ]
    )
    paired = held.join(
        lineage.select("customer_id", "field", "value"),
        on=["customer_id", "field"],
        how="full",
        coalesce=True,
    )
    problem = (
        pl.when(pl.col("value").is_null())
        .then(pl.lit("no_lineage"))
        .when(pl.col("profile_value").is_null())
        .then(pl.lit("no_value"))
        .when((pl.col("field") != "postal_address") & (pl.col("value") != pl.col("profile_value")))
        .then(pl.lit("value_differs"))
    )
    return (
        paired.with_columns(problem.alias("problem"))
        .filter(pl.col("problem").is_not_null())
        .select("customer_id", "field", "problem")
    )

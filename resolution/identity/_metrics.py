"""The numbers an engineer reads after a resolution run, under stable names for plotting."""

from __future__ import annotations

import polars as pl

from resolution.identity._resolve import IdentityResolution


def resolution_metrics(resolution: IdentityResolution) -> dict[str, float]:
    """Customers, cluster sizes, match rate per source system, links per rule, timings."""
    sizes = resolution.identity_map.group_by("customer_id").agg(pl.len().alias("records"))
    records_size = resolution.identity_map.join(sizes, on="customer_id")
    by_source = (
        resolution.records.select("record_key", "source_system")
        .join(records_size, on="record_key")
        .group_by("source_system")
        .agg((pl.col("records") > 1).mean().alias("match_rate"))
        .sort("source_system")
    )
    size_column = sizes.get_column("records")
    metrics: dict[str, float] = {
        "records": resolution.identity_map.height,
        "customers": sizes.height,
        "customers_with_several_records": int((size_column > 1).sum()),
        "largest_customer_records": int(size_column.max() or 0),
        "customer_records_p50": float(size_column.quantile(0.5) or 0),
        "customer_records_p99": float(size_column.quantile(0.99) or 0),
        "candidate_pairs": resolution.candidate_pairs.height,
        "links_refused": resolution.refused_links.height,
        "customers_flagged_for_review": flagged_customers(resolution).height,
        "ids_changed": resolution.history.height,
    }
    for source, rate in by_source.iter_rows():
        metrics[f"match_rate_{source}"] = float(rate)
    for rule, count in resolution.links.group_by("rule").len().sort("rule").iter_rows():
        metrics[f"links_{rule}"] = int(count)
    for step, seconds in resolution.seconds.items():
        metrics[f"seconds_{step}"] = round(seconds, 3)
    return metrics


def cluster_size_histogram(resolution: IdentityResolution) -> pl.DataFrame:
    """How many customers have 1, 2, 3-5, 6-10, 11-50 and more records."""
    sizes = resolution.identity_map.group_by("customer_id").len()
    bucket = (
        pl.when(pl.col("len") == 1)
        .then(pl.lit("1"))
        .when(pl.col("len") == 2)
        .then(pl.lit("2"))
        .when(pl.col("len") <= 5)
        .then(pl.lit("3-5"))
        .when(pl.col("len") <= 10)
        .then(pl.lit("6-10"))
        .when(pl.col("len") <= 50)
        .then(pl.lit("11-50"))
        .otherwise(pl.lit(">50"))
    )
    order = ["1", "2", "3-5", "6-10", "11-50", ">50"]
    counts = sizes.group_by(bucket.alias("records per customer")).agg(pl.len().alias("customers"))
    return (
        pl.DataFrame({"records per customer": order})
        .join(counts, on="records per customer", how="left")
        .with_columns(pl.col("customers").fill_null(0))
    )


def flagged_customers(resolution: IdentityResolution) -> pl.DataFrame:
    """Customers to review: they hold two personal free-mail addresses, each used repeatedly.

    People do change personal address (a new surname, a new provider), so this is not
    refused outright like two birth dates; but it is also how two namesakes look when
    merged, so a person should check them.
    """
    emails = (
        resolution.records.filter(
            pl.col("email_key").is_not_null()
            & pl.col("email_is_freemail")
            & ~pl.col("email_is_shared")
        )
        .select("record_key", "email_key")
        .join(resolution.identity_map, on="record_key")
    )
    repeated = (
        emails.group_by("customer_id", "email_key")
        .agg(pl.len().alias("records"))
        .filter(pl.col("records") >= 2)
    )
    return (
        repeated.group_by("customer_id")
        .agg(pl.col("email_key").sort().alias("personal_emails"))
        .filter(pl.col("personal_emails").list.len() >= 2)
        .with_columns(pl.lit("two personal emails, each used repeatedly").alias("reason"))
        .sort("customer_id")
    )

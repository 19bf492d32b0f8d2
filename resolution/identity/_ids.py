"""Stable customer ids: a customer keeps its id across runs, through new and changed data.

Exports, CRM fields and marketing lists hold customer ids, so an id must not change because
the data was re-read in another order or the model was re-trained. A new customer's id is
derived from its smallest record key (content, not position); an existing customer keeps
the id that most of its records had last run. When customers merge or split, every retired
or split id is recorded in the history with the id(s) that now hold its records.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import duckdb
import polars as pl

HISTORY_SCHEMA = {
    "previous_customer_id": pl.String,
    "customer_id": pl.String,
    "change": pl.String,
    "records_moved": pl.Int64,
}


@dataclass(frozen=True)
class CustomerIds:
    """Each record's customer id and how last run's ids map onto this run's."""

    identity_map: pl.DataFrame
    history: pl.DataFrame


def new_customer_id(record_key: str, salt: int = 0) -> str:
    """A customer id derived from content only, so re-runs give the same id."""
    material = record_key if salt == 0 else f"{record_key}#{salt}"
    return "C" + hashlib.sha256(material.encode()).hexdigest()[:15].upper()


def assign_customer_ids(clusters: pl.DataFrame, previous: pl.DataFrame | None) -> CustomerIds:
    """Name every cluster, reusing last run's ids where the records say so.

    ``clusters`` has ``record_key`` and ``cluster_key``; ``previous`` (last run's identity
    map) has ``record_key`` and ``customer_id``, or is None on a first run.
    """
    if previous is None:
        previous = pl.DataFrame(schema={"record_key": pl.String, "customer_id": pl.String})
    overlap = (
        clusters.join(previous, on="record_key", how="inner")
        .group_by("cluster_key", "customer_id")
        .agg(pl.len().alias("records"))
    )
    kept = _kept_ids(overlap)
    cluster_ids = _name_new_clusters(clusters, kept, previous)
    identity_map = clusters.join(cluster_ids, on="cluster_key", how="left").select(
        "record_key", "customer_id"
    )
    return CustomerIds(identity_map=identity_map, history=_history(overlap, cluster_ids))


def _kept_ids(overlap: pl.DataFrame) -> pl.DataFrame:
    """Each old id goes to the cluster holding most of its records; a cluster keeps one."""
    heirs = overlap.sort(
        ["customer_id", "records", "cluster_key"], descending=[False, True, False]
    ).unique("customer_id", keep="first")
    return (
        heirs.sort(["cluster_key", "records", "customer_id"], descending=[False, True, False])
        .unique("cluster_key", keep="first")
        .select("cluster_key", "customer_id")
    )


def _name_new_clusters(
    clusters: pl.DataFrame, kept: pl.DataFrame, previous: pl.DataFrame
) -> pl.DataFrame:
    unnamed = clusters.select("cluster_key").unique().join(kept, on="cluster_key", how="anti")
    with duckdb.connect() as conn:
        conn.register("unnamed", unnamed)
        candidates = conn.sql(
            "SELECT cluster_key, 'C' || upper(substr(sha256(cluster_key), 1, 15)) AS customer_id "
            "FROM unnamed"
        ).pl()
    issued = previous.get_column("customer_id")
    clashing = candidates.filter(
        pl.col("customer_id").is_in(issued.implode()) | pl.col("customer_id").is_duplicated()
    )
    if clashing.height:
        candidates = _resolve_clashes(candidates, clashing, set(issued.to_list()))
    return pl.concat([kept, candidates])


def _resolve_clashes(
    candidates: pl.DataFrame, clashing: pl.DataFrame, used: set[str]
) -> pl.DataFrame:
    """Salt the few ids that collide with an id issued before, in key order."""
    used |= set(candidates.join(clashing, on="cluster_key", how="anti")["customer_id"])
    renamed: dict[str, str] = {}
    for cluster_key in clashing.get_column("cluster_key").sort().to_list():
        salt = 0
        while (candidate := new_customer_id(cluster_key, salt)) in used:
            salt += 1
        used.add(candidate)
        renamed[cluster_key] = candidate
    return candidates.with_columns(
        pl.col("cluster_key")
        .replace_strict(renamed, default=pl.col("customer_id"))
        .alias("customer_id")
    )


def _history(overlap: pl.DataFrame, cluster_ids: pl.DataFrame) -> pl.DataFrame:
    """Old ids that no longer name all of their records: merged away or split off."""
    moves = (
        overlap.rename({"customer_id": "previous_customer_id"})
        .join(cluster_ids, on="cluster_key")
        .filter(pl.col("previous_customer_id") != pl.col("customer_id"))
    )
    survivors = cluster_ids.get_column("customer_id").implode()
    return (
        moves.with_columns(
            pl.when(pl.col("previous_customer_id").is_in(survivors))
            .then(pl.lit("split"))
            .otherwise(pl.lit("merged"))
            .alias("change"),
            pl.col("records").cast(pl.Int64).alias("records_moved"),
        )
        .select(list(HISTORY_SCHEMA))
        .sort("previous_customer_id", "customer_id")
    )


def dangling_customer_ids(
    previous: pl.DataFrame | None, current: pl.DataFrame, history: pl.DataFrame
) -> pl.DataFrame:
    """Last run's customer ids that name no customer now and that the history maps nowhere.

    Exports, CRM fields and marketing lists hold last run's ids; an id that neither still
    names a customer nor appears as ``previous_customer_id`` in the history cannot be followed
    to anyone. ``previous`` and ``current`` are identity maps (``record_key``,
    ``customer_id``); ``previous`` is None before the first run. Returns ``customer_id`` and
    ``previous_records`` (how many records it named last run), in id order.
    """
    schema = {"customer_id": pl.String, "previous_records": pl.UInt32}
    if previous is None:
        return pl.DataFrame(schema=schema)
    known = pl.concat(
        [
            current.select("customer_id"),
            history.select(pl.col("previous_customer_id").alias("customer_id")),
        ]
    ).unique()
    return (
        previous.group_by("customer_id")
        .agg(pl.len().cast(pl.UInt32).alias("previous_records"))
        .join(known, on="customer_id", how="anti")
        .sort("customer_id")
    )

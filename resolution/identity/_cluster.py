"""Cluster linked records into customers without letting one bad link merge two people.

Plain connected components lets a single wrong edge chain two people together. Here edges
are applied strongest first (deterministic links, then Splink links by match weight), like
Kruskal's algorithm, and a union is refused when the merged customer would hold two
different birth dates: two people cannot share one customer id. Refused links are returned,
so the guard's work is visible and explainable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

EDGE_SCHEMA = {
    "record_key_l": pl.String,
    "record_key_r": pl.String,
    "match_weight": pl.Float64,
    "rule": pl.String,
}


@dataclass(frozen=True)
class Clustering:
    """Each record's cluster (named by its smallest record key) and the links refused."""

    clusters: pl.DataFrame
    refused_links: pl.DataFrame


def cluster_records(records: pl.DataFrame, edges: pl.DataFrame) -> Clustering:
    """Union ``edges`` over ``records`` strongest first, refusing conflicting unions.

    ``records`` has ``record_key`` and ``birth_date``; ``edges`` follows ``EDGE_SCHEMA``.
    The result does not depend on row order: edges are sorted by weight, then by keys.
    """
    keys = records.get_column("record_key").to_list()
    index = {key: i for i, key in enumerate(keys)}
    parent = list(range(len(keys)))
    size = [1] * len(keys)
    birth_date: list[date | None] = records.get_column("birth_date").to_list()

    def find(i: int) -> int:
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    ordered = edges.sort(
        ["match_weight", "record_key_l", "record_key_r"], descending=[True, False, False]
    )
    refused: list[int] = []
    for position, (left, right) in enumerate(
        zip(
            ordered.get_column("record_key_l").to_list(),
            ordered.get_column("record_key_r").to_list(),
            strict=True,
        )
    ):
        a, b = find(index[left]), find(index[right])
        if a == b:
            continue
        date_a, date_b = birth_date[a], birth_date[b]
        if date_a is not None and date_b is not None and date_a != date_b:
            refused.append(position)
            continue
        if size[a] < size[b]:
            a, b = b, a
        parent[b] = a
        size[a] += size[b]
        if date_a is None:
            birth_date[a] = date_b
    roots = [find(i) for i in range(len(keys))]
    clusters = (
        pl.DataFrame({"record_key": keys, "_root": roots})
        .with_columns(pl.col("record_key").min().over("_root").alias("cluster_key"))
        .drop("_root")
    )
    refused_links = ordered[refused].with_columns(
        pl.lit("different birth dates").alias("refused_because")
    )
    return Clustering(clusters=clusters, refused_links=refused_links)

"""Score an identity map against the ground truth of generated data.

Precision says how often two records given one customer id really are one person (an
over-merge mails the wrong person); recall says how often one person's records were
brought together (a split asks a customer again for what they gave). Both are reported
pairwise and as B-cubed, with the hard-negative pairs that must never merge counted apart.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path

import polars as pl

from resolution.identity._ceiling import name_evidence_recall_ceiling


@dataclass(frozen=True)
class ResolutionScores:
    """Accuracy of one identity map against the truth."""

    records: int
    customers: int
    true_people: int
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    largest_customer: int
    overmerged_customers: int
    split_people: int
    hard_negative_pairs: int
    hard_negative_pairs_merged: int
    hard_negative_merge_rate_by_relation: dict[str, float]
    pairwise_recall_by_source_pair: dict[str, float]
    """Recall of the true pairs between two source systems (``crm+social``): where people
    are split. Empty when the map does not say which system each record came from."""
    recall_ceiling: float | None = None
    """The pairwise recall the records allow without guessing between namesakes
    (``name_evidence_recall_ceiling``); None when the records were not given."""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def score_identity_map(
    predicted: pl.DataFrame, truth: pl.DataFrame, hard_negatives: pl.DataFrame | None = None
) -> ResolutionScores:
    """``predicted`` has (record_key, customer_id); ``truth`` has (record_key, person_id).

    Only records present in both are scored. ``hard_negatives`` has person_id_a,
    person_id_b and relation. A ``source_system`` column in ``predicted`` adds recall per
    pair of source systems.
    """
    joined = predicted.join(truth, on="record_key", how="inner")
    cells = joined.group_by("customer_id", "person_id").agg(pl.len().alias("n"))
    customer_sizes = joined.group_by("customer_id").agg(pl.len().alias("size"))
    person_sizes = joined.group_by("person_id").agg(pl.len().alias("size"))

    true_positive = _pairs(cells.get_column("n"))
    predicted_pairs = _pairs(customer_sizes.get_column("size"))
    true_pairs = _pairs(person_sizes.get_column("size"))
    precision = true_positive / predicted_pairs if predicted_pairs else 1.0
    recall = true_positive / true_pairs if true_pairs else 1.0

    per_cell = cells.join(customer_sizes, on="customer_id").join(
        person_sizes, on="person_id", suffix="_person"
    )
    records = joined.height
    b_precision = float((per_cell["n"] ** 2 / per_cell["size"]).sum() / records) if records else 1.0
    b_recall = (
        float((per_cell["n"] ** 2 / per_cell["size_person"]).sum() / records) if records else 1.0
    )

    people_per_customer = cells.group_by("customer_id").agg(pl.len().alias("people"))
    customers_per_person = cells.group_by("person_id").agg(pl.len().alias("customers"))
    negatives, merged, by_relation = _hard_negatives(cells, hard_negatives)
    return ResolutionScores(
        records=records,
        customers=customer_sizes.height,
        true_people=person_sizes.height,
        pairwise_precision=precision,
        pairwise_recall=recall,
        pairwise_f1=_f1(precision, recall),
        bcubed_precision=b_precision,
        bcubed_recall=b_recall,
        bcubed_f1=_f1(b_precision, b_recall),
        largest_customer=int(customer_sizes.get_column("size").max() or 0),
        overmerged_customers=people_per_customer.filter(pl.col("people") > 1).height,
        split_people=customers_per_person.filter(pl.col("customers") > 1).height,
        hard_negative_pairs=negatives,
        hard_negative_pairs_merged=merged,
        hard_negative_merge_rate_by_relation=by_relation,
        pairwise_recall_by_source_pair=_recall_by_source_pair(joined),
    )


def _recall_by_source_pair(joined: pl.DataFrame) -> dict[str, float]:
    """Pairwise recall per pair of source systems, from record counts (no pair listing)."""
    if "source_system" not in joined.columns:
        return {}
    true = _pairs_by_source(joined, ["person_id"])
    found = _pairs_by_source(joined, ["person_id", "customer_id"])
    recall = true.join(found, on="sources", how="left", suffix="_found").sort("sources")
    return dict(
        zip(
            recall.get_column("sources").to_list(),
            (recall["pairs_found"].fill_null(0) / recall["pairs"]).to_list(),
            strict=True,
        )
    )


def _pairs_by_source(joined: pl.DataFrame, group: list[str]) -> pl.DataFrame:
    """Pairs of records sharing ``group``, counted per (source a, source b), a <= b."""
    counts = joined.group_by(*group, "source_system").agg(pl.len().alias("n"))
    both = counts.join(counts, on=group, suffix="_b").filter(
        pl.col("source_system") <= pl.col("source_system_b")
    )
    pairs = (
        pl.when(pl.col("source_system") == pl.col("source_system_b"))
        .then(pl.col("n") * (pl.col("n") - 1) // 2)
        .otherwise(pl.col("n") * pl.col("n_b"))
    )
    return (
        both.select(
            pl.concat_str("source_system", "source_system_b", separator="+").alias("sources"),
            pairs.cast(pl.Int64).alias("pairs"),
        )
        .group_by("sources")
        .agg(pl.col("pairs").sum())
        .filter(pl.col("pairs") > 0)
    )


def _pairs(sizes: pl.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _hard_negatives(
    cells: pl.DataFrame, hard_negatives: pl.DataFrame | None
) -> tuple[int, int, dict[str, float]]:
    """A hard-negative pair is merged when any customer holds records of both people."""
    if hard_negatives is None or hard_negatives.is_empty():
        return 0, 0, {}
    membership = cells.select("person_id", "customer_id").unique()
    present = set(membership.get_column("person_id").to_list())
    pairs = hard_negatives.filter(
        pl.col("person_id_a").is_in(list(present)) & pl.col("person_id_b").is_in(list(present))
    )
    shared = (
        pairs.join(membership, left_on="person_id_a", right_on="person_id")
        .join(
            membership,
            left_on=["person_id_b", "customer_id"],
            right_on=["person_id", "customer_id"],
        )
        .select("person_id_a", "person_id_b", "relation")
        .unique()
        .with_columns(pl.lit(True).alias("merged"))
    )
    scored = pairs.join(
        shared, on=["person_id_a", "person_id_b", "relation"], how="left"
    ).with_columns(pl.col("merged").fill_null(False))
    by_relation = scored.group_by("relation").agg(pl.col("merged").mean()).sort("relation")
    return (
        scored.height,
        int(scored.get_column("merged").sum()),
        dict(zip(by_relation["relation"].to_list(), by_relation["merged"].to_list(), strict=True)),
    )


def record_truth(membership: pl.DataFrame, ground_truth: pl.DataFrame) -> pl.DataFrame:
    """The true person of each identity record, from the ground truth of its source rows.

    ``ground_truth`` is the generator's (source_table, record_id, person_id); a record
    built from several rows (a cookie, a social profile) takes its most common person.
    """
    return (
        membership.join(
            ground_truth,
            left_on=["source_table", "source_record_id"],
            right_on=["source_table", "record_id"],
        )
        .group_by("record_key")
        .agg(pl.col("person_id").mode().sort().first())
    )


def identified_records(records: pl.DataFrame, links: pl.DataFrame) -> pl.DataFrame:
    """Records that carry identity or are linked to one; anonymous cookies are left out.

    A cookie that never submitted a form nor arrived from an email carries nothing to
    resolve it by, so scoring it would measure the data, not the resolver.
    """
    linked = pl.concat([links.get_column("record_key_l"), links.get_column("record_key_r")])
    has_identity = pl.any_horizontal(
        pl.col("given_name", "last_name", "email_key", "phone", "social_handle").is_not_null()
    )
    return records.filter(has_identity | pl.col("record_key").is_in(linked.implode())).select(
        "record_key", "source_system"
    )


def score_against_ground_truth(
    records: pl.DataFrame,
    links: pl.DataFrame,
    identity_map: pl.DataFrame,
    membership: pl.DataFrame,
    ground_truth_dir: Path,
) -> ResolutionScores:
    """Score a resolution run against the generator's answer key in ``ground_truth_dir``."""
    truth = record_truth(
        membership, pl.read_csv(ground_truth_dir / "ground_truth.csv", infer_schema=False)
    )
    scored = identified_records(records, links)
    predicted = identity_map.join(scored, on="record_key")
    negatives_path = ground_truth_dir / "hard_negatives.csv"
    negatives = pl.read_csv(negatives_path, infer_schema=False) if negatives_path.exists() else None
    ceiling = name_evidence_recall_ceiling(
        records.join(scored.select("record_key"), on="record_key"), truth
    )
    return replace(score_identity_map(predicted, truth, negatives), recall_ceiling=ceiling)

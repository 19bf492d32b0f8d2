"""Resolution scores: the numbers that say whether c360 can be trusted with a mailing list."""

from __future__ import annotations

import polars as pl
import pytest

from resolution.identity._ceiling import name_evidence_recall_ceiling
from resolution.identity._evaluate import score_identity_map


def _map(rows: list[tuple[str, str]], id_column: str) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["record_key", id_column], orient="row")


def test_a_perfect_map_scores_one_everywhere():
    truth = _map([("r1", "P1"), ("r2", "P1"), ("r3", "P2")], "person_id")
    predicted = _map([("r1", "C1"), ("r2", "C1"), ("r3", "C2")], "customer_id")

    scores = score_identity_map(predicted, truth)

    assert (scores.pairwise_precision, scores.pairwise_recall, scores.bcubed_f1) == (1, 1, 1)
    assert (scores.customers, scores.true_people, scores.largest_customer) == (2, 2, 2)


def test_an_overmerge_costs_precision_and_a_split_costs_recall():
    truth = _map([("a1", "A"), ("a2", "A"), ("b1", "B"), ("c1", "C"), ("c2", "C")], "person_id")
    predicted = _map(
        [("a1", "X"), ("a2", "X"), ("b1", "X"), ("c1", "Y"), ("c2", "Z")], "customer_id"
    )

    scores = score_identity_map(predicted, truth)

    # predicted pairs: X has 3 -> 3 pairs, 1 true; true pairs: A 1 + C 1 = 2, found 1.
    assert scores.pairwise_precision == pytest.approx(1 / 3)
    assert scores.pairwise_recall == pytest.approx(1 / 2)
    assert scores.overmerged_customers == 1
    assert scores.split_people == 1
    # B-cubed precision: a1,a2 -> 2/3 each, b1 -> 1/3, c1, c2 -> 1 each => (2/3*2+1/3+2)/5
    assert scores.bcubed_precision == pytest.approx((4 / 3 + 1 / 3 + 2) / 5)


def test_hard_negative_pairs_are_counted_when_merged():
    truth = _map([("t1", "T1"), ("t2", "T2"), ("f1", "F1"), ("f2", "F2")], "person_id")
    predicted = _map([("t1", "C"), ("t2", "C"), ("f1", "D"), ("f2", "E")], "customer_id")
    negatives = pl.DataFrame(
        {"person_id_a": ["T1", "F1"], "person_id_b": ["T2", "F2"], "relation": ["twin", "family"]}
    )

    scores = score_identity_map(predicted, truth, negatives)

    assert (scores.hard_negative_pairs, scores.hard_negative_pairs_merged) == (2, 1)
    assert scores.hard_negative_merge_rate_by_relation == {"family": 0.0, "twin": 1.0}


def test_recall_is_broken_down_by_the_source_systems_each_true_pair_joins():
    truth = _map(
        [("crm1", "A"), ("soc1", "A"), ("web1", "A"), ("crm2", "B"), ("soc2", "B")], "person_id"
    )
    predicted = _map(
        [("crm1", "X"), ("soc1", "Y"), ("web1", "X"), ("crm2", "Z"), ("soc2", "Z")], "customer_id"
    ).with_columns(pl.col("record_key").str.slice(0, 3).alias("source_system"))

    scores = score_identity_map(predicted, truth)

    # crm+soc: A's pair split, B's found; crm+web found; soc+web split.
    assert scores.pairwise_recall_by_source_pair == {"crm+soc": 0.5, "crm+web": 1.0, "soc+web": 0.0}
    assert (
        score_identity_map(predicted.drop("source_system"), truth).pairwise_recall_by_source_pair
        == {}
    )


def _records(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    columns = [
        "record_key",
        "given_name",
        "last_name",
        "company",
        "employer",
        "social_handle",
        "email_key",
        "alt_email_key",
        "phone",
        "birth_date",
        "postcode",
        "street",
    ]
    return pl.DataFrame(
        [{c: row.get(c) for c in columns} for row in rows], schema={c: pl.String for c in columns}
    )


def _mark_jones_profile(last_name: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Mark Jones (a mailing-list record and a profile showing ``last_name``) and Mark
    James (a CRM contact)."""
    records = _records(
        [
            {"record_key": "jones_email", "given_name": "mark", "last_name": "jones",
             "email_key": "mj@x.com"},
            {"record_key": "james_crm", "given_name": "mark", "last_name": "james",
             "phone": "+15550100"},
            {"record_key": "profile", "given_name": "mark", "last_name": last_name},
        ]
    )
    truth = _map(
        [("jones_email", "JONES"), ("james_crm", "JAMES"), ("profile", "JONES")], "person_id"
    )
    return records, truth


def test_a_profile_only_a_shared_initial_could_place_lowers_the_recall_ceiling():
    # "Mark J." could be either Mark: the one true pair it belongs to cannot be found.
    assert name_evidence_recall_ceiling(*_mark_jones_profile("j")) == 0.0


def test_a_name_only_the_owner_carries_elsewhere_keeps_the_recall_ceiling_at_one():
    assert name_evidence_recall_ceiling(*_mark_jones_profile("jones")) == 1.0


def test_a_name_nobody_else_carries_places_nothing_on_its_own():
    records = _records(
        [
            {"record_key": "email", "email_key": "mj@x.com"},
            {
                "record_key": "profile",
                "given_name": "mark",
                "last_name": "jones",
                "company": "acme",
            },
            {"record_key": "ticket", "given_name": "ann", "last_name": "lee", "phone": "+15550100"},
        ]
    )
    truth = _map([("email", "JONES"), ("profile", "JONES"), ("ticket", "LEE")], "person_id")

    # Unique as the name is, no other record of Mark Jones carries it.
    assert name_evidence_recall_ceiling(records, truth) == 0.0

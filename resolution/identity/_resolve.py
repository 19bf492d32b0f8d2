"""Identity resolution end to end: records in, customers with stable ids out."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from resolution.identity._alike_name import alike_name_links
from resolution.identity._cluster import (
    DEFAULT_MAX_PERSONAL_EMAILS,
    EDGE_SCHEMA,
    Clustering,
    cluster_records,
)
from resolution.identity._evaluate import ResolutionScores, score_against_ground_truth
from resolution.identity._ids import assign_customer_ids
from resolution.identity._links import (
    DETERMINISTIC_WEIGHT,
    email_links,
    mask_shared_identifiers,
    own_contacts,
)
from resolution.identity._name_and_company import name_and_company_links
from resolution.identity._sole_name import recluster_with, sole_name_links
from resolution.identity._splink_model import CANDIDATE_PAIR_FLOOR, MODEL_PATH, predict_links
from resolution.identity._two_holders import two_holder_links
from resolution.normalise import given_name_gender

DEFAULT_MATCH_THRESHOLD = 0.995
DEFAULT_NAME_ONLY_THRESHOLD = 0.5
DEFAULT_NAME_AND_COMPANY_THRESHOLD = 0.96
DEFAULT_TWO_HOLDERS_THRESHOLD = 0.9
LINK_SCHEMA = EDGE_SCHEMA | {"match_probability": pl.Float64}
KNOWN_LINK_COLUMNS = ["record_key_l", "record_key_r", "rule"]


@dataclass(frozen=True)
class IdentityResolution:
    """The outcome of one resolution run, with the evidence behind it."""

    records: pl.DataFrame
    links: pl.DataFrame
    candidate_pairs: pl.DataFrame
    refused_links: pl.DataFrame
    identity_map: pl.DataFrame
    history: pl.DataFrame
    seconds: dict[str, float] = field(default_factory=dict)

    def scored(self, membership: pl.DataFrame, ground_truth_dir: Path) -> ResolutionScores:
        """This run's accuracy against generated data's answer key (see ``_evaluate``)."""
        return score_against_ground_truth(
            self.records, self.links, self.identity_map, membership, ground_truth_dir
        )


def resolve_records(
    records: pl.DataFrame,
    known_links: pl.DataFrame | None = None,
    previous_map: pl.DataFrame | None = None,
    *,
    threshold_match_probability: float = DEFAULT_MATCH_THRESHOLD,
    name_only_threshold: float = DEFAULT_NAME_ONLY_THRESHOLD,
    name_and_company_threshold: float = DEFAULT_NAME_AND_COMPANY_THRESHOLD,
    two_holders_threshold: float = DEFAULT_TWO_HOLDERS_THRESHOLD,
    max_personal_emails: int = DEFAULT_MAX_PERSONAL_EMAILS,
    model_path: Path = MODEL_PATH,
    keep_near_misses: bool = True,
    progress: Callable[[str], None] = lambda _: None,
) -> IdentityResolution:
    """Link, cluster and name customers.

    ``records`` are identity records as ``standardise_records`` returns them (shared
    identifiers flagged); ``known_links`` are deterministic links
    the sources state outright (record_key_l, record_key_r, rule), such as a cookie seen on
    a form submission; ``previous_map`` is last run's (record_key, customer_id).
    ``keep_near_misses`` keeps the scored pairs from ``CANDIDATE_PAIR_FLOOR`` up in
    ``candidate_pairs`` for review; without it only the links themselves are kept.
    ``name_only_threshold`` is the Splink probability at which a customer known only by a
    name joins the one other customer with that name (see ``_sole_name``; 1.0 turns off
    that pass, ``_alike_name`` included); ``name_and_company_threshold`` is the one at
    which two records of one full name at one company link (see ``_name_and_company``);
    ``max_personal_emails`` is the most different personal addresses one customer may hold
    (see ``_cluster``).
    """
    seconds: dict[str, float] = {}
    progress(f"linking {records.height:,} records deterministically")
    started = time.perf_counter()
    numbered, keys = _numbered(records)
    stated = [] if known_links is None else [_by_number(known_links, keys)]
    deterministic = pl.concat([email_links(numbered), *stated]).with_columns(
        pl.lit(DETERMINISTIC_WEIGHT).alias("match_weight"),
        pl.lit(1.0).alias("match_probability"),
    )
    seconds["deterministic_links"] = time.perf_counter() - started

    progress("scoring candidate pairs with Splink")
    started = time.perf_counter()
    floor = min(
        threshold_match_probability,
        name_only_threshold,
        name_and_company_threshold,
        two_holders_threshold,
    )
    floor = min(CANDIDATE_PAIR_FLOOR, floor) if keep_near_misses else floor
    candidate_pairs = predict_links(mask_shared_identifiers(numbered), model_path, floor)
    probabilistic = pl.concat(
        [
            candidate_pairs.filter(
                pl.col("match_probability") >= threshold_match_probability
            ).select(
                pl.col("record_key_l"),
                pl.col("record_key_r"),
                pl.lit("splink").alias("rule"),
                "match_weight",
                "match_probability",
            ),
            name_and_company_links(
                numbered, candidate_pairs, name_and_company_threshold, threshold_match_probability
            ),
        ]
    )
    seconds["splink_predict"] = time.perf_counter() - started

    progress(f"clustering {deterministic.height + probabilistic.height:,} links")
    started = time.perf_counter()
    links = pl.concat([deterministic, probabilistic], how="diagonal").select(list(LINK_SCHEMA))
    guard_inputs = numbered.select(
        "record_key",
        "birth_date",
        "given_name",
        "last_name",
        "email_key",
        "alt_email_key",
        "crm_contact_id",
        "crm_not_duplicate_of",
        given_name_gender(numbered.get_column("first_name")).alias("given_name_gender"),
    )
    clustering = cluster_records(guard_inputs, links, max_personal_emails)
    reachable = own_contacts(numbered)
    # The only two reachable holders of a name join first: a profile showing just the name
    # is then the one customer's, where before the two it could have been either's.
    two_holders = two_holder_links(
        reachable, clustering.clusters, candidate_pairs, two_holders_threshold
    )
    clustering = recluster_with(guard_inputs, links, clustering, two_holders, max_personal_emails)
    links = pl.concat([links, two_holders.select(list(LINK_SCHEMA))])
    name_only = _name_only_links(
        reachable, clustering, candidate_pairs, name_only_threshold, two_holders_threshold
    )
    clustering = recluster_with(guard_inputs, links, clustering, name_only, max_personal_emails)
    links = pl.concat([links, name_only.select(list(LINK_SCHEMA))])
    if not keep_near_misses:
        candidate_pairs = candidate_pairs.filter(
            pl.col("match_probability") >= threshold_match_probability
        )
    ids = assign_customer_ids(
        _by_key(clustering.clusters, keys, "record_key", "cluster_key"), previous_map
    )
    seconds["clustering_and_ids"] = time.perf_counter() - started
    return IdentityResolution(
        records=records,
        links=_by_key(links, keys, *_PAIR),
        candidate_pairs=_by_key(candidate_pairs, keys, *_PAIR),
        refused_links=_by_key(clustering.refused_links, keys, *_PAIR),
        identity_map=ids.identity_map,
        history=ids.history,
        seconds=seconds,
    )


_PAIR = ("record_key_l", "record_key_r")


def _numbered(records: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series]:
    """``records`` with each record key replaced by its rank among the keys, and the keys
    in rank order (so ``keys[n]`` is record ``n``'s key).

    Linking and clustering join, sort and union on record keys dozens of times; on
    integers each of those runs several times faster than on text (at 1M records the
    passes after Splink went from 7 s to 4-5 s). Ranks keep the keys' order, so the smallest
    key of a customer, which names it, and every tie-break come out as they would on text.
    """
    order = records.get_column("record_key").arg_sort()
    rank = order.arg_sort().cast(pl.Int64).alias("record_key")
    return records.with_columns(rank), records.get_column("record_key").gather(order)


def _by_number(links: pl.DataFrame, keys: pl.Series) -> pl.DataFrame:
    """Stated links on record numbers; a key no record has is an error, not a lost link."""
    ends = pl.concat([links.get_column(end) for end in _PAIR])
    unknown = ends.filter(~ends.is_in(keys.implode()))
    if unknown.len():
        raise ValueError(
            f"a stated link names record {unknown[0]!r}, which is not among the records "
            f"({unknown.n_unique()} unknown record key(s) in {links.height} stated links)"
        )
    numbers = pl.int_range(keys.len(), dtype=pl.Int64, eager=True)
    return links.select(KNOWN_LINK_COLUMNS).with_columns(
        pl.col(end).replace_strict(keys, numbers) for end in _PAIR
    )


def _by_key(frame: pl.DataFrame, keys: pl.Series, *columns: str) -> pl.DataFrame:
    """``frame`` with record numbers in ``columns`` turned back into record keys."""
    return frame.with_columns(keys.gather(frame.get_column(c)).alias(c) for c in columns)


def _name_only_links(
    records: pl.DataFrame,
    clustering: Clustering,
    candidate_pairs: pl.DataFrame,
    name_only_threshold: float,
    two_holders_threshold: float,
) -> pl.DataFrame:
    """The second pass's links for customers known only by a name: the sole customer with
    the name where Splink agrees, else the sole customer the name can mean at all."""
    if name_only_threshold >= 1.0:
        return pl.DataFrame(schema=LINK_SCHEMA | dict.fromkeys(_PAIR, pl.Int64))
    sole = sole_name_links(
        records, clustering.clusters, candidate_pairs, name_only_threshold, two_holders_threshold
    )
    alike = alike_name_links(records, clustering.clusters, sole)
    return pl.concat([sole, alike])

"""A customer known only by a name joins the one other customer who carries that name.

A social profile that shows "Carl Salazar" and nothing else, or a ticket an agent logged
without an address, shares nothing with the customer but the name. Pairwise scoring stops
short of the match threshold however rare the name is, because a pair cannot see that
nobody else in the data carries it; across customers that is visible. So, after the first
clustering, a customer with no email address and no phone number of its own is linked to
another customer when

- exactly one customer with an address or phone holds a record with the same given name
  and last name, among those Splink rates at ``name_only_threshold`` or more against
  the profile (a holder Splink finds less likely than that, a namesake at another
  company or in another country, leaves the name unambiguous; two holders it finds
  plausible make it ambiguous and nothing links; other name-only customers with the
  name, often the same person on another platform, do not count against it), or
- for a profile showing only an initial ("Sarah M." at Franklin Media), exactly one such
  customer holds the same given name and initial at the same company, stated or named
  by a work address, and Splink rates their best pair at ``name_only_threshold`` or
  more: no blocking key brings the profile to every colleague the initial could mean, so
  a colleague Splink never scored still makes it ambiguous, or
- where no customer with an address or phone holds its full name, exactly one other
  customer does (a second profile of the same person on another platform, usually),
  neither has a postal address or birth date, and Splink rates a pair of theirs at
  ``peer_threshold`` or more (the pipeline passes ``two_holders_threshold``, 0.9: these
  are the only two holders of a name, as in ``_two_holders``, with nothing to compare).
  On generated data this raised recall by 0.1 points at 3,000 and 30,000 people,
  precision unchanged; at 0.5 it gained a little more. On a file of names, addresses and
  birth dates only, where nobody has an email address or phone, it joined namesakes at
  two addresses (precision 0.973 -> 0.937 at 3,000 people, seed 303; 0.987 -> 0.972 at
  30,000 at 0.9) until records with a postal address or birth date were kept out of it.

In every case the moving customer may name no company (stated, or by a work address) that
the holder does not name, unless the holder names none: "Donna Walker" at Ortiz Insurance
is not the one Donna Walker at Gibson Retail, however plausible Splink finds the name;
a company mistyped on one side ("Francous Labs") is still the same company.
At 30,000 people this raised precision 0.9963 -> 0.9964 and 0.9966 -> 0.9970 (seeds
101, 202) for 0.01 points of recall; at 3,000 people, one seed changed either way. A
ticket written from a role address (support@ at McLean Capital) still names its
company: counting it kept one more namesake apart at 30,000 people (seed 101).

A family's mailbox (``rollinsfamily@``) or a household landline is not a contact of its
own: it does not say which member wrote (``records`` come through ``own_contacts``).

The links go through the same guard as every other link, on the customers they touch.
A wrong one can only attach a profile or ticket without an address or phone to a
namesake: it never sends mail to the wrong person. Measured on unseen generated data
(``bench/bench_accuracy.py``), the rule raised pairwise recall from 0.80-0.81 to
0.89-0.91 at 3,000 people and from 0.77 to 0.84 at 30,000 when it was introduced
(threshold 0.8). The threshold trades one for the other; with the model and
standardisation of 2026-12-04, before the later passes for mailbox names and the only
two holders of a name (seeds 101/202/303 at 3,000 people, 101/202 at 30,000, seed 7 at
460,000 people, 1.1M records):

=================  ===========================  ===========================  ===============
threshold          3,000 people: P / R          30,000 people: P / R         460,000: P / R
=================  ===========================  ===========================  ===============
0.7                0.9970-0.9990 / 0.937-0.948  0.9978-0.9981 / 0.898-0.903  0.9975 / 0.833
0.6                0.9970-0.9990 / 0.938-0.948  0.9973 / 0.904-0.908        0.9972 / 0.836
0.5 (the default)  0.9970-0.9990 / 0.938-0.948  0.9969 / 0.908-0.911        0.9967 / 0.840
=================  ===========================  ===========================  ===============

0.5 is even odds on the pair's own evidence: Splink finds the two at least as likely one
person as two, and nobody else carries the name. It costs 0.1 point of precision at
scale for 0.7-0.9 points of recall, and precision stays above the 0.995 target. Letting
holders Splink rates below the threshold not count (the table is without it) added 0.1
point of recall at 30,000 people (precision -0.01) and 0.7 at 460,000 (0.840 -> 0.847,
precision 0.9967 -> 0.9962); nothing at 3,000.
"""

from __future__ import annotations

import polars as pl

from resolution.identity._alike_name import companies_named, names_every_stated_company
from resolution.identity._cluster import Clustering, cluster_records

SOLE_NAME_RULE = "sole_customer_with_name"
_CONTACT_COLUMNS = ("email_key", "alt_email_key", "phone")
_PLACING_COLUMNS = ("street", "postcode", "birth_date")
_SWAPPED = [
    pl.col("record_key_r").alias("record_key_l"),
    pl.col("record_key_l").alias("record_key_r"),
    "match_weight",
    "match_probability",
    pl.col("cluster_key_r").alias("cluster_key_l"),
    pl.col("cluster_key_l").alias("cluster_key_r"),
]


def sole_name_links(
    records: pl.DataFrame,
    clusters: pl.DataFrame,
    candidate_pairs: pl.DataFrame,
    name_only_threshold: float,
    peer_threshold: float,
) -> pl.DataFrame:
    """Links from each name-only customer's record to the sole holder of its name that
    Splink finds plausible (see the module's rules).

    ``records`` has record_key, given_name, last_name, company, employer, email_key,
    alt_email_key, phone, street, postcode and birth_date; ``clusters`` has record_key and
    cluster_key;
    ``candidate_pairs`` has record_key_l, record_key_r, match_weight and match_probability.
    Returns record_key_l (the name-only record), record_key_r, rule, match_weight and
    match_probability: the best pair each name-only record has with the holder, when it
    reaches ``name_only_threshold``, or ``peer_threshold`` where the holder is another
    customer without an address or phone.

    The work starts from the strong pairs of name-only records that cross two customers,
    which are few: a million records take under a second.
    """
    has_contact = pl.any_horizontal(pl.col(_CONTACT_COLUMNS).is_not_null())
    movers = _mover_keys(records.filter(~has_contact))
    keys = movers.get_column("record_key").implode()
    one_way = (
        candidate_pairs.filter(
            (pl.col("match_probability") >= name_only_threshold)
            & (pl.col("record_key_l").is_in(keys) | pl.col("record_key_r").is_in(keys))
        )
        .join(_clusters_of(clusters, "l"), on="record_key_l")
        .join(_clusters_of(clusters, "r"), on="record_key_r")
        .filter(pl.col("cluster_key_l") != pl.col("cluster_key_r"))
    )
    crossing = pl.concat([one_way, one_way.select(_SWAPPED)])
    movers = movers.join(
        crossing.select(pl.col("record_key_l").alias("record_key")), on="record_key", how="semi"
    )
    holders = (
        _holder_keys(records)
        .join(movers.select("name_key").unique(), on="name_key", how="semi")
        .join(clusters, on="record_key")
        .select("name_key", "cluster_key")
        .unique()
    )
    involved = pl.concat(
        [holders.select("cluster_key"), crossing.select(cluster_key="cluster_key_l")]
    ).unique()
    reachable = (
        clusters.join(involved, on="cluster_key", how="semi")
        .join(records.filter(has_contact).select("record_key"), on="record_key", how="semi")
        .select("cluster_key")
        .unique()
    )
    # Exactly one customer we can reach holds the name; other name-only customers holding
    # it (the same person's profile on another platform, usually) take nothing away.
    accepted = _accepted(crossing)
    sole_reachable = (
        movers.join(holders.join(reachable, on="cluster_key", how="semi"), on="name_key")
        .with_columns(pl.len().over("record_key").alias("holders"))
        .join(accepted, on=["record_key", "cluster_key"], how="semi")
        .filter(
            (pl.len().over("record_key") == 1)
            & (pl.col("name_key").str.starts_with("name:") | (pl.col("holders") == 1))
        )
        .select("record_key", "cluster_key")
    )
    sole_holder = pl.concat(
        [
            sole_reachable,
            _sole_peer(movers, holders, reachable, clusters, records).join(
                _accepted(crossing.filter(pl.col("match_probability") >= peer_threshold)),
                on=["record_key", "cluster_key"],
                how="semi",
            ),
        ]
    ).select(pl.col("record_key").alias("record_key_l"), pl.col("cluster_key").alias("holder"))
    sole_holder = _company_agrees(sole_holder, records, clusters)
    return (
        crossing.join(reachable, left_on="cluster_key_l", right_on="cluster_key", how="anti")
        .join(sole_holder, on="record_key_l")
        .filter(pl.col("cluster_key_r") == pl.col("holder"))
        .sort(["match_weight", "record_key_l", "record_key_r"], descending=[True, False, False])
        .unique("record_key_l", keep="first")
        .select(
            "record_key_l",
            "record_key_r",
            pl.lit(SOLE_NAME_RULE).alias("rule"),
            "match_weight",
            "match_probability",
        )
        .sort("record_key_l")
    )


def _company_agrees(
    sole_holder: pl.DataFrame, records: pl.DataFrame, clusters: pl.DataFrame
) -> pl.DataFrame:
    """The links whose moving customer names no company the holder does not name."""
    own = clusters.join(
        sole_holder.select(pl.col("record_key_l").alias("record_key")), on="record_key", how="semi"
    ).select(pl.col("record_key").alias("record_key_l"), pl.col("cluster_key").alias("own"))
    ends = pl.concat([own.get_column("own"), sole_holder.get_column("holder")]).unique()
    held = clusters.filter(pl.col("cluster_key").is_in(ends.implode())).join(
        records.select("record_key", "company", "employer"), on="record_key"
    )
    named = companies_named(held, ends.to_frame("holder"))
    pairs = (
        sole_holder.join(own, on="record_key_l")
        .join(named.rename({"holder": "own", "named": "stated"}), on="own", how="left")
        .join(named, on="holder", how="left")
    )
    return pairs.filter(names_every_stated_company(pairs)).select("record_key_l", "holder")


def _accepted(crossing: pl.DataFrame) -> pl.DataFrame:
    return crossing.select(
        pl.col("record_key_l").alias("record_key"), pl.col("cluster_key_r").alias("cluster_key")
    ).unique()


def _sole_peer(
    movers: pl.DataFrame,
    holders: pl.DataFrame,
    reachable: pl.DataFrame,
    clusters: pl.DataFrame,
    records: pl.DataFrame,
) -> pl.DataFrame:
    """For a full name no customer with an address or phone holds: the one other customer
    that holds it (the same person's profile on a second platform, usually). A third
    holder makes it unclear which two are one person, so nothing joins; so does a postal
    address or birth date on either side, which says the two are more than profiles (in
    a file of names and addresses only, nobody has an email address or phone, and
    namesakes at two addresses would join)."""
    own = clusters.select("record_key", pl.col("cluster_key").alias("own"))
    pairs = (
        movers.filter(pl.col("name_key").str.starts_with("name:"))
        .join(holders.join(reachable, on="cluster_key", how="semi"), on="name_key", how="anti")
        .join(own, on="record_key")
        .join(holders, on="name_key")
        .filter(pl.col("cluster_key") != pl.col("own"))
        .filter(pl.len().over("record_key") == 1)
        .filter(pl.col("cluster_key") > pl.col("own"))  # the pair joins once, not twice
    )
    ends = pl.concat([pairs.get_column("own"), pairs.get_column("cluster_key")]).implode()
    placed = (
        clusters.filter(pl.col("cluster_key").is_in(ends))
        .join(records.select("record_key", *_PLACING_COLUMNS), on="record_key")
        .filter(pl.any_horizontal(pl.col(_PLACING_COLUMNS).is_not_null()))
        .get_column("cluster_key")
        .implode()
    )
    return pairs.filter(~pl.col("own").is_in(placed) & ~pl.col("cluster_key").is_in(placed)).select(
        "record_key", "cluster_key"
    )


def _mover_keys(name_only: pl.DataFrame) -> pl.DataFrame:
    """The name each name-only record goes by: the full name, or, where the last name is
    only an initial ("Sarah M."), the initial with the company the record states."""
    full = pl.col("last_name").str.len_chars() > 1
    key = (
        pl.when(full)
        .then(_full_name_key())
        .when(pl.col("company").is_not_null())
        .then(_initial_key("company"))
    )
    return (
        name_only.filter(pl.col("given_name").is_not_null() & pl.col("last_name").is_not_null())
        .select("record_key", key.alias("name_key"))
        .drop_nulls("name_key")
    )


def _holder_keys(records: pl.DataFrame) -> pl.DataFrame:
    """Every name a record could answer to: its full name, and its initial with each
    company it names (stated, or its work address's employer)."""
    named = records.filter(pl.col("given_name").is_not_null() & pl.col("last_name").is_not_null())
    keys = [_full_name_key(), _initial_key("company"), _initial_key("employer")]
    return pl.concat(
        [named.select("record_key", key.alias("name_key")) for key in keys]
    ).drop_nulls("name_key")


def _full_name_key() -> pl.Expr:
    return pl.when(pl.col("last_name").str.len_chars() > 1).then(
        pl.concat_str(pl.lit("name:"), "given_name", pl.lit(" "), "last_name")
    )


def _initial_key(company: str) -> pl.Expr:
    return pl.concat_str(
        pl.lit("initial:"),
        "given_name",
        pl.lit(" "),
        pl.col("last_name").str.slice(0, 1),
        pl.lit(" at "),
        company,
    )


def _clusters_of(clusters: pl.DataFrame, side: str) -> pl.DataFrame:
    return clusters.select(
        pl.col("record_key").alias(f"record_key_{side}"),
        pl.col("cluster_key").alias(f"cluster_key_{side}"),
    )


def recluster_with(
    guard_inputs: pl.DataFrame,
    links: pl.DataFrame,
    clustering: Clustering,
    extra: pl.DataFrame,
    max_personal_emails: int,
) -> Clustering:
    """``clustering`` with ``extra`` links added, re-clustering only the customers they touch.

    Customers are closed under ``links``, so the records of the touched customers, their
    links and the extra ones are all the second pass needs; every other customer stands.
    """
    if extra.is_empty():
        return clustering
    ends = pl.concat([extra.get_column("record_key_l"), extra.get_column("record_key_r")])
    clusters = clustering.clusters
    touched = (
        clusters.filter(
            pl.col("cluster_key").is_in(
                clusters.filter(pl.col("record_key").is_in(ends.implode()))
                .get_column("cluster_key")
                .implode()
            )
        )
        .get_column("record_key")
        .implode()
    )
    inside = pl.col("record_key_l").is_in(touched) & pl.col("record_key_r").is_in(touched)
    again = cluster_records(
        guard_inputs.filter(pl.col("record_key").is_in(touched)),
        pl.concat([links.filter(inside), extra], how="diagonal_relaxed").select(links.columns),
        max_personal_emails,
    )
    return Clustering(
        clusters=pl.concat([clusters.filter(~pl.col("record_key").is_in(touched)), again.clusters]),
        refused_links=pl.concat([clustering.refused_links, again.refused_links]).unique(
            ["record_key_l", "record_key_r"], keep="first", maintain_order=True
        ),
    )

"""A profile showing "Lydia K." or a misspelt name joins the one customer it can mean.

The sole-name rule (``_sole_name``) asks Splink about the pair, and Splink never sees most
of these pairs: a social profile showing "Lydia K." or "Ekaterina Rihel" and nothing else
shares no blocking key with its owner's records. Across the whole data the answer can still
be plain, so a customer with no email address and no phone of its own joins another customer when

- its given name and last-name initial ("lydia k") lead to one last name up to a typo:
  every record in the data with that given name and a last name with that initial (either
  way round, as sources swap them) spells it the same or one edit apart (khan, kahn), so
  nobody else could be "Lydia K."; a second Lydia with a K name makes it ambiguous and it
  links nothing. A full name that is rare as it reads ("Mann Josephine") may instead lead
  to the one customer holding it the other way round, however crowded its initial, and a
  full name no reachable customer holds, to the one holding its last name with a given
  name one slip apart, where either given name is on no list ("Urth Owens": Ruth Owens).
  The slip raised recall by 0-0.12 points at 3,000 people (seeds 101-606) and 0.02-0.04
  at 30,000, precision unchanged but for -0.0001 on one 30,000 seed;
- exactly one customer with an email address or phone holds that name, either way round
  (a CRM that stored "Reed Mary" holds Mary Reed's name);
- every record of the moving customer leads to that same customer, and any company the
  moving customer states is one that customer names too (stated, or by a work address),
  up to a slip of the keyboard ("francous labs"), unless it names none.

Its links carry no Splink score: their weight is 0 (even odds on the pair's own evidence),
so they are clustered last, pass the same guard as every other link and head the quality
report's weakest-link list. Measured on unseen generated data (``bench/bench_accuracy.py``
seeds 101/202/303 at 3,000 people), the rule raised pairwise recall from 0.914 / 0.901 /
0.911 to 0.932 / 0.924 / 0.926 with precision unchanged to the third decimal; at 30,000
people (seed 101) from 0.857 to 0.864, precision 0.9984 -> 0.9981. Holders read either
way round added about 0.002 more at 3,000 people, at the cost of one wrong link in seed
202 (precision 0.9991 -> 0.9985): "Kenneth B." whose only other record is a nameless
email address, joined to the one Kenneth Brown. As data grows, more names are ambiguous
and the rule links less, not worse.
"""

from __future__ import annotations

from itertools import combinations

import polars as pl
from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import cpdist

from resolution.identity._cluster import one_slip_apart
from resolution.identity._name_rarity import with_rare_names
from resolution.normalise import is_known_given_name

ALIKE_NAME_RULE = "sole_customer_with_alike_name"
_CONTACT_COLUMNS = ("email_key", "alt_email_key", "phone")
_MOST_SPELLINGS = 4
"""More spellings than this under one given name and initial are several people."""


def alike_name_links(
    records: pl.DataFrame, clusters: pl.DataFrame, moved: pl.DataFrame
) -> pl.DataFrame:
    """Links from name-only customers to the one reachable customer their name can mean.

    ``records`` has record_key, given_name, last_name, company, employer, email_key,
    alt_email_key and phone; ``clusters`` has record_key and cluster_key; ``moved`` has
    record_key_l, the records other rules already move (their customers are left alone).
    Returns record_key_l (a record of the moving customer), record_key_r (one of the
    holder's records with the name), rule, match_weight (0) and match_probability (null),
    one link per moving customer.
    """
    members = records.select(
        "record_key",
        "given_name",
        "last_name",
        "company",
        "employer",
        pl.any_horizontal(pl.col(_CONTACT_COLUMNS).is_not_null()).alias("reachable"),
    ).join(clusters, on="record_key")
    members = members.with_columns(pl.col("reachable").any().over("cluster_key"))
    named = members.filter(
        pl.col("given_name").is_not_null() & pl.col("last_name").is_not_null()
    ).with_columns(_key("given_name", "last_name"))
    already = members.join(
        moved.select(pl.col("record_key_l").alias("record_key")), on="record_key", how="semi"
    ).select("cluster_key")
    movers = named.filter(~pl.col("reachable")).join(already, on="cluster_key", how="anti")
    holders = _sole_holders(named, movers.select("key").unique())
    full = named.filter(pl.col("last_name").str.len_chars() > 1)
    held = full.filter("reachable").select(*_FULL_NAME, "cluster_key", "record_key")
    wanted = movers.filter(pl.col("last_name").str.len_chars() > 1).select(_FULL_NAME).unique()
    leads = (
        movers.join(holders, on="key", how="left")
        .join(_sole_full_name_holders(held, wanted, full), on=_FULL_NAME, how="left")
        .join(_sole_misspelt_name_holders(held, wanted), on=_FULL_NAME, how="left")
        .with_columns(
            pl.coalesce("holder", "full_name_holder", "misspelt_holder").alias("holder"),
            pl.coalesce("target", "full_name_target", "misspelt_target").alias("target"),
        )
    )
    led = (
        leads.group_by("cluster_key")
        .agg(
            pl.col("holder").drop_nulls().n_unique().alias("holders"),
            pl.col("holder").drop_nulls().first(),
            pl.col("company").drop_nulls().unique().alias("stated"),
        )
        .filter(pl.col("holders") == 1)
    )
    led = led.join(companies_named(members, led), on="holder", how="left")
    agreeing = led.filter(names_every_stated_company(led))
    return (
        leads.join(agreeing.select("cluster_key", "holder"), on=["cluster_key", "holder"])
        .sort("record_key")
        .unique("cluster_key", keep="first")
        .select(
            pl.col("record_key").alias("record_key_l"),
            pl.col("target").alias("record_key_r"),
            pl.lit(ALIKE_NAME_RULE).alias("rule"),
            pl.lit(0.0).alias("match_weight"),
            pl.lit(None, pl.Float64).alias("match_probability"),
        )
        .sort("record_key_l")
    )


def _key(given: str, last: str) -> pl.Expr:
    """ "lydia k": the given name and the last name's initial, the most a profile may show."""
    return pl.concat_str(pl.col(given), pl.lit(" "), pl.col(last).str.slice(0, 1)).alias("key")


def _sole_holders(named: pl.DataFrame, keys: pl.DataFrame) -> pl.DataFrame:
    """key -> holder (the one reachable customer with a full last name under it) and target
    (its first such record), for the ``keys`` that name one person (``_one_name``)."""
    # Each full name read both ways round: sources swap given and last names ("Reed Mary").
    readings = pl.concat(
        [
            named.filter(pl.col("last_name").str.len_chars() > 1).with_columns(
                spelling="last_name"
            ),
            named.filter(pl.col("given_name").str.len_chars() > 1).with_columns(
                _key("last_name", "given_name"), spelling="given_name"
            ),
        ]
    ).join(keys, on="key", how="semi")
    spellings = (
        readings.select("key", "spelling")
        .unique()
        .group_by("key")
        .agg("spelling")
        .filter(pl.col("spelling").list.len() <= _MOST_SPELLINGS)
    )
    one_name = spellings.filter(
        pl.Series(
            [_one_name(names) for names in spellings.get_column("spelling").to_list()],
            dtype=pl.Boolean,
        )
    )
    reachable = readings.filter("reachable").join(one_name, on="key", how="semi")
    return _one_holder(reachable, ["key"], "holder", "target")


_FULL_NAME = ["given_name", "last_name"]


def _sole_full_name_holders(
    held: pl.DataFrame, wanted: pl.DataFrame, full: pl.DataFrame
) -> pl.DataFrame:
    """given_name, last_name of ``wanted`` -> full_name_holder and full_name_target: the one
    customer of ``held`` (reachable records' full names) holding that full name either way
    round, where the name as it reads is rare in ``full`` (``with_rare_names``).

    The initial's test above stops at a crowded initial: "Mann Josephine" shares "mann j"
    with Jennifer Mann read backwards, yet only Josephine Mann can be her. A name that
    also reads as a common name in its own order ("Thomas James") could be someone else's:
    at 30,000 people (seeds 101/202/303), taking such names whatever their rarity lowered
    precision by 0.0003-0.0008; rare ones only left it as it was (-0.0001 on one seed) and
    raised recall by 0.06-0.09 points (0-0.06 at 3,000 people).
    """
    backwards = {"given_name": "last_name", "last_name": "given_name"}
    either_way = pl.concat(
        [
            held.join(wanted, on=_FULL_NAME, how="semi"),
            held.join(wanted.rename(backwards), on=_FULL_NAME, how="semi")
            .rename(backwards)
            .select(held.columns),
        ]
    )
    holders = _one_holder(either_way, _FULL_NAME, "full_name_holder", "full_name_target")
    return with_rare_names(holders, full)


def _sole_misspelt_name_holders(held: pl.DataFrame, wanted: pl.DataFrame) -> pl.DataFrame:
    """given_name, last_name of ``wanted`` that no customer of ``held`` holds ->
    misspelt_holder and misspelt_target: the one customer with that last name and a given
    name one slip apart, however short, where one of the two given names is on no list of
    names ("urth" for ruth, "jessiva" for jessica, "aym" for amy): a typo, not two people's
    names (the guard's ``names_compatible`` reads such a pair the same way)."""
    wanted = wanted.join(held, on=_FULL_NAME, how="anti").with_columns(
        is_known_given_name(pl.col("given_name")).alias("known")
    )
    held = (
        held.join(wanted.select("last_name").unique(), on="last_name", how="semi")
        .rename({"given_name": "held_given"})
        .with_columns(is_known_given_name(pl.col("held_given")).alias("held_known"))
    )
    given, other = pl.col("given_name"), pl.col("held_given")
    pairs = (
        pl.concat(
            [
                wanted.filter(~pl.col("known")).join(held, on="last_name"),
                wanted.filter("known").join(held.filter(~pl.col("held_known")), on="last_name"),
            ]
        )
        # A slip leaves the first letter or the last as it was, in names of three letters
        # or more.
        .filter((given.str.head(1) == other.str.head(1)) | (given.str.tail(1) == other.str.tail(1)))
    )
    slips = pl.Series(
        cpdist(
            pairs.get_column("given_name").to_list(),
            pairs.get_column("held_given").to_list(),
            scorer=DamerauLevenshtein.distance,
        )
        <= 1,
        dtype=pl.Boolean,
    )
    return _one_holder(pairs.filter(slips), _FULL_NAME, "misspelt_holder", "misspelt_target")


def _one_holder(readings: pl.DataFrame, by: list[str], holder: str, target: str) -> pl.DataFrame:
    """``by`` -> ``holder`` (the one customer among ``readings`` under it) and ``target``
    (its first record), for the groups only one customer holds."""
    return (
        readings.group_by(by)
        .agg(
            pl.col("cluster_key").n_unique().alias("holders"),
            pl.col("cluster_key").first().alias(holder),
            pl.col("record_key").min().alias(target),
        )
        .filter(pl.col("holders") == 1)
        .drop("holders")
    )


def _one_name(spellings: list[str]) -> bool:
    """Every two spellings are the same name, or one typo apart (a swap counts as one)."""
    return all(one_slip_apart(a, b) for a, b in combinations(spellings, 2))


def companies_named(members: pl.DataFrame, holders: pl.DataFrame) -> pl.DataFrame:
    """holder -> named: the companies the holder's records state or work addresses name."""
    return (
        members.join(holders.select(cluster_key="holder"), on="cluster_key", how="semi")
        .select(pl.col("cluster_key").alias("holder"), pl.concat_list("company", "employer"))
        .explode("company")
        .drop_nulls("company")
        .group_by("holder")
        .agg(pl.col("company").unique().alias("named"))
    )


def names_every_stated_company(frame: pl.DataFrame) -> pl.Series:
    """Per row of ``frame``: the holder names (``named``) every company the moving customer
    states (``stated``), up to a slip of the keyboard ("francous labs"), or names none."""
    rows = frame.select("stated", "named").with_row_index("row")
    pairs = (
        rows.drop_nulls("named")
        .explode("stated")
        .drop_nulls("stated")
        .explode("named")
        .filter(pl.col("named").is_not_null())
    )
    slipped = pairs.filter(pl.col("stated") != pl.col("named"))
    slips = pl.Series(
        [one_slip_apart(a, b) for a, b in slipped.select("stated", "named").iter_rows()],
        dtype=pl.Boolean,
    )
    matched = pl.concat(
        [pairs.filter(pl.col("stated") == pl.col("named")), slipped.filter(slips)]
    ).select("row", "stated")
    unmatched = (
        pairs.select("row", "stated").unique().join(matched, on=["row", "stated"], how="anti")
    )
    return ~rows.get_column("row").is_in(unmatched.get_column("row").implode())

"""Two customers who alone carry a full name are one person, unless what they hold differs.

A person who gave a work address to the CRM and a personal one to the newsletter becomes
two customers that share nothing but the name. Splink rates such a pair on its own
evidence, well short of the match threshold: it cannot see that nobody else in the data
carries the name, and namesakes who differ only in their addresses look the same to it.
Across customers that is visible, and so is what tells namesakes apart. Two customers link
here when

- they are the only customers with an email address or phone of their own (not a
  family's mailbox or landline: ``own_contacts``) holding a record with that given name
  and full last name. A profile showing the name and nothing else does not count against
  them: it is as often one of theirs as a third person's (``_sole_name`` joins it once
  the two are one). Counting such profiles as holders kept 5 of the 10 pairs Splink
  rated 0.9 or more apart at 3,000 people (seed 303); not counting them raised recall by
  0-0.51 points at 3,000 people (seeds 101-606), 0.07 / 0.11 at 30,000, and left 460,000
  as it was; precision moved 0 to -0.0004, except seed 404 at 3,000 people (-0.0022, two
  namesake pairs with a profile beside them);
- nothing they hold conflicts: where both hold birth dates, phones, companies (stated,
  or named by a work address), countries (stated, or a phone's calling code) or personal
  addresses (at a consumer provider), they share at least one of each. A second
  employer, phone, country or personal address is what a namesake looks like: the
  person this rule is for has one work address and one personal one; and
- Splink rates their best pair at ``threshold`` or more, or, for a name so rare that
  the data would hold it twice by chance in fewer than one case in 33
  (``RARE_NAME_EXPECTED``: given-name count times last-name count over the named
  records), at even odds or more. Splink scores the pair on its own evidence and cannot
  see that nobody else carries the name, however rare; below 30,000 people it also
  judges rarity by the training sample's name counts. At 3,000 people this raised recall
  by 0.05-0.19 points (seeds 101-606), precision -0.0004 and -0.0001 on two seeds (a
  namesake Matthew Brewer at 0.70); at 30,000 and 460,000 people nothing changed: there
  such names' pairs already reach 0.9. An expected count of 0.05 added 0.01-0.03 points
  at 30,000 people for -0.0001 of precision, 0.08 added 0.06-0.10 for -0.0002 to -0.0005.

Like every other link, the pair passes the guard on the customers it touches. As data
grows more names have a third holder and the rule links less, not worse.
"""

from __future__ import annotations

import phonenumbers
import polars as pl

from resolution.identity._name_rarity import with_rare_names
from resolution.normalise import is_freemail_domain

TWO_HOLDERS_RULE = "only_two_customers_with_name"
RARE_NAME_RULE = "only_two_customers_with_rare_name"
"""The rule of a link that needed the name's rarity: Splink rated it below ``threshold``."""
RARE_NAME_FLOOR = 0.5
"""Even odds on the pair's own evidence: what a rare name's only two holders need."""
_CONTACT_COLUMNS = ("email_key", "alt_email_key", "phone")


def two_holder_links(
    records: pl.DataFrame,
    clusters: pl.DataFrame,
    candidate_pairs: pl.DataFrame,
    threshold: float,
) -> pl.DataFrame:
    """The best pair between each two customers that alone hold a name (see the module).

    ``records`` has record_key, given_name, last_name, email_key, alt_email_key, phone,
    birth_date, company, employer and country; ``clusters`` has record_key and
    cluster_key; ``candidate_pairs`` has record_key_l, record_key_r, match_weight and
    match_probability. Returns record_key_l, record_key_r, rule, match_weight and
    match_probability.
    """
    named = records.filter(
        pl.col("given_name").is_not_null() & (pl.col("last_name").str.len_chars() > 1)
    ).with_columns(pl.concat_str("given_name", pl.lit(" "), "last_name").alias("name"))
    names = named.select("record_key", "name")
    scored = pl.concat(
        [
            _pairs_between_customers(candidate_pairs, clusters, threshold),
            _rare_name_pairs(candidate_pairs, clusters, named, threshold),
        ]
    )
    touched = pl.concat([scored["cluster_key_l"], scored["cluster_key_r"]]).unique().implode()
    # Only names a scored pair's customers hold can qualify, and they are few: counting
    # holders for those alone keeps this near a second at a million records.
    in_touched = clusters.filter(pl.col("cluster_key").is_in(touched)).select("record_key")
    wanted = names.join(in_touched, on="record_key", how="semi").select("name").unique()
    holding = (
        names.join(wanted, on="name", how="semi")
        .join(clusters, on="record_key")
        .select("name", "cluster_key")
        .drop_nulls()
        .unique()
    )
    sole_pairs = (
        holding.join(_reachable(holding, clusters, records), on="cluster_key", how="semi")
        .group_by("name")
        .agg(pl.col("cluster_key").sort())
        .filter(pl.col("cluster_key").list.len() == 2)
        .select(
            pl.col("cluster_key").list.first().alias("cluster_key_l"),
            pl.col("cluster_key").list.last().alias("cluster_key_r"),
        )
        .unique()
        .join(
            scored.select("cluster_key_l", "cluster_key_r").unique(),
            on=["cluster_key_l", "cluster_key_r"],
        )
    )
    involved = pl.concat([sole_pairs["cluster_key_l"], sole_pairs["cluster_key_r"]]).implode()
    traits = _traits(
        clusters.filter(pl.col("cluster_key").is_in(involved)).join(records, on="record_key")
    )
    agreeing = (
        sole_pairs.join(traits, left_on="cluster_key_l", right_on="cluster_key")
        .join(traits, left_on="cluster_key_r", right_on="cluster_key", suffix="_r")
        .filter(pl.col("has_contact") & pl.col("has_contact_r") & ~_any_conflict())
        .select("cluster_key_l", "cluster_key_r")
    )
    return (
        scored.join(agreeing, on=["cluster_key_l", "cluster_key_r"])
        .sort(["match_weight", "record_key_l", "record_key_r"], descending=[True, False, False])
        .unique(["cluster_key_l", "cluster_key_r"], keep="first")
        .select(
            "record_key_l",
            "record_key_r",
            pl.when(pl.col("match_probability") >= threshold)
            .then(pl.lit(TWO_HOLDERS_RULE))
            .otherwise(pl.lit(RARE_NAME_RULE))
            .alias("rule"),
            "match_weight",
            "match_probability",
        )
        .sort("record_key_l", "record_key_r")
    )


def _rare_name_pairs(
    candidate_pairs: pl.DataFrame, clusters: pl.DataFrame, named: pl.DataFrame, threshold: float
) -> pl.DataFrame:
    """Pairs between customers from ``RARE_NAME_FLOOR`` up to ``threshold`` whose records
    carry one full name that is rare in the ``named`` records (``with_rare_names``). None at
    a threshold of 1.0, which turns the rule off."""
    if threshold >= 1.0:
        return _pairs_between_customers(candidate_pairs.clear(), clusters, threshold)
    weak = candidate_pairs.filter(
        pl.col("match_probability").is_between(RARE_NAME_FLOOR, threshold, closed="left")
    )
    name_of = named.select("record_key", "name", "given_name", "last_name")
    shared = with_rare_names(
        weak.join(name_of.rename({"record_key": "record_key_l"}), on="record_key_l")
        .join(name_of.select(record_key_r="record_key", name_r="name"), on="record_key_r")
        .filter(pl.col("name") == pl.col("name_r")),
        named,
    ).select(candidate_pairs.columns)
    return _pairs_between_customers(shared, clusters, RARE_NAME_FLOOR)


def _reachable(
    holding: pl.DataFrame, clusters: pl.DataFrame, records: pl.DataFrame
) -> pl.DataFrame:
    """The customers in ``holding`` with an email address or phone of their own."""
    held = clusters.filter(pl.col("cluster_key").is_in(holding.get_column("cluster_key").implode()))
    with_contact = records.filter(pl.any_horizontal(pl.col(_CONTACT_COLUMNS).is_not_null()))
    return (
        held.join(with_contact.select("record_key"), on="record_key", how="semi")
        .select("cluster_key")
        .unique()
    )


_TRAITS = ("birth_dates", "phones", "companies", "countries", "personal_emails")


def _traits(held: pl.DataFrame) -> pl.DataFrame:
    """What each customer holds that a namesake would hold differently. Countries are
    compared by calling code, so a stated country and a phone's can meet."""
    return (
        held.with_columns(
            pl.concat_list(
                _country_calling_code(held.get_column("country")), _phone_calling_code()
            ).alias("calling_code")
        )
        .group_by("cluster_key")
        .agg(
            pl.any_horizontal(pl.col(_CONTACT_COLUMNS).is_not_null()).any().alias("has_contact"),
            pl.col("birth_date").drop_nulls().unique().alias("birth_dates"),
            pl.col("phone").drop_nulls().unique().alias("phones"),
            pl.concat_list("company", "employer")
            .explode()
            .drop_nulls()
            .unique()
            .alias("companies"),
            pl.col("calling_code").explode().drop_nulls().unique().alias("countries"),
            _personal_emails(),
        )
    )


def _personal_emails() -> pl.Expr:
    addresses = pl.concat_list("email_key", "alt_email_key").explode().drop_nulls()
    domains = addresses.str.extract(r"@(.+)$")
    return addresses.filter(is_freemail_domain(domains)).unique().alias("personal_emails")


def _country_calling_code(countries: pl.Series) -> pl.Expr:
    """A stated country's calling code (US 1, GB and Guernsey 44); null where unknown."""
    codes = {
        country: phonenumbers.country_code_for_region(country) or None
        for country in countries.drop_nulls().unique()
    }
    return pl.col("country").replace_strict(codes, default=None, return_dtype=pl.Int64)


_CALLING_CODES = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)


def _phone_calling_code() -> pl.Expr:
    """An E.164 number's calling code: the one prefix of one to three digits that is a code.

    Calling codes are prefix-free, so at most one prefix matches. Read this way in polars,
    not by parsing each number with phonenumbers (0.3 s at a million records).
    """
    prefixes = (
        pl.col("phone").str.slice(1, width).cast(pl.Int64, strict=False) for width in (1, 2, 3)
    )
    return pl.coalesce(pl.when(prefix.is_in(_CALLING_CODES)).then(prefix) for prefix in prefixes)


def _any_conflict() -> pl.Expr:
    return pl.any_horizontal(
        (pl.col(trait).list.len() > 0)
        & (pl.col(f"{trait}_r").list.len() > 0)
        & (pl.col(trait).list.set_intersection(pl.col(f"{trait}_r")).list.len() == 0)
        for trait in _TRAITS
    )


def _pairs_between_customers(
    candidate_pairs: pl.DataFrame, clusters: pl.DataFrame, threshold: float
) -> pl.DataFrame:
    """Scored pairs at ``threshold`` or more, each with its two customers in sorted order."""
    ends = clusters.select("record_key", "cluster_key")
    scored = (
        candidate_pairs.filter(pl.col("match_probability") >= threshold)
        .join(ends.rename({"record_key": "record_key_l", "cluster_key": "a"}), on="record_key_l")
        .join(ends.rename({"record_key": "record_key_r", "cluster_key": "b"}), on="record_key_r")
        .filter(pl.col("a") != pl.col("b"))
    )
    return scored.with_columns(
        pl.min_horizontal("a", "b").alias("cluster_key_l"),
        pl.max_horizontal("a", "b").alias("cluster_key_r"),
    )

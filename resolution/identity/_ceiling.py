"""How much recall the data allows: records that only a name could place, and cannot.

A social profile showing "Mark J." and nothing else, or "John Smith" where two John Smiths
are customers, carries no evidence that says whose it is; a resolver that links it guesses,
and its guesses are the namesake merges precision pays for. Counting the true pairs such
records take part in gives a ceiling on pairwise recall for any resolver that does not
guess, so a recall figure can be read against what the data allows, not against 1.0.

The ceiling is generous: a record counts as placeable when anything beyond a name is
present (email, phone, birth date, address: whether a resolver then places it correctly
is what recall measures), or when one of the names it goes by (full name, full name at
its company, given name and initial at its company, given name and initial, a handle
with two digits) is carried by exactly one true person and by another record of that person.
"""

from __future__ import annotations

import polars as pl

_BEYOND_A_NAME = ("email_key", "alt_email_key", "phone", "birth_date", "postcode", "street")


def name_evidence_recall_ceiling(records: pl.DataFrame, truth: pl.DataFrame) -> float:
    """The highest pairwise recall reachable without guessing between namesakes.

    ``records`` are standardised identity records (record_key, given_name, last_name,
    company, employer, social_handle and the contact fields); ``truth`` has record_key and
    person_id. Only records present in both count, as in ``score_identity_map``.
    """
    people = records.join(truth.select("record_key", "person_id"), on="record_key")
    names = (
        pl.concat([people.select("record_key", "person_id", key.alias("name")) for key in _names()])
        .drop_nulls("name")
        .unique()
    )
    carried = names.group_by("name").agg(
        pl.col("person_id").n_unique().alias("people"), pl.len().alias("records")
    )
    # The record itself is one carrier: a second record of the sole person must hold it.
    telling = carried.filter((pl.col("people") == 1) & (pl.col("records") > 1))
    by_name_only = people.filter(
        ~pl.any_horizontal(pl.col(_BEYOND_A_NAME).is_not_null()) & _named()
    )
    unplaceable = by_name_only.join(
        names.join(telling, on="name", how="semi"), on="record_key", how="anti"
    ).select("record_key", pl.lit(True).alias("unplaceable"))
    counts = (
        people.join(unplaceable, on="record_key", how="left")
        .group_by("person_id")
        .agg(pl.len().alias("n"), pl.col("unplaceable").fill_null(False).sum().alias("u"))
    )
    pairs = (counts["n"] * (counts["n"] - 1) // 2).sum()
    reachable = ((counts["n"] - counts["u"]) * (counts["n"] - counts["u"] - 1) // 2).sum()
    return float(reachable / pairs) if pairs else 1.0


def _named() -> pl.Expr:
    return pl.col("given_name").is_not_null() | pl.col("last_name").is_not_null()


def _names() -> list[pl.Expr]:
    """The names a record goes by; its company is the stated one or its address's employer."""
    full_name = pl.concat_str("given_name", pl.lit(" "), "last_name")
    full = pl.when(pl.col("last_name").str.len_chars() > 1).then(full_name)
    initial = pl.concat_str("given_name", pl.lit(" "), pl.col("last_name").str.slice(0, 1))
    handle = pl.col("social_handle")
    return [
        pl.concat_str(pl.lit("full:"), full),
        pl.concat_str(pl.lit("initial:"), initial),
        pl.when(handle.str.contains("[0-9]{2}")).then(pl.concat_str(pl.lit("handle:"), handle)),
        *(
            pl.concat_str(pl.lit(prefix), name, pl.lit(" at "), company)
            for prefix, name in (("full:", full), ("initial:", initial))
            for company in ("company", "employer")
        ),
    ]

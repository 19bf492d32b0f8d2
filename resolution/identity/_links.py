"""Deterministic links, and the shared identifiers that must never link people on their own.

An email address or phone number is *shared* when the records carrying it name people who
cannot be one person: a family's joint mailbox, a household landline, a company switchboard,
twins. Names are compared as given name and last name, either way round (sources swap
them), with Jaro-Winkler so a typo does not make an address look shared. An address whose
mailbox names a household (``smithfamily@``, ``thesmiths@``) is shared too, even where only
one of the family used it here: it says which family wrote, not who. A shared
identifier links only records that also share a given name, and is hidden from Splink, so
it never adds evidence between two different people.
"""

from __future__ import annotations

import duckdb
import polars as pl

from resolution.normalise import is_known_given_name

SAME_NAME_SIMILARITY = 0.88
DETERMINISTIC_WEIGHT = float("inf")

ALIKE_MACRO = """
CREATE OR REPLACE TEMP MACRO alike(a, b) AS
    a = b OR jaro_winkler_similarity(a, b) >= $similarity
    OR ((length(a) = 1 OR length(b) = 1) AND left(a, 1) = left(b, 1))
    OR (least(length(a), length(b)) >= 2 AND (starts_with(a, b) OR starts_with(b, a)))
"""
"""Two name parts are alike when close, when one is the other's initial ("c" for carroll),
or when one is the start of the other (a name cut short: "sa" for samantha)."""

_SHARED_KEYS_SQL = """
WITH name_pairs AS (
    SELECT a.identifier,
           a.given_name AS ga, a.last_name AS la, b.given_name AS gb, b.last_name AS lb,
           alike(a.given_name, b.given_name)
               OR (NOT (a.known AND b.known)
                   AND damerau_levenshtein(a.given_name, b.given_name) <= 1) AS given_given,
           alike(a.last_name, b.last_name) AS last_last,
           alike(a.given_name, b.last_name) AS given_last,
           alike(a.last_name, b.given_name) AS last_given
    FROM names a JOIN names b
      ON a.identifier = b.identifier
     AND (a.given_name, coalesce(a.last_name, '')) < (b.given_name, coalesce(b.last_name, ''))
)
SELECT DISTINCT identifier FROM name_pairs
WHERE NOT (given_given AND coalesce(last_last, true))
  AND NOT (coalesce(given_last, false) AND coalesce(last_given, true))
  AND NOT (coalesce(last_given, false) AND coalesce(given_last, true))
"""
"""Identifiers carried by two name pairs that are neither alike nor alike when swapped;
``names`` holds distinct (identifier, given_name, last_name) rows, given name known.

Unknown last names (NULL comparisons) count as agreeing, so ``ronald`` on a form and
``heath ronald`` (swapped) in the email platform are one person, not a shared address.
Nor is a given name one slip from a name on no list (``uo`` beside ``udo``) a second
person's: at 3,000 people (seeds 101-606) recall rose by 0-0.05 points, at 30,000 by 0.02,
precision unchanged.
"""


def _email_identifiers(records: pl.DataFrame) -> pl.DataFrame:
    """(record, email key) for primary and secondary personal addresses."""
    names = ["record_key", "given_name", "last_name"]
    return pl.concat(
        [
            records.select(*names, pl.col("email_key").alias("identifier")),
            records.select(*names, pl.col("alt_email_key").alias("identifier")),
        ]
    ).filter(pl.col("identifier").is_not_null())


def _flagged_email_identifiers(records: pl.DataFrame) -> pl.DataFrame:
    """(record, email key, is it shared) from records ``flag_shared_identifiers`` flagged."""
    names = ["record_key", "given_name", "last_name"]
    return pl.concat(
        [
            records.select(*names, pl.col("email_key").alias("identifier"), "email_is_shared"),
            records.select(
                *names,
                pl.col("alt_email_key").alias("identifier"),
                pl.col("alt_email_is_shared").alias("email_is_shared"),
            ),
        ]
    ).filter(pl.col("identifier").is_not_null())


def _shared(identifiers: pl.DataFrame) -> pl.Series:
    # Only an identifier carried under two different names can be shared; most carry one,
    # so the name-by-name comparison gets only the rest (at 1M records: a tenth).
    names = (
        identifiers.select("identifier", "given_name", "last_name")
        .drop_nulls(["identifier", "given_name"])
        .unique()
        .filter(pl.len().over("identifier") > 1)
        .with_columns(is_known_given_name(pl.col("given_name")).alias("known"))
    )
    with duckdb.connect() as conn:
        conn.register("names", names)
        conn.execute(ALIKE_MACRO.replace("$similarity", str(SAME_NAME_SIMILARITY)))
        shared = conn.execute(_SHARED_KEYS_SQL).fetchall()
    return pl.Series("identifier", [row[0] for row in shared], dtype=pl.String)


def _household_mailbox(address: pl.Expr, last_name: pl.Expr) -> pl.Expr:
    """Whether ``address`` is a household's (``smithfamily@``, ``the.smiths@`` for a record
    named Smith)."""
    letters = address.str.extract(r"^([^@]+)@").str.replace_all("[^a-z]", "")
    return letters.str.contains("family") | (
        letters == pl.concat_str(pl.lit("the"), last_name, pl.lit("s"))
    )


_MAYBE_HOUSEHOLD = "^[^a-z@]*t[^a-z@]*h[^a-z@]*e|f[^a-z@]*a[^a-z@]*m[^a-z@]*i[^a-z@]*l[^a-z@]*y"


def _households(identifiers: pl.DataFrame) -> pl.Series:
    """The household mailboxes among ``identifiers`` (identifier, last_name), whoever of the
    family carries them."""
    address = pl.col("identifier").cast(pl.String)
    # One pattern test first: the mailbox is read only where its letters could name a
    # family (``landryfamil8y@`` included).
    return (
        identifiers.filter(address.str.contains(_MAYBE_HOUSEHOLD))
        .filter(_household_mailbox(address, pl.col("last_name")))
        .get_column("identifier")
        .unique()
    )


def own_contacts(records: pl.DataFrame) -> pl.DataFrame:
    """``records`` with only the contacts that reach one person: household mailboxes and
    shared phones (a family landline, a switchboard) removed from the contact columns.

    The passes that place a customer known by little more than a name ask whether it can
    be reached; a family's mailbox or landline does not say which member it is. Counting
    them made a profile with only ``rollinsfamily@`` a customer of its own beside Keith
    Rollins' (with household mailboxes flagged: recall +0.2-0.7 points at 3,000 people, +0.5
    at 30,000; precision -0.0002).
    Other shared addresses still count: masking all of them cost 0.0012 of precision at
    30,000 people for 0.2 points of recall. ``records`` carry the flags of
    ``flag_shared_identifiers``; a household mailbox is always flagged shared.
    """
    households = _households(
        _flagged_email_identifiers(records).filter("email_is_shared")
    ).implode()
    return records.with_columns(
        pl.when(~pl.col(column).is_in(households).fill_null(False))
        .then(pl.col(column))
        .alias(column)
        for column in ("email_key", "alt_email_key")
    ).with_columns(pl.when(~pl.col("phone_is_shared")).then(pl.col("phone")).alias("phone"))


def flag_shared_identifiers(records: pl.DataFrame) -> pl.DataFrame:
    """Add ``email_is_shared``, ``alt_email_is_shared`` and ``phone_is_shared``.

    Whether an identifier is shared depends on every record carrying it, so this runs once
    over the whole record set (``standardise_records`` does it) and the flags are reused.
    """
    emails = _email_identifiers(records)
    shared_emails = pl.concat([_shared(emails), _households(emails)])
    shared_phones = _shared(
        records.select("record_key", "given_name", "last_name", pl.col("phone").alias("identifier"))
    )
    return records.with_columns(
        pl.col("email_key")
        .is_in(shared_emails.implode())
        .fill_null(False)
        .alias("email_is_shared"),
        pl.col("alt_email_key")
        .is_in(shared_emails.implode())
        .fill_null(False)
        .alias("alt_email_is_shared"),
        pl.col("phone").is_in(shared_phones.implode()).fill_null(False).alias("phone_is_shared"),
    )


def email_links(records: pl.DataFrame) -> pl.DataFrame:
    """Records that share a personal email address, linked to the first record holding it.

    An address that is not shared links all its records; a shared one links only records
    that also agree on the given name. ``records`` carry the flags of
    ``flag_shared_identifiers``.
    """
    grouped = (
        _flagged_email_identifiers(records)
        .with_columns(
            pl.when(pl.col("email_is_shared"))
            .then(pl.col("given_name"))
            .otherwise(pl.lit(""))
            .alias("_name_scope")
        )
        .filter(pl.col("_name_scope").is_not_null())
    )
    return (
        grouped.with_columns(
            pl.col("record_key").min().over("identifier", "_name_scope").alias("record_key_l")
        )
        .filter(pl.col("record_key") != pl.col("record_key_l"))
        .select(
            "record_key_l",
            pl.col("record_key").alias("record_key_r"),
            pl.when(pl.col("_name_scope") == "")
            .then(pl.lit("same_personal_email"))
            .otherwise(pl.lit("same_shared_email_and_given_name"))
            .alias("rule"),
        )
        .unique(["record_key_l", "record_key_r"], keep="first")
    )


def mask_shared_identifiers(records: pl.DataFrame) -> pl.DataFrame:
    """What Splink compares: shared identifiers hidden, records with nothing to compare out."""
    return records.with_columns(
        pl.when(~pl.col("email_is_shared")).then(pl.col("email_key")).alias("email_key"),
        pl.when(~pl.col("phone_is_shared")).then(pl.col("phone")).alias("phone"),
    ).filter(
        pl.any_horizontal(pl.col("given_name", "last_name", "email_key", "phone").is_not_null())
    )

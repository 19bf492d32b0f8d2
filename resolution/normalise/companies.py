"""Company names without legal form or punctuation, so ``ACME, Inc.`` == ``Acme``."""

from __future__ import annotations

import polars as pl
from rapidfuzz.distance import OSA
from rapidfuzz.process import cpdist

from resolution.normalise._columns import on_distinct, where
from resolution.normalise._text import plain_words

# fmt: off
LEGAL_FORMS: tuple[str, ...] = (
    # US and UK.
    "inc", "incorporated", "llc", "llp", "lp", "pllc", "pc", "corp", "corporation", "co",
    "company", "ltd", "limited", "plc", "cic",
    # Germany ("GmbH & Co. KG" ends in the words "and co kg").
    "gmbh", "ggmbh", "mbh", "ag", "kg", "kgaa", "ohg", "gbr", "ug", "haftungsbeschrankt", "ev",
    "se", "and co",
    # France.
    "sa", "sarl", "sas", "sasu", "eurl", "sci", "snc", "sca",
    # Elsewhere, common on European and Commonwealth invoices.
    "bv", "nv", "srl", "spa", "pty", "pte",
)
# fmt: on
"""Legal-form words removed from the end of a name, spelt as ``plain_words`` leaves them."""

_TRAILING_LEGAL_FORMS = rf"(?: (?:{'|'.join(LEGAL_FORMS)}))+$"


def normalise_company(values: pl.Series) -> pl.Series:
    """``The Müller GmbH & Co. KG`` -> ``muller``; ``Johnson & Johnson`` -> ``johnson and johnson``.

    Lower-case ASCII words, ``&`` read as ``and``, punctuation removed, a leading ``the``
    and trailing legal forms (``LEGAL_FORMS``) dropped. A name made only of those words
    (``Limited``) is kept rather than emptied. Blank -> null.
    """
    return on_distinct(values, _company_words)


def _company_words(companies: pl.Series) -> pl.Series:
    words = plain_words(companies.str.replace_all("&", " and ", literal=True))
    core = words.str.replace(r"^the ", "").str.replace(_TRAILING_LEGAL_FORMS, "")
    return where(core.str.contains(r"\S"), core, words)


def company_from_email_domain(domains: pl.Series) -> pl.Series:
    """``hill-media.co.uk`` -> ``hill media``: a work address names the employer.

    The label left of the public suffix (``.com``, ``.co.uk``, ...), hyphens read as spaces,
    then normalised like ``normalise_company``. Only call it for work (not free-mail)
    domains: ``gmail.com`` names no employer.
    """
    return on_distinct(domains, _domain_company)


def _domain_company(domains: pl.Series) -> pl.Series:
    registrable = domains.str.to_lowercase().str.replace(
        r"\.(?:(?:co|com|org|net|ac|gov)\.[a-z]{2}|[a-z]{2,})$", ""
    )
    label = registrable.str.extract(r"([a-z0-9-]+)$").str.replace_all("-", " ")
    return _company_words(label)


SHORTEST_SLIP = 6
"""Company names shorter than this are left alone: one slip apart, short names are as
often two companies as one company mistyped (``acme`` and ``acne``)."""


def company_as_its_addresses_spell_it(companies: pl.Series, employers: pl.Series) -> pl.Series:
    """A stated company one typing slip from exactly one employer is read as that employer.

    People type their employer by hand on forms and in tickets ("Avila Ytextiles", "Dufour
    Meida") but their work address spells it as the company registered it
    (``@avila-textiles.com``). A stated company that no work address names, that is one
    slip (a letter dropped, added or changed, or two swapped) from exactly one company
    that work addresses do name, and that is stated no more often than that one is named, is
    that company; otherwise it stands. Without this, each typo is a company of its own to
    every comparison and rule that asks whether two records work at one place.
    ``companies`` and ``employers`` are normalised (``normalise_company``,
    ``company_from_email_domain``) and aligned row by row, across the whole record set:
    the correction depends on which companies the data's addresses name.
    """
    stated = companies.value_counts(name="stated").rename({companies.name: "company"})
    named = employers.drop_nulls().value_counts(name="named").rename({employers.name: "employer"})
    unknown = (
        stated.drop_nulls()
        .join(named, left_on="company", right_on="employer", how="anti")
        .filter(pl.col("company").str.len_chars() >= SHORTEST_SLIP)
    )
    candidates = (
        _one_deletion_each(unknown, "company")
        .join(_one_deletion_each(named, "employer"), on="variant")
        .filter(pl.col("stated") <= pl.col("named"))
        .select("company", "employer")
        .unique()
    )
    one_slip = cpdist(
        candidates.get_column("company").to_list(),
        candidates.get_column("employer").to_list(),
        scorer=OSA.distance,
    )
    meant = candidates.filter(pl.Series(one_slip) == 1).filter(pl.len().over("company") == 1)
    return companies.replace(meant.get_column("company"), meant.get_column("employer"))


def _one_deletion_each(names: pl.DataFrame, column: str) -> pl.DataFrame:
    """``names`` with a row per spelling of ``column`` itself and with one letter dropped:
    two names one slip apart always share one (symmetric deletion), so a join finds them."""
    name = pl.col(column)
    return (
        names.with_columns(pl.int_ranges(-1, name.str.len_chars()).alias("at"))
        .explode("at")
        .with_columns(
            pl.when(pl.col("at") < 0)
            .then(name)
            .otherwise(
                pl.concat_str(name.str.slice(0, pl.col("at")), name.str.slice(pl.col("at") + 1))
            )
            .alias("variant")
        )
        .drop("at")
    )

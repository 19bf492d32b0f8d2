"""Company names without legal form or punctuation, so ``ACME, Inc.`` == ``Acme``."""

from __future__ import annotations

import polars as pl

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

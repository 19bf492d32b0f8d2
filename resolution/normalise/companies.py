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

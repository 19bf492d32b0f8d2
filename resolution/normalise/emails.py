"""Email addresses: a clean address, a key for linking, and what kind of mailbox it is.

An email address is the strongest identifier most sources share, and the most abused one:
``Jane.Doe+news@GoogleMail.com`` and ``janedoe@gmail.com`` are one inbox, ``info@acme.com``
is read by a whole team, and ``none@none.com`` is typed by anyone who would rather not say.
"""

from __future__ import annotations

import re

import polars as pl
import polars.selectors as cs
from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from resolution.normalise._columns import map_distinct, null_if_blank, on_distinct, where
from resolution.normalise._email_lists import (
    FREEMAIL_BRANDS,
    FREEMAIL_DOMAINS,
    PLACEHOLDER_DOMAINS,
    PLACEHOLDER_LOCAL_PARTS,
    PLACEHOLDER_TOP_LEVEL_DOMAINS,
    PLACEHOLDER_VALUES,
    ROLE_LOCAL_PARTS,
)

_GMAIL_DOMAINS = ("gmail.com", "googlemail.com")
_BRANDED_FREEMAIL = rf"^(?:{'|'.join(FREEMAIL_BRANDS)})\.(?:[a-z]{{2,3}}|(?:co|com)\.[a-z]{{2}})$"
_PLAIN_ADDRESS = r"^[a-z0-9_+\-]+(?:\.[a-z0-9_+\-]+)*@(?:[a-z0-9]+(?:-[a-z0-9]+)*\.)+[a-z]+$"
_PARTS = ("local", "domain", "untagged", "mailbox")
_SPECIAL_USE_DOMAIN = rf"[@.](?:{'|'.join(map(re.escape, SPECIAL_USE_DOMAIN_NAMES))})$"


def is_freemail_domain(domains: pl.Expr) -> pl.Expr:
    """Whether each domain is a consumer provider's, where anyone may open a mailbox: an
    address there is personal, one at any other domain names an employer."""
    return domains.is_in(FREEMAIL_DOMAINS) | domains.str.contains(_BRANDED_FREEMAIL)


def normalise_email(values: pl.Series) -> pl.DataFrame:
    """One row per input value with the columns below; a missing input gives nulls and False.

    - ``email``: trimmed, lower-case; null when email-validator finds it syntactically
      invalid (no DNS lookup) or it is blank.
    - ``email_match_key``: the inbox the address delivers to, for linking: any ``+tag``
      removed, and for Gmail dots removed and ``googlemail.com`` read as ``gmail.com``.
    - ``email_domain``: the part after ``@``.
    - ``email_is_role``: a shared mailbox such as ``info@``, ``sales@``, ``no-reply@``.
    - ``email_is_placeholder``: a stand-in typed instead of a real address (``n/a``,
      ``noemail@...``, ``...@example.com``, ``x@x.com``, ``aaa@...``), valid or not.
    - ``email_is_freemail``: a consumer provider (gmail, yahoo.*, web.de, orange.fr ...).
    - ``email_is_personal``: valid, and neither role nor placeholder: the address of one
      person, so safe to link on (``jane.doe@acme.com`` is; ``info@acme.com`` is not).

    The lists behind the three classifications are in ``_email_lists``.
    """
    fields = on_distinct(values, _email_fields).struct.unnest()
    return fields.with_columns(cs.boolean().fill_null(False))


def _email_fields(values: pl.Series) -> pl.Series:
    typed = null_if_blank(values.str.strip_chars().str.to_lowercase())
    email = _validated(typed)
    # Regexes over half a million addresses are the cost here, so each part is extracted
    # once. email-validator returns nearly every valid address as typed: the email's parts
    # are the typed address's, extracted again only where the validator changed it.
    frame = pl.concat(
        [
            pl.LazyFrame({"typed": typed, "email": email}),
            _parts(typed, "typed"),
            _parts(where(email != typed, email), "changed"),
        ],
        how="horizontal",
    ).with_columns(
        pl.when(pl.col("email") == pl.col("typed"))
        .then(pl.col(f"typed_{part}"))
        .otherwise(pl.col(f"changed_{part}"))
        .alias(f"email_{part}")
        for part in _PARTS
    )
    frame = frame.with_columns(
        email_is_role=pl.col("email_mailbox").is_in(ROLE_LOCAL_PARTS).fill_null(False),
        email_is_placeholder=_is_placeholder("typed"),
    )
    return (
        frame.select(
            "email",
            _match_key("email").alias("email_match_key"),
            "email_domain",
            "email_is_role",
            "email_is_placeholder",
            is_freemail_domain(pl.col("email_domain")).fill_null(False).alias("email_is_freemail"),
            (
                pl.col("email").is_not_null()
                & ~pl.col("email_is_role")
                & ~pl.col("email_is_placeholder")
            ).alias("email_is_personal"),
        )
        .collect()
        .to_struct()
    )


def _parts(addresses: pl.Series, prefix: str) -> pl.LazyFrame:
    """``{prefix}_local``, ``_domain``, ``_untagged`` (local part without ``+tag``) and
    ``_mailbox`` (as lists compare it: ``No-Reply+x`` -> ``noreply``) of each address."""
    local, untagged = pl.col(f"{prefix}_local"), pl.col(f"{prefix}_untagged")
    return (
        pl.LazyFrame({"address": addresses})
        .select(
            pl.col("address").str.extract(r"^(.*)@").alias(f"{prefix}_local"),
            pl.col("address").str.extract(r"@([^@]*)$").alias(f"{prefix}_domain"),
        )
        .with_columns(local.str.replace(r"\+.*$", "").alias(f"{prefix}_untagged"))
        .with_columns(untagged.str.replace_all(r"[._\-]", "").alias(f"{prefix}_mailbox"))
    )


def _validated(addresses: pl.Series) -> pl.Series:
    """The address if email-validator accepts it, else null.

    Addresses are nearly unique per person and the validator takes ~40 us each, so the
    plain ASCII shape most addresses have (``jane.doe+x@mail.acme.co.uk``, at most 64
    characters, not under a special-use domain) is accepted without the call: every rule
    the validator applies holds for that shape, and it returns such an address unchanged.
    """
    plain = (
        addresses.str.contains(_PLAIN_ADDRESS)
        & (addresses.str.len_chars() <= 64)
        & ~addresses.str.contains(_SPECIAL_USE_DOMAIN)
    )
    checked = map_distinct(where(~plain, addresses), _valid, pl.String)
    return where(plain, addresses, checked)


def _valid(address: str) -> str | None:
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _match_key(column: str) -> pl.Expr:
    """``Jane.Doe+news@googlemail.com`` -> ``janedoe@gmail.com``: one key per inbox."""
    local, domain = pl.col(f"{column}_local"), pl.col(f"{column}_domain")
    untagged = pl.col(f"{column}_untagged")
    untagged = pl.when(untagged == "").then(local).otherwise(untagged)
    is_gmail = domain.is_in(_GMAIL_DOMAINS)
    return pl.concat_str(
        pl.when(is_gmail).then(untagged.str.replace_all(".", "", literal=True)).otherwise(untagged),
        pl.lit("@"),
        pl.when(is_gmail).then(pl.lit("gmail.com")).otherwise(domain),
    )


def _is_placeholder(column: str) -> pl.Expr:
    """A stand-in value, a stand-in mailbox or domain, or one character repeated (``x@x.com``)."""
    mailbox, domain = pl.col(f"{column}_mailbox"), pl.col(f"{column}_domain")
    return (
        pl.col(column).is_in(PLACEHOLDER_VALUES)
        | mailbox.is_in(PLACEHOLDER_LOCAL_PARTS)
        | (mailbox.str.strip_chars(mailbox.str.slice(0, 1)) == "")
        | domain.is_in(PLACEHOLDER_DOMAINS)
        | domain.str.extract(r"([^.]+)$").is_in(PLACEHOLDER_TOP_LEVEL_DOMAINS)
    ).fill_null(False)

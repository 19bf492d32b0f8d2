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
_SPECIAL_USE_DOMAIN = rf"[@.](?:{'|'.join(map(re.escape, SPECIAL_USE_DOMAIN_NAMES))})$"


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
    frame = pl.DataFrame({"typed": typed, "email": _validated(typed)})
    domain = _domain("email")
    is_role = _mailbox(_local_part("email")).is_in(ROLE_LOCAL_PARTS).fill_null(False)
    is_placeholder = _is_placeholder("typed")
    return frame.select(
        "email",
        _match_key("email").alias("email_match_key"),
        domain.alias("email_domain"),
        is_role.alias("email_is_role"),
        is_placeholder.alias("email_is_placeholder"),
        (domain.is_in(FREEMAIL_DOMAINS) | domain.str.contains(_BRANDED_FREEMAIL))
        .fill_null(False)
        .alias("email_is_freemail"),
        (pl.col("email").is_not_null() & ~is_role & ~is_placeholder).alias("email_is_personal"),
    ).to_struct()


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
    local, domain = _local_part(column), _domain(column)
    untagged = local.str.replace(r"\+.*$", "")
    untagged = pl.when(untagged == "").then(local).otherwise(untagged)
    is_gmail = domain.is_in(_GMAIL_DOMAINS)
    return pl.concat_str(
        pl.when(is_gmail).then(untagged.str.replace_all(".", "", literal=True)).otherwise(untagged),
        pl.lit("@"),
        pl.when(is_gmail).then(pl.lit("gmail.com")).otherwise(domain),
    )


def _is_placeholder(column: str) -> pl.Expr:
    """A stand-in value, a stand-in mailbox or domain, or one character repeated (``x@x.com``)."""
    mailbox, domain = _mailbox(_local_part(column)), _domain(column)
    return (
        pl.col(column).is_in(PLACEHOLDER_VALUES)
        | mailbox.is_in(PLACEHOLDER_LOCAL_PARTS)
        | (mailbox.str.strip_chars(mailbox.str.slice(0, 1)) == "")
        | domain.is_in(PLACEHOLDER_DOMAINS)
        | domain.str.extract(r"([^.]+)$").is_in(PLACEHOLDER_TOP_LEVEL_DOMAINS)
    ).fill_null(False)


def _local_part(column: str) -> pl.Expr:
    return pl.col(column).str.extract(r"^(.*)@")


def _domain(column: str) -> pl.Expr:
    return pl.col(column).str.extract(r"@([^@]*)$")


def _mailbox(local_part: pl.Expr) -> pl.Expr:
    """The local part as lists compare it: ``No-Reply+x`` -> ``noreply``."""
    return local_part.str.replace(r"\+.*$", "").str.replace_all(r"[._\-]", "")

"""Standardise identity fields so that equal things compare equal before linking.

Records from the website, email platform, social channels, CRM and support desk spell the
same name, address, phone or email differently, and some identifiers are shared or made
up (``info@``, ``none@none.com``, ``0000000000``) and must never link two people. Each
function takes polars Series and returns new columns, a Series named like its input or a
DataFrame, for the caller to attach: ``df.with_columns(normalise_name(df["first_name"]))``
or ``df.with_columns(normalise_email(df["email"]))``. Nothing here reads or writes storage.

The work runs once per distinct value (or distinct value and country), with vectorised
polars expressions and, where needed, unidecode, email-validator, phonenumbers and
nameparser; results are mapped back to rows with a hash lookup, so a million rows cost
about as much as their distinct values.
"""

from resolution.normalise.addresses import normalise_city, normalise_postcode, normalise_street
from resolution.normalise.companies import (
    company_as_its_addresses_spell_it,
    company_from_email_domain,
    normalise_company,
)
from resolution.normalise.countries import normalise_country
from resolution.normalise.emails import is_freemail_domain, normalise_email
from resolution.normalise.handles import (
    given_name_from_usernames,
    last_name_from_handle,
    last_name_from_mailbox,
    normalise_handle,
)
from resolution.normalise.names import (
    canonical_given_name,
    canonical_last_name,
    formal_name_of_nickname,
    given_name_gender,
    given_name_spellings,
    is_known_given_name,
    known_given_names,
    names_from_mailbox,
    names_in_order,
    normalise_name,
    split_full_name,
)
from resolution.normalise.phones import FALLBACK_REGION, normalise_phone

__all__ = [
    "FALLBACK_REGION",
    "canonical_given_name",
    "canonical_last_name",
    "given_name_from_usernames",
    "given_name_gender",
    "given_name_spellings",
    "is_freemail_domain",
    "is_known_given_name",
    "known_given_names",
    "company_as_its_addresses_spell_it",
    "company_from_email_domain",
    "formal_name_of_nickname",
    "last_name_from_handle",
    "last_name_from_mailbox",
    "names_from_mailbox",
    "names_in_order",
    "normalise_city",
    "normalise_company",
    "normalise_country",
    "normalise_email",
    "normalise_handle",
    "normalise_name",
    "normalise_phone",
    "normalise_postcode",
    "normalise_street",
    "split_full_name",
]

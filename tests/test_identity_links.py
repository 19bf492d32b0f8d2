"""Deterministic links and shared identifiers.

A family mailbox, a household landline or a company switchboard is carried by several
people; linking on it alone would merge them. These tests pin which identifiers count as
shared and what the deterministic rules link.
"""

from __future__ import annotations

import polars as pl
import pytest

from resolution.identity._links import email_links, flag_shared_identifiers

COLUMNS = ["record_key", "given_name", "last_name", "email_key", "alt_email_key", "phone"]


def _records(*rows: tuple) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=COLUMNS, orient="row")


@pytest.mark.parametrize(
    ("names", "shared"),
    [
        ([("anna", "smith"), ("tom", "smith")], True),
        ([("anna", "smith"), ("anna", "smith")], False),
        ([("jonathan", "smith"), ("jonathon", "smith")], False),
        ([("ronald", "heath"), ("heath", "ronald")], False),
        ([("ronald", None), ("heath", "ronald")], False),
        ([("anna", None), ("anna", "smith")], False),
        ([("anna", "smith"), ("anna", "jones")], True),
        ([("anna", "smith"), (None, None)], False),
        ([("carol", "carroll"), ("carol", "c")], False),
        ([("samantha", "petty"), ("sa", "petty")], False),
    ],
    ids=[
        "family",
        "same",
        "typo",
        "swapped",
        "swapped-partial",
        "no-last",
        "two-annas",
        "no-name",
        "initial",
        "cut-short",
    ],
)
def test_an_email_is_shared_only_when_its_records_name_different_people(names, shared):
    records = _records(
        *[(f"r{i}", given, last, "fam@x.com", None, None) for i, (given, last) in enumerate(names)]
    )

    flagged = flag_shared_identifiers(records)

    assert flagged.get_column("email_is_shared").to_list() == [shared] * len(names)


@pytest.mark.parametrize(
    ("name", "address", "shared"),
    [
        (("keith", "rollins"), "rollinsfamily@gmail.com", True),
        (("anna", "smith"), "the.smiths@gmail.com", True),
        (("allen", "landry"), "landryfamil8y@gmail.com", True),  # a slip inside it
        (("anna", "smith"), "annasmith@gmail.com", False),
        (("theo", "smith"), "theos@gmail.com", False),
    ],
    ids=["family", "the-smiths", "family-typo", "personal", "name-starting-the"],
)
def test_a_household_mailbox_is_shared_even_where_one_person_used_it(name, address, shared):
    records = _records(("r1", *name, address, None, None))

    flagged = flag_shared_identifiers(records)

    assert flagged.get_column("email_is_shared").to_list() == [shared]


def test_a_switchboard_phone_used_by_colleagues_is_shared():
    records = _records(
        ("a", "anna", "smith", None, None, "+14155550100"),
        ("b", "raj", "patel", None, None, "+14155550100"),
        ("c", "raj", "patel", None, None, "+14155550199"),
    )

    flagged = flag_shared_identifiers(records)

    assert flagged.get_column("phone_is_shared").to_list() == [True, True, False]


def test_a_personal_email_links_all_its_records_including_secondary_addresses():
    records = _records(
        ("crm:1", "jane", "doe", "jane@acme.com", "jane.d@gmail.com", None),
        ("web:2", None, None, "jane.d@gmail.com", None, None),
        ("sup:3", "jane", "doe", "jane@acme.com", None, None),
        ("sub:4", "john", "roe", "john@roe.com", None, None),
    )

    links = email_links(flag_shared_identifiers(records)).sort("record_key_r")

    assert links.select("record_key_l", "record_key_r", "rule").rows() == [
        ("crm:1", "sup:3", "same_personal_email"),
        ("crm:1", "web:2", "same_personal_email"),
    ]


def test_a_shared_family_email_links_only_records_with_the_same_given_name():
    records = _records(
        ("a1", "anna", "smith", "smiths@gmail.com", None, None),
        ("a2", "anna", "smith", "smiths@gmail.com", None, None),
        ("t1", "tom", "smith", "smiths@gmail.com", None, None),
        ("x1", None, None, "smiths@gmail.com", None, None),
    )

    links = email_links(flag_shared_identifiers(records))

    assert links.select("record_key_l", "record_key_r", "rule").rows() == [
        ("a1", "a2", "same_shared_email_and_given_name")
    ]

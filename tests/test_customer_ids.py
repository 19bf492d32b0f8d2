"""Customers and their ids: guarded clustering, ids stable across runs, and a history of changes.

Exports and CRM fields store customer ids, so an id that changes without a trace leaves
them dangling; and a single wrong link must not merge two people into one customer.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from resolution.identity._cluster import (
    EDGE_SCHEMA,
    _components_at_risk,
    cluster_records,
    names_compatible,
)
from resolution.identity._ids import assign_customer_ids, new_customer_id


def _records(
    birth_dates: dict[str, date | None],
    names: dict[str, tuple[str, str]] | None = None,
    not_duplicate_of: dict[str, str] | None = None,
    emails: dict[str, str] | None = None,
    genders: dict[str, str] | None = None,
) -> pl.DataFrame:
    """Records keyed like CRM contacts (the key is the contact id); marks name other keys."""
    names = names or {}
    marks = not_duplicate_of or {}
    emails = emails or {}
    genders = genders or {}
    return pl.DataFrame(
        {
            "record_key": list(birth_dates),
            "birth_date": list(birth_dates.values()),
            "given_name": [names.get(k, (None, None))[0] for k in birth_dates],
            "last_name": [names.get(k, (None, None))[1] for k in birth_dates],
            "crm_contact_id": list(birth_dates),
            "crm_not_duplicate_of": [marks.get(k) for k in birth_dates],
            "email_key": [emails.get(k) for k in birth_dates],
            "alt_email_key": [None for _ in birth_dates],
            "given_name_gender": [genders.get(k) for k in birth_dates],
        },
        schema={
            "record_key": pl.String,
            "birth_date": pl.Date,
            "given_name": pl.String,
            "last_name": pl.String,
            "crm_contact_id": pl.String,
            "crm_not_duplicate_of": pl.String,
            "email_key": pl.String,
            "alt_email_key": pl.String,
            "given_name_gender": pl.String,
        },
    )


def _edges(*edges: tuple[str, str, float]) -> pl.DataFrame:
    return pl.DataFrame(
        [(left, right, weight, "test") for left, right, weight in edges],
        schema=EDGE_SCHEMA,
        orient="row",
    )


def _groups(clusters: pl.DataFrame) -> set[frozenset[str]]:
    grouped = clusters.group_by("cluster_key").agg("record_key")
    return {frozenset(keys) for keys in grouped.get_column("record_key").to_list()}


def test_linked_records_form_one_customer_named_by_its_smallest_key():
    records = _records({"a": None, "b": None, "c": None, "d": None})

    result = cluster_records(records, _edges(("b", "c", 9.0), ("c", "a", 5.0)))

    assert _groups(result.clusters) == {frozenset("abc"), frozenset("d")}
    assert set(result.clusters.filter(pl.col("record_key") != "d")["cluster_key"]) == {"a"}


def test_a_weak_link_cannot_chain_two_people_with_different_birth_dates():
    records = _records(
        {"ann1": date(1980, 1, 1), "ann2": None, "bob1": date(1975, 5, 5), "bob2": None}
    )
    edges = _edges(("ann1", "ann2", 20.0), ("bob1", "bob2", 18.0), ("ann2", "bob2", 6.0))

    result = cluster_records(records, edges)

    assert _groups(result.clusters) == {frozenset({"ann1", "ann2"}), frozenset({"bob1", "bob2"})}
    assert result.refused_links.select("record_key_l", "record_key_r").rows() == [("ann2", "bob2")]


def test_twins_sharing_everything_but_a_given_name_stay_two_customers():
    born = date(1990, 3, 3)
    records = _records(
        {"anna1": born, "anna2": None, "home": None, "emma1": born},
        {"anna1": ("anna", "berg"), "anna2": ("anna", "berg"), "emma1": ("emma", "berg")},
    )
    edges = _edges(
        ("anna1", "emma1", 30.0), ("anna1", "anna2", 20.0), ("home", "emma1", 9.0),
        ("home", "anna2", 8.0),
    )

    result = cluster_records(records, edges)

    assert _groups(result.clusters) == {
        frozenset({"anna1", "anna2"}), frozenset({"emma1", "home"})
    }
    assert set(result.refused_links["refused_because"]) == {"incompatible given names"}


def test_no_chain_of_links_puts_two_contacts_the_crm_marks_apart_in_one_customer():
    records = _records(
        {k: None for k in ("ann", "ann_web", "ann_dup", "eve")}, {}, {"ann_dup": "ann"}
    )
    edges = _edges(("ann", "ann_web", 20.0), ("ann_web", "ann_dup", 15.0), ("ann_dup", "eve", 10.0))

    result = cluster_records(records, edges)

    assert _groups(result.clusters) == {
        frozenset({"ann", "ann_web"}), frozenset({"ann_dup", "eve"})
    }
    refused = result.refused_links.select("record_key_l", "record_key_r", "refused_because")
    assert refused.rows() == [("ann_web", "ann_dup", "CRM marks them as different people")]


def test_a_mark_naming_a_contact_no_longer_on_file_refuses_nothing():
    records = _records({"ann": None, "ann_dup": None}, {}, {"ann_dup": "deleted"})

    result = cluster_records(records, _edges(("ann", "ann_dup", 20.0)))

    assert _groups(result.clusters) == {frozenset({"ann", "ann_dup"})}
    assert result.refused_links.is_empty()


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        (("jonathan", "smith"), ("jonathon", "smith"), True),
        (("smith", "john"), ("john", "smith"), True),
        (("heath", "ronald"), ("ronald", None), True),
        (("anna", "berg"), ("emma", "berg"), False),
        (("tom", "smith"), ("anna", "smith"), False),
        (("mark", "aguilar"), ("matk", "aguilar"), True),  # a slip in a short name
        (("eric", "oliver"), ("derrick", "oliver"), False),  # alike by Jaro-Winkler, two men
        (("sandra", "fletcher"), ("sarah", "fletcher"), False),
        (("dan", "lee"), ("jan", "lee"), False),  # too short to call one letter a slip
        (("uo", "speer"), ("udo", "speer"), True),  # unless one is on no list: a typo
    ],
)
def test_given_names_are_compatible_when_alike_or_swapped(a, b, compatible):
    assert names_compatible(a, b) is compatible
    assert names_compatible(b, a) is compatible


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        (("michael", "ellison"), ("michelle", "ellison"), False),
        (("victor", "pichon"), ("victoire", "pichon"), False),
        (("michael", "long"), ("michaela", "long"), False),  # one letter: a couple at home
        (("lee", "jennifer"), ("jennifer", "lee"), True),  # surname written first
    ],
)
def test_a_mans_and_a_womans_look_alike_given_names_are_two_people(a, b, compatible):
    genders = ("male", "female")

    assert names_compatible(a, b) is True  # alike as strings
    assert names_compatible(a, b, genders) is compatible
    assert names_compatible(b, a, genders[::-1]) is compatible


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        (("denis", "velasquez"), ("denise", "velasquez"), True),  # one letter: a typo
        (("daniele", "ramsey"), ("danielle", "ramsey"), True),
        (("michael", "ellison"), ("michelle", "ellison"), False),  # more than a slip
    ],
)
def test_at_one_email_address_a_mans_and_a_womans_names_one_letter_apart_are_a_typo(
    a, b, compatible
):
    genders = ("male", "female")

    assert names_compatible(a, b, genders, same_address=True) is compatible
    assert names_compatible(b, a, genders[::-1], same_address=True) is compatible


_GENDERED_NAMES = [
    ("jonathan", "smith", None),
    ("jonathon", "smith", "male"),
    ("smith", "john", None),
    ("john", "smith", "male"),
    ("heath", "ronald", None),
    ("ronald", None, "male"),
    ("anna", "berg", "female"),
    ("emma", "berg", "female"),
    ("c", "carter", None),
    ("carol", "c", "female"),
    ("sa", "b", None),
    ("samantha", "b", "female"),
    ("michael", "ellison", "male"),
    ("michelle", "ellison", "female"),
    ("daniele", "ramsey", "male"),
    ("danielle", "ramsey", "female"),
    ("lee", "jennifer", None),
    ("jennifer", "lee", "female"),
    ("tom", None, "male"),
]


def test_only_customers_holding_names_the_guard_would_refuse_are_screened_for_it():
    """The SQL screen that spares most customers the edge-by-edge guard must flag exactly
    the pairs of names ``names_compatible`` refuses, genders included."""
    pairs = [(a, b) for i, a in enumerate(_GENDERED_NAMES) for b in _GENDERED_NAMES[i + 1 :]]
    keys = {f"{n}{side}": None for n in range(len(pairs)) for side in "ab"}
    names = {}
    genders = {}
    for n, (a, b) in enumerate(pairs):
        names[f"{n}a"], names[f"{n}b"] = a[:2], b[:2]
        genders[f"{n}a"], genders[f"{n}b"] = a[2], b[2]
    members = _records(keys, names=names, genders=genders).with_columns(
        pl.col("record_key").str.head(-1).cast(pl.Int64).alias("component")
    )

    screened = set(_components_at_risk(members, max_personal_emails=4).to_list())

    refused = {
        n for n, (a, b) in enumerate(pairs) if not names_compatible(a[:2], b[:2], (a[2], b[2]))
    }
    assert 0 < len(refused) < len(pairs)
    assert screened == refused


def test_a_household_union_of_a_man_and_a_woman_is_refused_and_says_why():
    records = _records(
        {"m": None, "f": None},
        names={"m": ("michael", "ellison"), "f": ("michelle", "ellison")},
        genders={"m": "male", "f": "female"},
    )

    result = cluster_records(records, _edges(("m", "f", 12.0)))

    assert _groups(result.clusters) == {frozenset({"m"}), frozenset({"f"})}
    assert result.refused_links["refused_because"].to_list() == ["a man's and a woman's given name"]


@pytest.mark.parametrize(
    ("emails", "joined"),
    [
        ({"m": "dvelasquez@yahoo.com", "f": "dvelasquez@yahoo.com"}, True),  # a typo
        ({}, False),  # two people at one home, say
    ],
)
def test_a_man_and_a_woman_one_letter_apart_are_one_person_only_at_one_address(
    emails, joined
):
    records = _records(
        {"m": None, "f": None},
        names={"m": ("denis", "velasquez"), "f": ("denise", "velasquez")},
        emails=emails,
        genders={"m": "male", "f": "female"},
    )

    result = cluster_records(records, _edges(("m", "f", 12.0)))

    assert (len(_groups(result.clusters)) == 1) is joined


def test_clustering_does_not_depend_on_row_order():
    records = _records({k: None for k in "abcdef"})
    edges = _edges(("a", "b", 3.0), ("c", "d", 3.0), ("b", "c", 1.0), ("e", "f", 2.0))

    first = cluster_records(records, edges).clusters.sort("record_key")
    shuffled = cluster_records(records.reverse(), edges.reverse()).clusters.sort("record_key")

    assert first.equals(shuffled)


def _clusters(groups: list[str]) -> pl.DataFrame:
    rows = [(key, min(group)) for group in groups for key in group]
    return pl.DataFrame(rows, schema=["record_key", "cluster_key"], orient="row")


def test_a_first_run_derives_ids_from_content_only():
    first = assign_customer_ids(_clusters(["ab", "cd"]), None).identity_map
    again = assign_customer_ids(_clusters(["dc", "ba"]).reverse(), None).identity_map

    assert first.sort("record_key").equals(again.sort("record_key"))
    assert dict(first.rows())["a"] == new_customer_id("a")


def test_new_records_join_an_existing_customer_without_changing_its_id():
    previous = assign_customer_ids(_clusters(["bc", "de"]), None).identity_map

    result = assign_customer_ids(_clusters(["abc", "de", "f"]), previous)

    ids = dict(result.identity_map.rows())
    assert ids["a"] == ids["b"] == dict(previous.rows())["b"]
    assert ids["d"] == dict(previous.rows())["d"]
    assert ids["f"] == new_customer_id("f")
    assert result.history.is_empty()


def test_a_merge_keeps_the_larger_customers_id_and_records_the_retired_one():
    previous = assign_customer_ids(_clusters(["abc", "de"]), None).identity_map
    old = dict(previous.rows())

    result = assign_customer_ids(_clusters(["abcde"]), previous)

    assert set(result.identity_map["customer_id"]) == {old["a"]}
    assert result.history.rows() == [(old["d"], old["a"], "merged", 2)]


def test_a_split_keeps_the_id_on_the_larger_part_and_records_the_new_one():
    previous = assign_customer_ids(_clusters(["abcde"]), None).identity_map
    old_id = previous["customer_id"][0]

    result = assign_customer_ids(_clusters(["abc", "de"]), previous)

    ids = dict(result.identity_map.rows())
    assert ids["a"] == old_id
    assert ids["d"] != old_id
    assert result.history.rows() == [(old_id, ids["d"], "split", 2)]


def test_a_new_id_never_reuses_an_id_issued_before():
    previous = assign_customer_ids(_clusters(["abc"]), None).identity_map
    taken = previous["customer_id"][0]
    # "a" moves out and the old customer lives on in "b" + "c"; "a" alone would hash to taken.
    result = assign_customer_ids(_clusters(["a", "bc"]), previous)

    ids = dict(result.identity_map.rows())
    assert ids["b"] == taken
    assert ids["a"] == new_customer_id("a", salt=1)


@pytest.mark.parametrize("order", [0, 1])
def test_ids_do_not_depend_on_the_order_of_the_previous_map(order):
    previous = assign_customer_ids(_clusters(["ab", "cd"]), None).identity_map
    previous = previous if order == 0 else previous.reverse()

    result = assign_customer_ids(_clusters(["abcd"]), previous)

    assert result.history.height == 1
    assert set(result.identity_map["customer_id"]) == {min(previous["customer_id"])}


def test_a_chain_of_links_never_gives_one_customer_more_addresses_than_a_person_holds():
    people = [f"p{i}" for i in range(6)]
    records = _records(
        dict.fromkeys(people),
        names={p: ("hans", "georg") for p in people},
        emails={p: f"georg.{'abcdef'[i]}@mail.de" for i, p in enumerate(people)},
    )
    chain = _edges(*[(people[i], people[i + 1], 10.0 - i) for i in range(len(people) - 1)])

    result = cluster_records(records, chain, max_personal_emails=4)

    assert max(len(group) for group in _groups(result.clusters)) == 4
    assert set(result.refused_links["refused_because"]) == {
        "more personal email addresses than one person holds"
    }


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("alison.smith@bruce-foods.co.uk", "alison.smith2@bruce-foods.co.uk"),
        ("robertbrown@gmail.com", "robertbrown77@gmail.com"),
        ("robertbrown12@gmail.com", "robertbrown77@gmail.com"),
    ],
)
def test_namesakes_whose_mailboxes_differ_only_in_digits_stay_two_customers(first, second):
    records = _records(
        {"a": None, "b": None},
        names={"a": ("alison", "smith"), "b": ("alison", "smith")},
        emails={"a": first, "b": second},
    )

    result = cluster_records(records, _edges(("a", "b", 8.0)))

    assert _groups(result.clusters) == {frozenset({"a"}), frozenset({"b"})}
    assert result.refused_links["refused_because"].to_list() == [
        "two addresses at one domain that differ only in digits"
    ]
    assert _components_at_risk(
        records.with_columns(component=pl.lit(1, pl.Int64)), max_personal_emails=4
    ).to_list() == [1]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("alison.smith@bruce-foods.co.uk", "alison.smith2@gmail.com"),
        ("alison.smith@bruce-foods.co.uk", "alison.smiht@bruce-foods.co.uk"),
        ("alison.smith@bruce-foods.co.uk", "asmith@bruce-foods.co.uk"),
    ],
)
def test_one_person_may_hold_a_work_address_beside_a_personal_one_or_a_typo(first, second):
    records = _records(
        {"a": None, "b": None},
        names={"a": ("alison", "smith"), "b": ("alison", "smith")},
        emails={"a": first, "b": second},
    )

    result = cluster_records(records, _edges(("a", "b", 8.0)))

    assert _groups(result.clusters) == {frozenset({"a", "b"})}
    assert result.refused_links.is_empty()

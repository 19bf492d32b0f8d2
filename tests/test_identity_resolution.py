"""Identity resolution as a business rule book: who must merge, who must never merge.

Each test states one rule a marketer or a sales rep relies on: a person's records come
together however their email is spelled, and people who merely share a mailbox, a landline
or a birthday stay apart. The bundled Splink model is used, as in production.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from resolution import SOURCE_TABLES, ingest_source
from resolution.identity import (
    DEFAULT_MATCH_THRESHOLD,
    IdentityResolution,
    read_identity_sources,
    resolve_records,
    standardise_records,
)
from resolution.identity._alike_name import alike_name_links
from resolution.identity._explain import explain_pair
from resolution.identity._name_and_company import name_and_company_links
from resolution.identity._sole_name import sole_name_links
from resolution.identity._splink_model import (
    MODEL_PATH,
    prior_for,
    splink_settings,
    term_frequencies,
)
from resolution.identity._two_holders import two_holder_links
from tests.landing_files import record, write_landing_file


def _records(*rows: dict[str, str]) -> pl.DataFrame:
    raw = pl.DataFrame(list(rows), schema={key: pl.String for key in rows[0]}).with_columns(
        pl.col("birth_date").str.to_date()
    )
    return standardise_records(raw.with_columns(pl.lit("crm").alias("source_system")))


def _customers(records: pl.DataFrame, known_links: pl.DataFrame | None = None) -> dict[str, str]:
    result = resolve_records(records, known_links)
    return dict(result.identity_map.rows())


def _person(key: str, first: str, last: str, **fields: str) -> dict[str, str]:
    base = {"record_key": key, "first_name": first, "last_name": last, "email": None,
            "phone": None, "street": None, "postcode": None, "country": "US",
            "company": None, "birth_date": None}
    return base | fields


@pytest.mark.parametrize("address", ["oliverthompson@gmail.com", "oliverthompson+spam@gmail.com"])
def test_an_address_with_no_name_beside_it_is_read_for_one_with_or_without_a_tag(address):
    records = _records(_person("sub:1", None, None, email=address))

    assert records.select("given_name", "last_name").row(0) == ("oliver", "thompson")


def test_gmail_dots_and_plus_tags_do_not_split_a_person():
    records = _records(
        _person("crm:1", "Jane", "Doe", email="jane.doe@gmail.com"),
        _person("web:2", "Jane", "Doe", email="JaneDoe+news@googlemail.com"),
    )

    ids = _customers(records)

    assert ids["crm:1"] == ids["web:2"]


def test_a_nickname_with_the_same_phone_is_the_same_person():
    records = _records(
        _person("crm:1", "Robert", "Fischer", phone="+1 415-555-0142", company="Acme Inc"),
        _person("sup:2", "Bob", "Fischer", phone="(415) 555 0142", company="ACME"),
    )

    ids = _customers(records)

    assert ids["crm:1"] == ids["sup:2"]


def test_a_slip_in_a_nickname_does_not_make_a_work_address_look_shared():
    records = _records(
        _person("web:1", "Brad", "Levine", email="blevine@mason-robotics.com"),
        _person("web:2", "Brafd", "Levine", email="blevine@mason-robotics.com",
                phone="+1 713 871 2161"),
        _person("sup:3", "Bradley", "Levine", phone="+1 713 871 2161"),
    )

    ids = _customers(records)

    assert not records.get_column("email_is_shared").any()
    assert ids["web:1"] == ids["web:2"] == ids["sup:3"]


@pytest.mark.parametrize(
    ("other_given", "shared"),
    [
        ("Uo", False),  # Udo mistyped: a name on no list, one slip away
        ("Ida", True),  # a second real name: the family's address
    ],
)
def test_an_address_under_a_name_and_its_misspelling_is_one_persons(other_given, shared):
    records = _records(
        _person("crm:1", other_given, "Speer", email="uspeer@gmail.com"),
        _person("sub:2", "Udo", "Speer", email="uspeer@gmail.com"),
    )

    ids = _customers(records)

    assert records.get_column("email_is_shared").to_list() == [shared, shared]
    assert (ids["crm:1"] == ids["sub:2"]) is not shared


def test_colleagues_writing_from_info_at_never_merge():
    records = _records(
        _person("sup:1", "Anna", "Berg", email="info@acme.com", phone="+1 415 555 0100"),
        _person("sup:2", "Raj", "Patel", email="info@acme.com", phone="+1 415 555 0100"),
    )

    ids = _customers(records)

    assert ids["sup:1"] != ids["sup:2"]


def test_a_family_sharing_mailbox_address_and_landline_stays_apart():
    home = {"email": "thesmiths@gmail.com", "phone": "+1 617 555 0199",
            "street": "12 Elm Street", "postcode": "02139"}
    records = _records(
        _person("crm:1", "Anna", "Smith", **home, birth_date="1980-01-02"),
        _person("crm:2", "Tom", "Smith", **home, birth_date="1978-05-06"),
        _person("web:3", "Anna", "Smith", email="thesmiths@gmail.com"),
    )

    ids = _customers(records)

    assert ids["crm:1"] == ids["web:3"]
    assert ids["crm:1"] != ids["crm:2"]


def test_twins_with_the_same_birthday_and_address_stay_apart():
    shared = {"street": "4 Oak Road", "postcode": "02139", "phone": "+1 617 555 0123",
              "birth_date": "1995-07-07"}
    records = _records(
        _person("crm:1", "Emma", "Berg", email="emma.berg@gmail.com", **shared),
        _person("crm:2", "Anna", "Berg", email="anna.berg@gmail.com", **shared),
    )

    ids = _customers(records)

    assert ids["crm:1"] != ids["crm:2"]


def test_namesakes_with_different_personal_emails_stay_apart():
    records = _records(
        _person("sub:1", "John", "Smith", email="john.smith1980@gmail.com"),
        _person("sub:2", "John", "Smith", email="jsmith.nyc@yahoo.com"),
    )

    ids = _customers(records)

    assert ids["sub:1"] != ids["sub:2"]


def test_a_cookie_seen_on_a_form_joins_the_person_who_filled_it():
    records = _records(
        _person("web_events:1", "Jane", "Doe", email="jane@doe.org"),
        _person("web_cookie:abc", None, None),
    )
    stated = pl.DataFrame(
        {"record_key_l": ["web_events:1"], "record_key_r": ["web_cookie:abc"],
         "rule": ["form_submission_cookie"]}
    )

    ids = _customers(records, stated)

    assert ids["web_events:1"] == ids["web_cookie:abc"]


def test_a_stated_link_to_a_record_that_is_not_there_is_an_error_naming_it():
    records = _records(_person("web_events:1", "Jane", "Doe", email="jane@doe.org"))
    stated = pl.DataFrame(
        {"record_key_l": ["web_events:1"], "record_key_r": ["web_cookie:gone"],
         "rule": ["form_submission_cookie"]}
    )

    with pytest.raises(ValueError, match="'web_cookie:gone', which is not among the records"):
        resolve_records(records, stated)


def test_the_same_records_in_another_order_get_the_same_customer_ids():
    rows = [
        _person("crm:1", "Jane", "Doe", email="jane.doe@gmail.com"),
        _person("web:2", "Jane", "Doe", email="janedoe@gmail.com"),
        _person("sup:3", "Raj", "Patel", email="raj@patel.dev"),
    ]

    first = _customers(_records(*rows))
    again = _customers(_records(*reversed(rows)))

    assert first == again


def test_a_customer_holding_two_repeatedly_used_personal_emails_is_flagged_for_review():
    from resolution.identity import flagged_customers

    records = _records(
        _person("crm:1", "Jane", "Doe", email="jane.doe@gmail.com", phone="+1 212 736 5000"),
        _person("sub:2", "Jane", "Doe", email="jane.doe@gmail.com"),
        _person("sup:3", "Jane", "Doe", email="jdoe.nyc@yahoo.com", phone="+1 212 736 5000"),
        _person("web:4", "Jane", "Doe", email="jdoe.nyc@yahoo.com"),
        _person("crm:5", "Raj", "Patel", email="raj@patel.dev"),
    )

    result = resolve_records(records)

    flagged = flagged_customers(result)
    ids = dict(result.identity_map.rows())
    assert ids["crm:1"] == ids["sup:3"]
    assert flagged.get_column("customer_id").to_list() == [ids["crm:1"]]
    assert flagged.row(0, named=True)["personal_emails"] == [
        "janedoe@gmail.com", "jdoe.nyc@yahoo.com"
    ]


def test_namesake_mailboxes_differing_only_in_digits_or_separators_stay_apart():
    records = _records(
        _person("sub:1", "Robert", "Brown", email="robertbrown@outlook.com"),
        _person("sub:2", "Robert", "Brown", email="robertbrown2@outlook.com"),
        _person("sub:3", "Matthew", "Green", email="matthew.green@outlook.com"),
        _person("sub:4", "Matthew", "Green", email="matthew_green@outlook.com"),
    )

    ids = _customers(records)

    assert ids["sub:1"] != ids["sub:2"]
    assert ids["sub:3"] != ids["sub:4"]


def _email_level(first: dict[str, str], second: dict[str, str]) -> str:
    result = resolve_records(_records(first, second), None)
    keys = (first["record_key"], second["record_key"])
    explained = explain_pair(
        result.records, result.links, result.refused_links, result.identity_map, keys
    )
    return next(f.level for f in explained.field_weights if f.field == "email_key")


@pytest.mark.parametrize(
    ("mailbox", "lookalike"),
    [
        ("dawnaustin2", "daqwnaustin61"),
        ("mburke2", "mbrke"),
        ("kevin.sancehz", "kevinsanchez59"),
        ("juleshenry", "julie_henry"),  # two edits apart
        ("nicolerichardson", "nicloe_richardson"),
    ],
)
def test_lookalike_namesake_mailboxes_with_other_digits_are_not_typos_of_each_other(
    mailbox, lookalike
):
    level = _email_level(
        _person("sub:1", "Dawn", "Austin", email=f"{mailbox}@gmail.com"),
        _person("sub:2", "Dawn", "Austin", email=f"{lookalike}@gmail.com"),
    )

    assert level == "Two different personal (free-mail) addresses"


def test_a_mistyped_mailbox_keeping_its_digits_is_still_a_typo():
    level = _email_level(
        _person("sub:1", "Dawn", "Austin", email="dawnaustin61@gmail.com"),
        _person("sub:2", "Dawn", "Austin", email="daqwnaustin61@gmail.com"),
    )

    assert level == "Near-identical address (typo)"


def test_a_mistyped_mailbox_is_scored_against_its_owner_whose_last_name_is_cut_short():
    records = _records(
        _person("sub:1", "Arthur", "Kroker", email="arthurkroker19@gmail.com"),
        _person("soc:2", "Arthur", "K", email="arthukrroker19@gmail.com"),
    )

    pairs = resolve_records(records, None).candidate_pairs

    assert pairs.select("record_key_l", "record_key_r").rows() == [("soc:2", "sub:1")]


def _profile(key: str, handle: str) -> dict[str, str]:
    return {"record_key": key, "first_name": "Judith", "last_name": "B",
            "social_handle": handle, "birth_date": None}


def test_a_handle_with_only_a_platform_counter_does_not_join_two_profiles():
    ids = _customers(_records(_profile("x:1", "judith_b2"), _profile("ig:1", "judith_b2")))

    assert ids["x:1"] != ids["ig:1"]


def test_a_handle_with_two_digits_on_two_platforms_joins_the_profiles():
    ids = _customers(_records(_profile("x:1", "jbrandt77"), _profile("ig:1", "jbrandt77")))

    assert ids["x:1"] == ids["ig:1"]


def test_a_mistyped_mailbox_with_the_same_name_and_phone_is_the_same_person():
    records = _records(
        _person("crm:1", "Priya", "Raman", email="priya.raman@outlook.com", phone="6175550111"),
        _person("web:1", "Priya", "Raman", email="priya.rman@outlook.com", phone="617-555-0111"),
    )

    ids = _customers(records)

    assert ids["crm:1"] == ids["web:1"]


def _resolve_exports(landing: Path, contacts: list[dict[str, object]]) -> IdentityResolution:
    """Ingest a CRM contacts export (and one record in every other source), then resolve."""
    for table in SOURCE_TABLES:
        rows = contacts if table.name == "crm_contacts" else [record(table.name)]
        write_landing_file(landing, table, rows)
    with duckdb.connect() as conn:
        for table in SOURCE_TABLES:
            ingest_source(conn, landing, table)
        sources = read_identity_sources(conn)
    return resolve_records(sources.records, sources.cookie_links)


def _jane_doe(contact_id: str, **changes: str) -> dict[str, object]:
    return record(
        "crm_contacts", contact_id=contact_id, first_name="Jane", last_name="Doe",
        email="jane.doe@gmail.com", secondary_email="", phone="", account_id="", **changes,
    )


def test_contacts_the_crm_marks_as_different_people_never_share_a_customer(tmp_path):
    contacts = [_jane_doe("CON-1"), _jane_doe("CON-2", not_duplicate_of="CON-1")]

    result = _resolve_exports(tmp_path, contacts)

    ids = dict(result.identity_map.rows())
    assert ids["crm_contacts:CON-1"] != ids["crm_contacts:CON-2"]
    refused = result.refused_links.select("record_key_l", "record_key_r", "refused_because")
    assert {(frozenset(row[:2]), row[2]) for row in refused.rows()} == {
        (frozenset({"crm_contacts:CON-1", "crm_contacts:CON-2"}),
         "CRM marks them as different people")
    }


def test_contacts_the_crm_has_not_marked_merge_on_the_same_email_and_name(tmp_path):
    result = _resolve_exports(tmp_path, [_jane_doe("CON-1"), _jane_doe("CON-2")])

    ids = dict(result.identity_map.rows())
    assert ids["crm_contacts:CON-1"] == ids["crm_contacts:CON-2"]
    assert result.refused_links.is_empty()


@pytest.mark.parametrize(
    ("email", "employer"),
    [
        ("jane@hill-media.com", "hill media"),
        ("none@example.com", None),  # a placeholder
        ("info@hill-media.com", "hill media"),  # a role mailbox: its writers work there
        ("jane.doe@gmail.com", None),  # free mail
        ("jane@hill-media", None),  # invalid
    ],
)
def test_a_work_address_names_its_employer_but_a_placeholder_or_free_mail_does_not(email, employer):
    records = _records(_person("crm:1", "Jane", "Doe", email=email))

    assert records.get_column("employer").to_list() == [employer]


def test_leaving_out_near_misses_changes_no_customer():
    records = _records(
        _person("crm:1", "Priya", "Raman", email="priya.raman@outlook.com", phone="6175550111"),
        _person("web:1", "Priya", "Raman", email="priya.rman@outlook.com", phone="617-555-0111"),
        _person("sub:1", "Priya", "Ramen", email="p.raman@gmail.com"),
        _person("sub:2", "John", "Smith", email="john.smith1980@gmail.com"),
    )

    with_near_misses = resolve_records(records)
    links_only = resolve_records(records, keep_near_misses=False)

    assert with_near_misses.identity_map.sort("record_key").equals(
        links_only.identity_map.sort("record_key")
    )
    threshold = DEFAULT_MATCH_THRESHOLD
    assert (links_only.candidate_pairs["match_probability"] >= threshold).all()


def test_the_prior_falls_with_the_population_but_never_rises_above_training(tmp_path):
    model = tmp_path / "identity_model.json"
    (tmp_path / "training_population.json").write_text('{"records": 5000}')

    assert prior_for(0.001, 50_000, model) == pytest.approx(0.0001)
    assert prior_for(0.001, 5_000, model) == 0.001
    assert prior_for(0.001, 2, model) == 0.001
    assert prior_for(0.001, 50_000, tmp_path / "elsewhere" / "model.json") == 0.001


def test_the_bundled_model_blocks_pairs_as_the_settings_say():
    key = "blocking_rules_to_generate_predictions"
    saved = json.loads(MODEL_PATH.read_text())[key]
    wanted = splink_settings().create_settings_dict("duckdb")[key]

    assert [r["blocking_rule"] for r in saved] == [r["blocking_rule"] for r in wanted]


def test_the_bundled_model_weighs_by_term_frequency_what_the_settings_say():
    def adjusted(comparisons: list[dict]) -> list[tuple[str, str]]:
        return [
            (comparison["output_column_name"], level["tf_adjustment_column"])
            for comparison in comparisons
            for level in comparison["comparison_levels"]
            if level.get("tf_adjustment_column")
        ]

    saved = json.loads(MODEL_PATH.read_text())["comparisons"]
    wanted = splink_settings().create_settings_dict("duckdb")["comparisons"]

    assert adjusted(saved) == adjusted(wanted)
    assert ("company", "company") in adjusted(saved)


def test_a_small_file_scores_companies_with_the_training_population_frequencies():
    records = _records(_person("crm:1", "Jane", "Doe", company="Hill Media"))

    frequencies = term_frequencies(records)

    companies = frequencies.filter(pl.col("column") == "company")
    assert companies.height > 100
    assert companies.get_column("frequency").sum() == pytest.approx(1.0)


def test_the_bundled_model_states_every_m_value_it_predicts_with():
    model = json.loads(MODEL_PATH.read_text())
    unstated = [
        (comparison["output_column_name"], level.get("label_for_charts"))
        for comparison in model["comparisons"]
        for level in comparison["comparison_levels"]
        if not level.get("is_null_level") and level.get("m_probability") is None
    ]
    assert unstated == []


def _luise(key: str, **fields: str) -> dict[str, str]:
    return _person(key, "Luise", "Fritsch", **fields)


def test_a_profile_known_only_by_name_joins_the_one_customer_with_that_name():
    records = _records(
        _luise("crm:1", email="luise@hill-media.com", phone="+1 415 555 0142"),
        _luise("social:1"),
    )

    result = resolve_records(records)

    ids = dict(result.identity_map.rows())
    assert ids["crm:1"] == ids["social:1"]
    assert result.links.get_column("rule").to_list() == ["sole_customer_with_name"]


@pytest.mark.parametrize(
    ("address", "joins"),
    [
        ("fritschfamily@gmail.com", True),  # says which family wrote, not who
        ("luise.fritsch.1980@gmail.com", False),  # a second personal address: a namesake's?
    ],
)
def test_a_record_whose_only_contact_is_a_family_mailbox_joins_the_one_customer_with_its_name(
    address, joins
):
    records = _records(
        _luise("crm:1", email="lfritsch@gmail.com", phone="+1 415 555 0142"),
        _luise("sub:1", email=address),
    )

    ids = _customers(records)

    assert (ids["crm:1"] == ids["sub:1"]) is joins


def test_a_name_two_customers_share_joins_no_profile_known_only_by_it():
    records = _records(
        _luise("crm:1", email="luise@hill-media.com", birth_date="1980-02-01"),
        _luise("crm:2", email="lfritsch@gmail.com", birth_date="1991-07-12"),
        _luise("social:1"),
    )

    ids = _customers(records)

    assert len({ids["crm:1"], ids["crm:2"], ids["social:1"]}) == 3


def test_a_customer_with_an_address_of_its_own_is_not_moved_by_its_name():
    records = _records(
        _luise("crm:1", email="luise@hill-media.com", phone="+1 415 555 0142"),
        _luise("social:1", email="luise.f@gmail.com"),
    )

    # Whether the only two holders of a name join is the later pass's question (see
    # test_the_only_two_customers_with_a_name_join_unless_what_they_hold_differs).
    result = resolve_records(records, two_holders_threshold=1.0)

    ids = dict(result.identity_map.rows())
    assert ids["crm:1"] != ids["social:1"]


@pytest.mark.parametrize(
    ("holder_company", "joins"),
    [
        ("Davis Logistics", True),
        ("Davis Logisitcs", True),  # the same company, mistyped
        (None, True),  # the holder names no company to disagree with
        ("Kent Digital", False),  # a namesake's profile, at another company
    ],
)
def test_a_profile_joins_the_sole_holder_of_its_name_only_where_it_states_no_other_company(
    holder_company, joins
):
    records = _records(
        _luise("crm:1", email="lfritsch@gmail.com", company=holder_company),
        _luise("social:1", company="Davis Logistics"),
    )
    each_alone = records.select("record_key", pl.col("record_key").alias("cluster_key"))

    links = sole_name_links(records, each_alone, _one_pair("crm:1", "social:1", 0.8), 0.5, 0.9)

    assert links.get_column("record_key_r").to_list() == (["crm:1"] if joins else [])


def test_a_ticket_from_a_role_address_at_another_company_does_not_join_the_name_holder():
    records = _records(
        _luise("crm:1", email="lfritsch@gmail.com", company="Davis Logistics"),
        _luise("support:1", email="support@kent-digital.com"),
    )
    each_alone = records.select("record_key", pl.col("record_key").alias("cluster_key"))

    links = sole_name_links(records, each_alone, _one_pair("crm:1", "support:1", 0.8), 0.5, 0.9)

    assert links.is_empty()


def _two_luises_and_a_profile(*profile_fields: str) -> pl.DataFrame:
    return _records(
        _luise("crm:1", email="luise@hill-media.com", birth_date="1980-02-01"),
        _luise("crm:2", email="lfritsch@gmail.com", birth_date="1991-07-12"),
        _luise("social:1", **dict.fromkeys(profile_fields, "Hill Media")),
    )


def _scored(**probabilities: float) -> pl.DataFrame:
    """Splink's pairs from the profile ``social:1`` to each CRM record named."""
    holders = list(probabilities)
    return pl.DataFrame(
        {
            "record_key_l": [f"crm:{holder[-1]}" for holder in holders],
            "record_key_r": ["social:1"] * len(holders),
            "match_weight": [0.0] * len(holders),
            "match_probability": list(probabilities.values()),
        }
    )


def _one_pair(left: str, right: str, probability: float, weight: float = 0.0) -> pl.DataFrame:
    """One pair as Splink's predict returns it."""
    return pl.DataFrame(
        {
            "record_key_l": [left],
            "record_key_r": [right],
            "match_weight": [weight],
            "match_probability": [probability],
        }
    )


@pytest.mark.parametrize(
    ("scored", "joins"),
    [
        (_scored(crm1=0.8), "crm:1"),  # the other Luise scored below even odds
        (_scored(crm1=0.8, crm2=0.3), "crm:1"),
        (_scored(crm1=0.8, crm2=0.8), None),  # both plausible: ambiguous
        (_scored(crm1=0.3), None),
    ],
)
def test_a_profile_joins_the_one_holder_of_its_name_splink_finds_at_least_even_odds(
    scored, joins
):
    records = _two_luises_and_a_profile("company")
    each_alone = records.select("record_key", pl.col("record_key").alias("cluster_key"))

    links = sole_name_links(records, each_alone, scored, 0.5, 0.9)

    assert links.get_column("record_key_r").to_list() == ([joins] if joins else [])


@pytest.mark.parametrize(
    ("profiles", "probability", "linked"),
    [
        (2, 0.95, True),  # one person's profiles on two platforms
        (2, 0.8, False),  # plausible, but nothing but a name says they are one person
        (3, 0.95, False),  # a third profile of the name: which two are one person is unclear
    ],
)
def test_profiles_of_a_name_no_customer_with_an_address_holds_join_only_as_a_pair(
    profiles, probability, linked
):
    records = _records(*(_luise(f"social:{n}") for n in range(1, profiles + 1)))
    each_alone = records.select("record_key", pl.col("record_key").alias("cluster_key"))
    scored = _one_pair("social:1", "social:2", probability)

    links = sole_name_links(records, each_alone, scored, 0.5, 0.9)

    assert links.select("record_key_l", "record_key_r").rows() == (
        [("social:1", "social:2")] if linked else []
    )


def test_two_namesakes_at_two_postal_addresses_do_not_join_as_profiles_would():
    # A file of names and addresses only: nobody has an email address or phone.
    records = _records(
        _luise("crm:1", street="12 Valencia St", postcode="94110"),
        _luise("crm:2", street="400 W 34th St", postcode="10001"),
    )
    each_alone = records.select("record_key", pl.col("record_key").alias("cluster_key"))
    scored = _one_pair("crm:1", "crm:2", 0.95, weight=5.0)

    assert sole_name_links(records, each_alone, scored, 0.5, 0.9).is_empty()


def test_an_initial_two_colleagues_share_stays_ambiguous_whatever_splink_scored():
    # Splink is not asked about every colleague an initial could mean (no blocking key
    # brings "Sarah M." to Sarah Moore), so a missing score says nothing against her.
    records = _sarah_m_and_colleagues("Martinez", "Moore")
    each_alone = records.select("record_key", pl.col("record_key").alias("cluster_key"))

    links = sole_name_links(records, each_alone, _scored(crm1=0.8), 0.5, 0.9)

    assert links.is_empty()


def test_a_name_only_threshold_of_one_turns_the_rule_off():
    records = _records(
        _luise("crm:1", email="luise@hill-media.com", phone="+1 415 555 0142"),
        _luise("social:1"),
    )

    result = resolve_records(records, name_only_threshold=1.0)

    ids = dict(result.identity_map.rows())
    assert ids["crm:1"] != ids["social:1"]
    assert result.links.is_empty()


def _sarah_m_and_colleagues(*last_names: str) -> pl.DataFrame:
    """A profile "Sarah M." at Franklin Media and CRM contacts named Sarah who work there."""
    colleagues = [
        _person(
            f"crm:{i}", "Sarah", last, email=f"sarah.{last.lower()}@franklin-media.com",
            company="Franklin Media",
        )
        for i, last in enumerate(last_names, start=1)
    ]
    return _records(*colleagues, _person("social:1", "Sarah", "M", company="Franklin Media"))


def test_a_profile_showing_an_initial_joins_the_one_colleague_it_can_be():
    ids = _customers(_sarah_m_and_colleagues("Martinez", "Owens"))

    assert ids["social:1"] == ids["crm:1"] != ids["crm:2"]


def test_an_initial_two_colleagues_share_joins_the_profile_to_neither():
    ids = _customers(_sarah_m_and_colleagues("Martinez", "Miller"))

    assert len({ids["crm:1"], ids["crm:2"], ids["social:1"]}) == 3


def _lydia_khan_and(*profiles: dict[str, str]) -> dict[str, str]:
    """Lydia Khan, reachable by email, beside profiles that show at most her name."""
    lydia = _person("crm:1", "Lydia", "Khan", email="lydiakhan@gmail.com")
    result = resolve_records(_records(lydia, *profiles))
    rules = dict(result.links.select("record_key_l", "rule").rows())
    ids = dict(result.identity_map.rows())
    return ids | {f"rule of {key}": rule for key, rule in rules.items()}


def test_a_profile_showing_only_an_initial_joins_the_one_customer_it_can_mean():
    ids = _lydia_khan_and(_person("social:1", "Lydia", "K"))

    assert ids["social:1"] == ids["crm:1"]
    assert ids["rule of social:1"] == "sole_customer_with_alike_name"


def test_a_misspelt_name_joins_the_one_customer_it_is_a_typo_of():
    ids = _lydia_khan_and(_person("social:1", "Lydia", "Kahn"))

    assert ids["social:1"] == ids["crm:1"]


def test_a_profile_joins_the_customer_whose_source_wrote_the_name_the_other_way_round():
    records = _records(
        _person("crm:1", "Reed", "Mary", email="maryreed96@gmail.com"),
        _person("social:1", "Mary", "Reed"),
    )

    ids = _customers(records)

    assert ids["social:1"] == ids["crm:1"]


def test_an_initial_two_people_could_answer_to_joins_neither():
    ids = _lydia_khan_and(
        _person("social:1", "Lydia", "K"),
        _person("crm:2", "Lydia", "Kaul", email="lydia.kaul@outlook.com"),
    )

    assert len({ids["crm:1"], ids["crm:2"], ids["social:1"]}) == 3


def test_an_initial_joins_nobody_when_a_profile_with_another_name_could_be_it():
    ids = _lydia_khan_and(_person("social:1", "Lydia", "K"), _person("social:2", "Lydia", "Kaul"))

    assert len({ids["crm:1"], ids["social:1"], ids["social:2"]}) == 3


def test_a_profile_at_another_company_than_the_customer_names_stays_apart():
    lydia_at_work = _person(
        "crm:1", "Lydia", "Khan", email="lydia.khan@hill-media.com", company="Hill Media"
    )
    profile = _person("social:1", "Lydia", "K", company="Franklin Media")

    ids = _customers(_records(lydia_at_work, profile))

    assert ids["crm:1"] != ids["social:1"]


def _emily_blair_at_home_and_at_work() -> pl.DataFrame:
    return _records(
        _person(
            "crm:1", "Emily", "Blair", email="emilyblair60@gmail.com", company="Johnson Retail"
        ),
        _person("web:1", "Emily", "Blair", email="emily.blair@johnson-retail.co"),
    )


def test_one_full_name_at_one_company_is_one_person_where_splink_alone_falls_short():
    result = resolve_records(_emily_blair_at_home_and_at_work())

    assert result.identity_map.get_column("customer_id").n_unique() == 1
    assert result.links.get_column("rule").to_list() == ["same_name_and_company"]
    assert result.links.get_column("match_probability").item() < DEFAULT_MATCH_THRESHOLD


def test_a_name_and_company_threshold_of_one_turns_that_rule_off():
    records = _emily_blair_at_home_and_at_work()

    # The only two holders of the name would join in a later pass; that is off here too.
    result = resolve_records(records, name_and_company_threshold=1.0, two_holders_threshold=1.0)

    assert result.identity_map.get_column("customer_id").n_unique() == 2


def test_one_name_at_one_company_stays_two_people_when_everything_else_disagrees():
    records = _records(
        _person(
            "crm:1", "Alison", "Smith", email="alison.smith@gmail.com", phone="+1 415 555 0142",
            postcode="94110", street="12 Valencia St", company="Hill Media",
        ),
        _person(
            "crm:2", "Alison", "Smith", email="asmith@yahoo.com", phone="+1 212 555 0199",
            postcode="10001", street="400 W 34th St", company="Hill Media",
        ),
    )

    ids = _customers(records)

    assert ids["crm:1"] != ids["crm:2"]


def test_two_work_addresses_at_one_domain_are_not_a_shared_company():
    colleagues = _records(
        _person("crm:1", "Alison", "Smith", email="alison.smith@hill-media.com"),
        _person("crm:2", "Alison", "Smith", email="a.smith@hill-media.com"),
        _person("crm:3", "Alison", "Smith", email="alison.smith@gmail.com", company="Hill Media"),
    )
    scored = pl.DataFrame(
        {
            "record_key_l": ["crm:1", "crm:1"],
            "record_key_r": ["crm:2", "crm:3"],
            "match_weight": [3.0, 3.0],
            "match_probability": [0.9, 0.9],
        }
    )

    links = name_and_company_links(colleagues, scored, 0.7, DEFAULT_MATCH_THRESHOLD)

    assert links.select("record_key_l", "record_key_r").rows() == [("crm:1", "crm:3")]


def test_the_same_name_on_two_platforms_joins_the_one_reachable_customer():
    records = _records(
        _luise("crm:1", email="luise@hill-media.com", phone="+1 415 555 0142"),
        _luise("social:instagram"),
        _luise("social:x"),
    )

    ids = _customers(records)

    assert ids["crm:1"] == ids["social:instagram"] == ids["social:x"]


def test_a_warehouse_loaded_before_not_duplicate_marks_existed_still_resolves(tmp_path):
    for table in SOURCE_TABLES:
        write_landing_file(tmp_path, table, [record(table.name)])
    with duckdb.connect() as conn:
        for table in SOURCE_TABLES:
            ingest_source(conn, tmp_path, table)
        conn.execute("ALTER TABLE raw.crm_contacts DROP COLUMN not_duplicate_of")

        sources = read_identity_sources(conn)

    crm = sources.records.filter(pl.col("source_system") == "crm")
    assert crm.height == 1
    assert crm.get_column("crm_not_duplicate_of").to_list() == [None]


def _tammy(key: str, **fields: str) -> dict[str, str]:
    return _person(key, "Tammy", "Douglas", **fields)


_TAMMY_AT_WORK = _tammy(
    "crm:1", email="tammy.douglas@davis-logistics.com", company="Davis Logistics"
)


@pytest.mark.parametrize(
    ("other_records", "probability", "linked"),
    [
        ([_tammy("email:1", email="tammy.douglas@icloud.com")], 0.95, True),
        ([_tammy("email:1", email="tammy.douglas@icloud.com")], 0.6, False),  # Splink doubts it
        ([_tammy("email:1", email="tammy.douglas@icloud.com", company="Kent Digital")], 0.95,
         False),  # a second employer
        ([_tammy("email:1", email="tammy.douglas@icloud.com", phone="+44 7911 123456",
                 country=None)], 0.95, False),  # a British mobile against a customer in the US
        ([_tammy("email:1", email="tammy.douglas@icloud.com"),
          _tammy("support:1", phone="+1 312 555 0188")], 0.95,
         False),  # a third customer with the name and a phone of its own
        ([_tammy("email:1", email="tammy.douglas@icloud.com"), _tammy("social:1")], 0.95,
         True),  # a third holder with nothing but the name: a profile, often one of theirs
        ([_tammy("social:1", company="Davis Logistics")], 0.95, False),  # no address: _sole_name's
    ],
)
def test_the_only_two_customers_with_a_name_join_unless_what_they_hold_differs(
    other_records, probability, linked
):
    records = _records(_TAMMY_AT_WORK, *other_records)
    each_alone = records.select("record_key", pl.col("record_key").alias("cluster_key"))
    other = other_records[0]["record_key"]
    scored = _one_pair("crm:1", other, probability, weight=4.0)

    links = two_holder_links(records, each_alone, scored, 0.9)

    assert links.select("record_key_l", "record_key_r").rows() == (
        [("crm:1", other)] if linked else []
    )


def test_a_profile_of_the_name_joins_the_only_two_reachable_holders_once_they_are_one():
    # The profile alone could be either holder's, so it waits for the two to join.
    records = _records(
        _TAMMY_AT_WORK, _tammy("email:1", email="tammy.douglas@icloud.com"), _tammy("social:1")
    )

    ids = dict(resolve_records(records, two_holders_threshold=0.0).identity_map.rows())

    assert ids["crm:1"] == ids["email:1"] == ids["social:1"]


@pytest.mark.parametrize(
    ("others", "linked"),
    [
        # 200 other people: Tammy Douglas would turn up twice by chance 0.02 times.
        ([_person(f"crm:x{n}", f"Given{n}", f"Surname{n}") for n in range(200)], True),
        # 200 other Tammys and Douglases: the name is common here, two of them are likely.
        (
            [_tammy(f"crm:x{n}", last_name=f"Surname{n}") for n in range(100)]
            + [_tammy(f"crm:y{n}", first_name=f"Given{n}") for n in range(100)],
            False,
        ),
    ],
)
def test_the_only_two_holders_of_a_rare_name_join_at_even_odds(others, linked):
    records = _records(_TAMMY_AT_WORK, _tammy("email:1", email="tammy.douglas@icloud.com"), *others)
    each_alone = records.select("record_key", pl.col("record_key").alias("cluster_key"))
    scored = _one_pair("crm:1", "email:1", 0.7, weight=1.0)

    links = two_holder_links(records, each_alone, scored, 0.9)

    assert links.select("record_key_l", "record_key_r", "rule").rows() == (
        [("crm:1", "email:1", "only_two_customers_with_rare_name")] if linked else []
    )


def test_birth_dates_that_differ_keep_the_only_two_holders_of_a_name_apart():
    records = _records(
        _tammy("crm:1", email="tammy.douglas@davis-logistics.com", birth_date="1980-02-01"),
        _tammy("crm:2", email="tammy.douglas@icloud.com", birth_date="1991-07-12"),
    )
    each_alone = records.select("record_key", pl.col("record_key").alias("cluster_key"))
    scored = _one_pair("crm:1", "crm:2", 0.95, weight=4.0)

    assert two_holder_links(records, each_alone, scored, 0.9).is_empty()


def test_two_personal_addresses_keep_the_only_two_holders_of_a_name_apart():
    # The person the rule is for has one work address and one personal one.
    records = _records(
        _tammy("crm:1", email="tammy.douglas@icloud.com"),
        _tammy("email:1", email="tammydouglas@gmail.com"),
    )
    each_alone = records.select("record_key", pl.col("record_key").alias("cluster_key"))
    scored = _one_pair("crm:1", "email:1", 0.95, weight=4.0)

    assert two_holder_links(records, each_alone, scored, 0.9).is_empty()


def test_the_only_two_holders_of_a_name_end_to_end_and_a_threshold_of_one_turns_it_off():
    records = _records(_TAMMY_AT_WORK, _tammy("email:1", email="tammy.douglas@icloud.com"))

    joined = resolve_records(records, two_holders_threshold=0.0)
    apart = resolve_records(records, two_holders_threshold=1.0)

    assert joined.links.get_column("rule").to_list() == ["only_two_customers_with_name"]
    assert joined.identity_map.get_column("customer_id").n_unique() == 1
    assert apart.identity_map.get_column("customer_id").n_unique() == 2


@pytest.mark.parametrize(
    ("others", "joined"),
    [
        # 200 other people: a Mann Josephine in this order would turn up 0.005 times.
        ([_person(f"crm:x{n}", f"Given{n}", f"Surname{n}") for n in range(200)], True),
        # 100 people named Mann and 100 named Josephine: she could be another of them.
        (
            [_person(f"crm:x{n}", "Mann", f"Surname{n}") for n in range(100)]
            + [_person(f"crm:y{n}", f"Given{n}", "Josephine") for n in range(100)],
            False,
        ),
    ],
)
def test_a_rare_name_written_backwards_joins_its_one_holder_though_its_initial_is_shared(
    others, joined
):
    # A profile shows "Mann J." and its handle spells the rest in the same order. Jennifer
    # Mann read backwards is also "Mann J.", so the initial alone leads nowhere.
    records = _records(
        _person("social:1", "Mann", "J", social_handle="mann.josephine"),
        _person("crm:1", "Josephine", "Mann", email="josephine.mann@winter-solutions.com"),
        _person("crm:2", "Jennifer", "Mann", email="jmann@yahoo.com"),
        *others,
    )
    each_alone = records.select("record_key", pl.col("record_key").alias("cluster_key"))
    nothing_moved = pl.DataFrame(schema={"record_key_l": pl.String})

    links = alike_name_links(records, each_alone, nothing_moved)

    assert links.select("record_key_l", "record_key_r").rows() == (
        [("social:1", "crm:1")] if joined else []
    )


def _alike_links(*rows: dict[str, str]) -> list[tuple[str, str]]:
    """The alike rule's links among ``rows``, each record a customer of its own."""
    records = _records(*rows)
    each_alone = records.select("record_key", pl.col("record_key").alias("cluster_key"))
    links = alike_name_links(records, each_alone, pl.DataFrame(schema={"record_key_l": pl.String}))
    return links.select("record_key_l", "record_key_r").rows()


@pytest.mark.parametrize(
    ("profile", "holder"),
    [
        (("Urth", "Owens"), ("Ruth", "Owens")),
        (("Jessica", "Bell"), ("Jessiva", "Bell")),
        (("Aym", "Hernandez"), ("Amy", "Hernandez")),  # short names slip too
    ],
)
def test_a_given_name_misspelt_on_either_side_leads_the_profile_to_its_one_holder(
    profile, holder
):
    links = _alike_links(
        _person("social:1", *profile), _person("crm:1", *holder, email="rbo@yahoo.com")
    )

    assert links == [("social:1", "crm:1")]


def test_two_real_given_names_one_letter_apart_are_not_a_misspelling():
    assert _alike_links(
        _person("social:1", "Mary", "Owens"), _person("crm:1", "Mark", "Owens", email="m@aol.com")
    ) == []


def test_a_misspelt_given_name_two_customers_could_be_joins_neither():
    links = _alike_links(
        _person("social:1", "Urth", "Owens"),
        _person("crm:1", "Ruth", "Owens", email="ruth.owens@yahoo.com"),
        _person("crm:2", "Ruth", "Owens", email="ruthowens1@gmail.com"),
    )

    assert links == []


def test_a_woman_known_by_a_nickname_and_a_man_at_one_address_are_two_people():
    # Kristy (Christine or Christina) reads much like Christopher.
    address = {"street": "149 Richard Skyway", "postcode": "74315"}
    records = _records(
        _person("crm:1", "Christopher", "Keller", birth_date="1967-11-02", **address),
        _person("crm:2", "Christopher", "Keller", **address),
        _person("crm:3", "Kristy", "Keller", **address),
    )

    ids = _customers(records)

    assert ids["crm:1"] == ids["crm:2"] != ids["crm:3"]

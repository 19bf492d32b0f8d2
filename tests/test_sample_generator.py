"""Specification of the synthetic sample generator (``synthetic.generate_sample``).

Everything downstream in c360 (ingestion schemas, quarantine, identity resolution and its
evaluation) is developed and demonstrated against this generator's output, so these tests
pin down what that code relies on: the exact file contract, determinism, a complete ground
truth, and that each realism feature a resolver must cope with (in-system duplicates,
cross-system noise, hard negatives, invalid rows) is really present in the data.

One small sample is generated once per session and shared, to keep the suite fast.
"""

import re
from pathlib import Path

import numpy as np
import phonenumbers
import polars as pl
import pytest

from resolution.normalise import normalise_phone
from synthetic import SampleSummary, generate_sample
from synthetic._noise import PHONE_STYLES, canonical_email, fold_accents, format_phone
from synthetic._places import LANDLINE_AREAS, MOBILE_PREFIXES, PhoneBook
from synthetic._vocab import NICKNAMES

PEOPLE = 500
SEED = 7

FILES = {
    "crm_accounts": "crm/accounts.csv",
    "crm_contacts": "crm/contacts.csv",
    "crm_subscriptions": "crm/subscriptions.csv",
    "web_events": "web/events.jsonl",
    "email_subscribers": "email/subscribers.csv",
    "email_events": "email/events.jsonl",
    "social_interactions": "social/interactions.jsonl",
    "support_tickets": "support/tickets.csv",
}
COLUMNS = {
    "crm_accounts": [
        "account_id",
        "name",
        "domain",
        "industry",
        "employee_count",
        "billing_street",
        "billing_city",
        "billing_postcode",
        "billing_country",
        "owner_name",
        "owner_email",
        "created_at",
        "updated_at",
    ],
    "crm_contacts": [
        "contact_id",
        "account_id",
        "first_name",
        "last_name",
        "email",
        "secondary_email",
        "phone",
        "mobile_phone",
        "job_title",
        "street",
        "city",
        "postcode",
        "country",
        "birth_date",
        "lifecycle_stage",
        "lead_status",
        "owner_email",
        "email_opt_out",
        "created_at",
        "updated_at",
        "not_duplicate_of",
    ],
    "crm_subscriptions": [
        "subscription_id",
        "account_id",
        "contact_id",
        "product",
        "status",
        "start_date",
        "end_date",
        "amount",
        "currency",
    ],
    "web_events": [
        "event_id",
        "anonymous_id",
        "event_type",
        "timestamp",
        "page_url",
        "page_topic",
        "form_id",
        "fields_requested",
        "traits",
    ],
    "email_subscribers": [
        "subscriber_id",
        "email",
        "first_name",
        "last_name",
        "status",
        "opt_in_at",
        "last_changed_at",
        "country",
    ],
    "email_events": [
        "event_id",
        "subscriber_id",
        "email",
        "event_type",
        "bounce_type",
        "campaign_id",
        "campaign_name",
        "campaign_topic",
        "timestamp",
        "url",
        "anonymous_id",
    ],
    "social_interactions": [
        "interaction_id",
        "platform",
        "handle",
        "display_name",
        "email",
        "company",
        "interaction_type",
        "timestamp",
    ],
    "support_tickets": [
        "ticket_id",
        "requester_name",
        "requester_email",
        "requester_phone",
        "company",
        "subject",
        "channel",
        "priority",
        "status",
        "created_at",
        "updated_at",
        "solved_at",
        "requested_fields",
    ],
}
ID_COLUMNS = {name: columns[0] for name, columns in COLUMNS.items()}
PERSON_TABLES = [name for name in FILES if name != "crm_accounts"]
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ROLE_EMAIL = re.compile(r"^(info|sales|support)@")
PLACEHOLDER_EMAILS = ["noemail@example.com", "none@none.com"]
PLACEHOLDER_PHONES = ["0000000000", "000-000-0000"]
IDENTIFIERS = {
    # table: (id column, email columns, phone columns) of the records that identify someone
    "crm_contacts": ("contact_id", ["email", "secondary_email"], ["phone", "mobile_phone"]),
    "email_subscribers": ("subscriber_id", ["email"], []),
    "support_tickets": ("ticket_id", ["requester_email"], ["requester_phone"]),
    "web_events": ("event_id", ["email"], ["phone"]),  # form submissions
}
ISOLATED_AT_MOST = {
    # Measured on this sample: 3.6%, 8.8%, 11.8% and 4.9% (before the person-level email
    # habits: 24%, 32%, 25%, 16%). About half of the isolated tickets were sent from a
    # colleague-shared inbox, which only name and company can tie to their sender.
    "crm_contacts": 0.08,
    "email_subscribers": 0.12,
    "support_tickets": 0.15,
    "web_events": 0.08,
}


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SampleSummary:
    return generate_sample(PEOPLE, SEED, tmp_path_factory.mktemp("sample"))


def _read(path: Path) -> pl.DataFrame:
    if path.suffix == ".jsonl":
        return pl.read_ndjson(path, infer_schema_length=None)
    return pl.read_csv(path, infer_schema=False)


@pytest.fixture(scope="session")
def tables(sample: SampleSummary) -> dict[str, pl.DataFrame]:
    return {name: _read(sample.landing_dir / path) for name, path in FILES.items()}


@pytest.fixture(scope="session")
def truth(sample: SampleSummary) -> pl.DataFrame:
    return pl.read_csv(sample.ground_truth_dir / "ground_truth.csv", infer_schema=False)


@pytest.fixture(scope="session")
def persons(sample: SampleSummary) -> pl.DataFrame:
    return pl.read_csv(sample.ground_truth_dir / "persons.csv", infer_schema=False)


@pytest.fixture(scope="session")
def negatives(sample: SampleSummary) -> pl.DataFrame:
    return pl.read_csv(sample.ground_truth_dir / "hard_negatives.csv", infer_schema=False)


@pytest.fixture(scope="session")
def records(tables: dict[str, pl.DataFrame], truth: pl.DataFrame) -> pl.DataFrame:
    """Person-level view of all records: names, email and phone as each system wrote them."""
    web = tables["web_events"].filter(pl.col("event_type") == "form_submit").unnest("traits")
    parts = {
        "crm_contacts": tables["crm_contacts"].select(
            "contact_id", "first_name", "last_name", "email", "phone", "city"
        ),
        "email_subscribers": tables["email_subscribers"].select(
            "subscriber_id", "first_name", "last_name", "email"
        ),
        "web_events": web.select("event_id", "first_name", "last_name", "email", "phone"),
        "support_tickets": tables["support_tickets"].select(
            "ticket_id",
            pl.col("requester_email").alias("email"),
            pl.col("requester_phone").alias("phone"),
        ),
        "email_events": tables["email_events"].select("event_id", "email"),
        "social_interactions": tables["social_interactions"].select("interaction_id", "email"),
    }
    frames = [
        frame.rename({ID_COLUMNS[name]: "record_id"})
        .with_columns(pl.lit(name).alias("source_table"))
        .join(truth, on=["source_table", "record_id"], how="inner")
        for name, frame in parts.items()
    ]
    return pl.concat(frames, how="diagonal")


@pytest.fixture(scope="session")
def evidence(
    tables: dict[str, pl.DataFrame], truth: pl.DataFrame, persons: pl.DataFrame
) -> pl.DataFrame:
    """One row per identity field of a record (``value`` null when empty), with its person
    and a standardised ``key``: ``email:<mailbox>`` or ``phone:<E.164>`` (null if none).

    Emails are standardised the simple way (trimmed, lower case, ``+tag`` dropped, Gmail
    dots dropped); phones with the resolver's ``normalise_phone`` in the person's country,
    which turns invalid numbers and placeholders into nulls.
    """
    forms = tables["web_events"].filter(pl.col("event_type") == "form_submit").unnest("traits")
    frames = {**tables, "web_events": forms}
    parts = []
    for table, (id_column, emails, phones) in IDENTIFIERS.items():
        frame = frames[table].select(
            pl.lit(table).alias("source_table"),
            pl.col(id_column).alias("record_id"),
            *[pl.col(c).alias(f"email:{c}") for c in emails],
            *[pl.col(c).alias(f"phone:{c}") for c in phones],
        )
        long = frame.unpivot(index=["source_table", "record_id"], variable_name="field")
        parts.append(long.with_columns(pl.col("field").str.extract(r"^(\w+):").alias("kind")))
    rows = (
        pl.concat(parts)
        .join(truth, on=["source_table", "record_id"])
        .join(persons.select("person_id", "country"), on="person_id")
    )
    email = pl.col("value").str.strip_chars().str.to_lowercase()
    local, domain = email.str.extract(r"^([^@+]*)"), email.str.extract(r"@(.+)$")
    local = (
        pl.when(domain == "gmail.com")
        .then(local.str.replace_all(".", "", literal=True))
        .otherwise(local)
    )
    phone = normalise_phone(rows.get_column("value"), rows.get_column("country"))
    return rows.with_columns(phone.alias("e164")).with_columns(
        pl.when(pl.col("kind") == "phone")
        .then(pl.lit("phone:") + pl.col("e164"))
        .when(~email.is_in(PLACEHOLDER_EMAILS))
        .then(pl.lit("email:") + local + "@" + domain)
        .alias("key")
    )


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _fold(text: str) -> str:
    """Lower-case ASCII spelling, to compare names regardless of case and accents."""
    return fold_accents(text.strip()).lower()


def _one_edit_apart(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


# --- determinism and contract -------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(sample: SampleSummary, tmp_path: Path) -> None:
    again = generate_sample(PEOPLE, SEED, tmp_path)
    root = sample.landing_dir.parent
    assert again.rows_per_table == sample.rows_per_table
    assert _files(tmp_path) == _files(root)


def test_different_seed_gives_different_files(sample: SampleSummary, tmp_path: Path) -> None:
    generate_sample(PEOPLE, SEED + 1, tmp_path)
    ours, theirs = _files(sample.landing_dir.parent), _files(tmp_path)
    assert ours.keys() == theirs.keys()
    assert all(ours[name] != theirs[name] for name in ours)


@pytest.mark.parametrize("people", [1, 7])
def test_tiny_populations_still_write_every_file(people: int, tmp_path: Path) -> None:
    summary = generate_sample(people, SEED, tmp_path)
    assert sorted(
        str(p.relative_to(summary.landing_dir)) for p in summary.landing_dir.rglob("*.*")
    ) == sorted(FILES.values())


def test_an_empty_population_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate_sample(0, SEED, tmp_path)


def test_every_table_has_exactly_the_contract_columns_and_rows(
    sample: SampleSummary, tables: dict[str, pl.DataFrame]
) -> None:
    assert set(sample.rows_per_table) == set(FILES)
    for name, frame in tables.items():
        assert frame.columns == COLUMNS[name], name
        assert frame.height > 0, name
        assert frame.height == sample.rows_per_table[name], name
    assert sorted(p.name for p in sample.ground_truth_dir.iterdir()) == [
        "ground_truth.csv",
        "hard_negatives.csv",
        "persons.csv",
    ]


def test_web_events_is_the_largest_table(sample: SampleSummary) -> None:
    rows = sample.rows_per_table
    assert max(rows, key=rows.get) == "web_events"


def test_ids_timestamps_dates_and_booleans_use_the_documented_formats(
    tables: dict[str, pl.DataFrame], persons: pl.DataFrame
) -> None:
    id_formats = {
        "crm_accounts": r"^ACC-\d{6}$",
        "crm_contacts": r"^CON-\d{7}$",
        "crm_subscriptions": r"^SUB-\d{6}$",
        "email_subscribers": r"^SUBR-\d{6}$",
        "support_tickets": r"^TKT-\d{6}$",
        "web_events": r"^evt_[0-9a-f]+$",
    }
    for name, pattern in id_formats.items():
        ids = tables[name].get_column(ID_COLUMNS[name]).drop_nulls()
        assert ids.str.contains(pattern).all(), name
    assert persons.get_column("person_id").str.contains(r"^P\d{6}$").all()
    web = tables["web_events"]
    assert (
        web.get_column("anonymous_id")
        .str.contains(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$")
        .all()
    )
    stamps = pl.concat(
        [
            tables["web_events"]["timestamp"],
            tables["email_events"]["timestamp"],
            tables["crm_contacts"]["created_at"],
        ]
    )
    assert stamps.str.contains(TIMESTAMP.pattern).mean() > 0.99
    assert tables["crm_contacts"]["birth_date"].drop_nulls().str.contains(DATE.pattern).all()
    assert set(tables["crm_contacts"]["email_opt_out"].unique()) == {"true", "false"}
    assert tables["crm_subscriptions"]["amount"].str.contains(r"^-?\d+\.\d{2}$").all()


def test_activity_stays_inside_the_fixed_time_window(tables: dict[str, pl.DataFrame]) -> None:
    for name, column in [
        ("web_events", "timestamp"),
        ("email_events", "timestamp"),
        ("social_interactions", "timestamp"),
        ("support_tickets", "created_at"),
        ("crm_contacts", "updated_at"),
    ]:
        values = tables[name][column].drop_nulls()
        valid = values.filter(values.str.contains(TIMESTAMP.pattern))
        assert valid.min() >= "2023-01-01T00:00:00Z", name
        assert valid.max() <= "2026-10-31T23:59:59Z", name


# --- ground truth -------------------------------------------------------------------------


def test_ground_truth_lists_every_person_record_exactly_once(
    tables: dict[str, pl.DataFrame], truth: pl.DataFrame
) -> None:
    assert truth.select("source_table", "record_id").is_unique().all()
    assert "crm_accounts" not in truth["source_table"].unique().to_list()
    for name in PERSON_TABLES:
        frame = tables[name]
        if name == "crm_subscriptions":
            frame = frame.filter(pl.col("contact_id").is_not_null())
        ids = set(frame[ID_COLUMNS[name]].drop_nulls().to_list())
        listed = set(truth.filter(pl.col("source_table") == name)["record_id"].to_list())
        assert ids <= listed, name
        # Rows whose id was deliberately blanked keep their original id in ground truth.
        assert len(listed - ids) <= frame[ID_COLUMNS[name]].null_count(), name


def test_every_ground_truth_person_is_described_in_persons(
    truth: pl.DataFrame, persons: pl.DataFrame
) -> None:
    assert persons.height == PEOPLE
    assert persons["person_id"].is_unique().all()
    assert set(truth["person_id"].unique().to_list()) <= set(persons["person_id"].to_list())


def test_presence_in_each_system_follows_the_design(truth: pl.DataFrame) -> None:
    systems = truth.with_columns(pl.col("source_table").str.split("_").list.first().alias("s"))
    share = dict(systems.group_by("s").agg(pl.col("person_id").n_unique() / PEOPLE).iter_rows())
    assert 0.4 < share["crm"] < 0.6
    assert 0.5 < share["web"] < 0.8
    assert 0.45 < share["email"] < 0.65
    assert 0.15 < share["social"] < 0.35
    assert 0.15 < share["support"] < 0.4


def test_crm_holds_duplicate_contacts_for_some_people(truth: pl.DataFrame) -> None:
    per_person = truth.filter(pl.col("source_table") == "crm_contacts").group_by("person_id").len()
    duplicated = (per_person["len"] >= 2).sum()
    assert duplicated >= 3
    assert duplicated / per_person.height < 0.12


def test_a_good_share_of_people_appear_in_at_least_three_systems(truth: pl.DataFrame) -> None:
    systems = truth.with_columns(pl.col("source_table").str.split("_").list.first().alias("s"))
    per_person = systems.group_by("person_id").agg(pl.col("s").n_unique())
    assert (per_person["s"] >= 3).sum() / PEOPLE > 0.25


def test_only_members_of_one_household_share_a_phone_number(persons: pl.DataFrame) -> None:
    shared = persons.group_by("phone").agg(pl.col("household_id").n_unique())
    assert (shared["household_id"] == 1).all()


def test_phone_book_redraws_numbers_it_already_handed_out() -> None:
    rng = np.random.Generator(np.random.PCG64(1))
    book, countries = PhoneBook(rng), np.array(["US", "GB", "DE", "FR"] * 50, dtype=object)
    state = rng.bit_generator.state
    first = book.numbers(countries, MOBILE_PREFIXES)
    rng.bit_generator.state = state  # replay the same draws: every number now clashes
    second = book.numbers(countries, MOBILE_PREFIXES)
    assert len(set(first) | set(second)) == 2 * len(countries)


# --- hard negatives -----------------------------------------------------------------------


def _pairs(negatives: pl.DataFrame, persons: pl.DataFrame, relation: str) -> pl.DataFrame:
    pairs = negatives.filter(pl.col("relation") == relation)
    return pairs.join(persons, left_on="person_id_a", right_on="person_id").join(
        persons, left_on="person_id_b", right_on="person_id", suffix="_b"
    )


def test_hard_negatives_cover_every_relation_between_different_people(
    negatives: pl.DataFrame,
) -> None:
    assert set(negatives["relation"].unique()) == {
        "family",
        "twin",
        "colleague_shared_inbox",
        "namesake",
    }
    assert (negatives["person_id_a"] != negatives["person_id_b"]).all()
    assert negatives.is_unique().all()


def test_family_members_share_address_phone_and_last_name_but_not_first_name(
    negatives: pl.DataFrame, persons: pl.DataFrame
) -> None:
    family = _pairs(negatives, persons, "family")
    assert family.height > 0
    assert (family["street"] == family["street_b"]).all()
    assert (family["phone"] == family["phone_b"]).all()
    assert (family["last_name"] == family["last_name_b"]).all()
    assert (family["first_name"] != family["first_name_b"]).all()


def test_twins_share_birth_date_address_and_phone(
    negatives: pl.DataFrame, persons: pl.DataFrame
) -> None:
    twins = _pairs(negatives, persons, "twin")
    assert twins.height > 0
    for column in ("birth_date", "last_name", "street", "phone"):
        assert (twins[column] == twins[f"{column}_b"]).all(), column
    assert (twins["first_name"] != twins["first_name_b"]).all()
    assert (twins["twin_of"] == twins["person_id_b"]).all()


def test_colleagues_sharing_an_inbox_both_use_the_role_address_in_records(
    negatives: pl.DataFrame, records: pl.DataFrame, truth: pl.DataFrame
) -> None:
    colleagues = negatives.filter(pl.col("relation") == "colleague_shared_inbox")
    assert colleagues.height > 0
    role = records.filter(pl.col("email").str.contains(ROLE_EMAIL.pattern))
    users = role.group_by("email").agg(pl.col("person_id").unique())
    user_sets = [set(ids) for ids in users["person_id"].to_list()]
    # A ticket whose id was blanked (an invalid row) cannot be attributed from the files.
    blanked = set(
        truth.join(records, on=["source_table", "record_id"], how="anti")
        .filter(pl.col("source_table") == "support_tickets")["person_id"]
        .to_list()
    )
    for a, b in colleagues.select("person_id_a", "person_id_b").iter_rows():
        assert any({a, b} <= ids for ids in user_sets) or {a, b} & blanked, (a, b)


def test_namesakes_share_a_full_name_but_not_email_or_household(
    negatives: pl.DataFrame, persons: pl.DataFrame
) -> None:
    namesakes = _pairs(negatives, persons, "namesake")
    assert namesakes.height >= 6
    assert (namesakes["first_name"] == namesakes["first_name_b"]).all()
    assert (namesakes["last_name"] == namesakes["last_name_b"]).all()
    assert (namesakes["personal_email"] != namesakes["personal_email_b"]).all()
    assert (namesakes["household_id"] != namesakes["household_id_b"]).all()
    assert {"John Smith", "Maria Garcia", "James Brown"} <= set(
        (namesakes["first_name"] + " " + namesakes["last_name"]).to_list()
    )


def test_the_crm_marks_about_half_the_look_alike_people_on_file_as_different_people(
    tables: dict[str, pl.DataFrame], truth: pl.DataFrame, negatives: pl.DataFrame
) -> None:
    # Ground truth lists the contacts in file order, under the ids they were generated with.
    crm = truth.filter(pl.col("source_table") == "crm_contacts")
    person_of = dict(crm.select("record_id", "person_id").iter_rows())
    marks = pl.DataFrame(
        {
            "person": crm["person_id"],
            "other": tables["crm_contacts"]["not_duplicate_of"],
        }
    ).drop_nulls()
    assert marks.height > 0
    assert marks["other"].is_in(list(person_of)).all()
    marked = {frozenset((person, person_of[other])) for person, other in marks.iter_rows()}
    on_file = set(person_of.values())
    look_alike = {
        frozenset((a, b)): relation for a, b, relation in negatives.iter_rows() if {a, b} <= on_file
    }
    assert marked <= set(look_alike)
    assert {look_alike[pair] for pair in marked} <= {"family", "twin", "namesake"}
    reviewable = [
        pair for pair, relation in look_alike.items() if relation != "colleague_shared_inbox"
    ]
    assert 0.3 <= len(marked) / len(reviewable) <= 0.6


# --- noise --------------------------------------------------------------------------------


def test_gmail_addresses_vary_by_dots_and_plus_tags_for_the_same_mailbox(
    records: pl.DataFrame,
) -> None:
    gmail = records.filter(pl.col("email").str.to_lowercase().str.ends_with("@gmail.com"))
    assert gmail["email"].str.contains(r"\+").any()
    spellings = (
        gmail.with_columns(
            pl.col("email").map_elements(canonical_email, return_dtype=pl.String).alias("mailbox")
        )
        .group_by("person_id", "mailbox")
        .agg(pl.col("email").n_unique())
    )
    assert (spellings["email"] >= 2).any()


def test_people_use_work_and_personal_addresses_in_different_records(
    records: pl.DataFrame, persons: pl.DataFrame
) -> None:
    both = (
        records.join(persons, on="person_id")
        .group_by("person_id")
        .agg(
            (pl.col("email") == pl.col("personal_email")).any().alias("personal"),
            (pl.col("email") == pl.col("work_email")).any().alias("work"),
        )
    )
    assert both.filter(pl.col("personal") & pl.col("work")).height >= 10


def test_nicknames_stand_in_for_formal_first_names(
    records: pl.DataFrame, persons: pl.DataFrame
) -> None:
    nick = pl.DataFrame(
        [(formal, n) for formal, nicks in NICKNAMES.items() for n in nicks],
        schema=["true_first", "record_first"],
        orient="row",
    )
    seen = records.join(
        persons.select("person_id", pl.col("first_name").alias("true_first")), on="person_id"
    ).with_columns(pl.col("first_name").str.strip_chars().alias("record_first"))
    assert seen.join(nick, on=["true_first", "record_first"]).height >= 3


def test_accents_are_kept_in_some_records_and_stripped_in_others(
    records: pl.DataFrame, persons: pl.DataFrame
) -> None:
    accented = persons.filter(
        pl.col("first_name")
        != pl.col("first_name").map_elements(fold_accents, return_dtype=pl.String)
    )
    assert accented.height > 0
    seen = records.join(
        accented.select("person_id", pl.col("first_name").alias("truth")), on="person_id"
    ).filter(pl.col("first_name").is_not_null())
    with_accent = seen.filter(pl.col("first_name") == pl.col("truth"))
    folded = seen.filter(
        pl.col("first_name") == pl.col("truth").map_elements(fold_accents, return_dtype=pl.String)
    )
    assert set(with_accent["person_id"]) & set(folded["person_id"])


def test_names_carry_typos_swaps_case_and_whitespace_noise(
    records: pl.DataFrame, persons: pl.DataFrame
) -> None:
    seen = records.filter(pl.col("first_name").is_not_null() & pl.col("last_name").is_not_null())
    seen = seen.join(
        persons.select(
            "person_id", pl.col("first_name").alias("f"), pl.col("last_name").alias("l")
        ),
        on="person_id",
    )
    rows = seen.select("first_name", "last_name", "f", "l").iter_rows()
    typo = swapped = cased = padded = 0
    for first, last, true_first, true_last in rows:
        typo += _one_edit_apart(_fold(first), _fold(true_first)) or _one_edit_apart(
            _fold(last), _fold(true_last)
        )
        swapped += first == true_last and last == true_first
        cased += first in (true_first.lower(), true_first.upper()) and first != true_first
        padded += first != first.strip() or "  " in first
    assert typo >= 3 and swapped >= 1 and cased >= 3 and padded >= 1


def test_some_people_changed_last_name_or_moved_house(
    records: pl.DataFrame, persons: pl.DataFrame
) -> None:
    seen = records.join(
        persons.select(
            "person_id",
            pl.col("first_name").alias("f"),
            pl.col("last_name").alias("l"),
            pl.col("city").alias("true_city"),
        ),
        on="person_id",
    )
    named = seen.filter(pl.col("first_name").is_not_null() & pl.col("last_name").is_not_null())
    renamed = 0
    for first, last, true_first, true_last in named.select(
        "first_name", "last_name", "f", "l"
    ).iter_rows():
        same_first = _fold(first) == _fold(true_first)
        other_last = _fold(last) != _fold(true_last)
        renamed += same_first and other_last and not _one_edit_apart(_fold(last), _fold(true_last))
    moved = seen.filter(pl.col("city").is_not_null() & (pl.col("city") != pl.col("true_city")))
    assert renamed >= 1
    assert moved.height >= 1


def test_phone_numbers_are_written_in_many_formats(records: pl.DataFrame) -> None:
    phones = records["phone"].drop_nulls()
    styles = {
        "e164": r"^\+\d{9,15}$",
        "international_spaced": r"^\+\d{1,2} \d+ ",
        "international_dashed": r"^\+1 \d{3}-\d{3}-\d{4}$",
        "parentheses": r"^\(\d+\) ",
        "digits_only": r"^\d{10,11}$",
        "international_prefix": r"^00\d{1,2} ",
        "dotted": r"^\d+\.\d+\.\d+$",
    }
    found = {name for name, pattern in styles.items() if phones.str.contains(pattern).any()}
    assert found == set(styles)


def test_placeholder_emails_and_phones_appear_in_a_few_rows(records: pl.DataFrame) -> None:
    assert records["email"].is_in(["noemail@example.com", "none@none.com"]).any()
    assert records["phone"].is_in(["0000000000", "000-000-0000"]).any()
    assert records["email"].is_in(["noemail@example.com", "none@none.com"]).mean() < 0.02


def test_family_mailboxes_are_used_by_more_than_one_family_member(records: pl.DataFrame) -> None:
    family = records.filter(pl.col("email").str.contains(r"^(\w+family|the\w+s)@"))
    shared = family.group_by("email").agg(pl.col("person_id").n_unique())
    assert (shared["person_id"] >= 2).any()


# --- cross-system links and invalid rows --------------------------------------------------


def _owned(events: pl.DataFrame, table: str, truth: pl.DataFrame) -> pl.DataFrame:
    """Events of ``table`` with the person each one is about."""
    return (
        events.rename({"event_id": "record_id"})
        .with_columns(pl.lit(table).alias("source_table"))
        .join(truth, on=["source_table", "record_id"])
    )


def test_email_clicks_carry_a_cookie_of_the_same_person_seen_on_the_web(
    tables: dict[str, pl.DataFrame], truth: pl.DataFrame
) -> None:
    clicks = tables["email_events"].filter(pl.col("event_type") == "click")
    tracked = clicks.filter(pl.col("anonymous_id").is_not_null())
    assert 0.5 < tracked.height / clicks.height < 0.9
    click_owner = _owned(tracked.select("event_id", "anonymous_id"), "email_events", truth)
    web_owner = _owned(tables["web_events"].select("event_id", "anonymous_id"), "web_events", truth)
    cookies = web_owner.select("anonymous_id", pl.col("person_id").alias("web_person")).unique()
    linked = click_owner.join(cookies, on="anonymous_id", how="left")
    assert linked["web_person"].null_count() == 0
    assert (linked["person_id"] == linked["web_person"]).all()


def test_form_traits_hold_only_the_fields_the_form_asked_for(
    tables: dict[str, pl.DataFrame],
) -> None:
    web = tables["web_events"]
    views = web.filter(pl.col("event_type") == "page_view")
    assert views["traits"].null_count() == views.height
    forms = web.filter(pl.col("event_type") == "form_submit")
    assert forms.height > 0
    for asked, traits in forms.select("fields_requested", "traits").iter_rows():
        assert {key for key, value in traits.items() if value is not None} <= set(asked)
        assert "email" in asked


def test_a_few_rows_per_table_are_invalid_in_ways_a_schema_catches(
    tables: dict[str, pl.DataFrame],
) -> None:
    for name, frame in tables.items():
        missing_ids = frame[ID_COLUMNS[name]].null_count()
        assert 1 <= missing_ids < max(2, 0.01 * frame.height), name
    assert (tables["web_events"]["timestamp"] == "31/02/2025 25:61").any() or (
        ~tables["web_events"]["timestamp"].str.contains(TIMESTAMP.pattern)
    ).any()
    assert tables["email_events"]["event_type"].is_in(["opened"]).any()
    assert tables["crm_subscriptions"]["amount"].str.starts_with("-").any()
    assert (~tables["crm_accounts"]["employee_count"].drop_nulls().str.contains(r"^\d+$")).any()
    assert tables["crm_contacts"]["lifecycle_stage"].is_in(["Customer!"]).any()


# --- evidence that ties a person's records together ---------------------------------------


def test_records_of_one_person_share_an_email_or_phone_with_another_of_their_records(
    evidence: pl.DataFrame,
) -> None:
    """A record that shares nothing with the person's other records cannot be linked by
    any resolver; noise, mixed work/personal use and shared mailboxes leave only a few so.

    People count as having several records when they have two or more CRM contacts,
    subscribers, tickets or form submissions (social profiles mostly carry no email).
    """
    records = evidence.select("source_table", "record_id", "person_id").unique()
    several = records.group_by("person_id").len().filter(pl.col("len") > 1).select("person_id")
    keys = evidence.drop_nulls("key").select("source_table", "record_id", "person_id", "key")
    linked = (
        keys.join(keys, on=["person_id", "key"], suffix="_other")
        .filter(
            (pl.col("source_table") != pl.col("source_table_other"))
            | (pl.col("record_id") != pl.col("record_id_other"))
        )
        .select("source_table", "record_id", pl.lit(True).alias("linked"))
        .unique()
    )
    isolated = dict(
        records.join(several, on="person_id")
        .join(linked, on=["source_table", "record_id"], how="left")
        .group_by("source_table")
        .agg(pl.col("linked").is_null().mean())
        .iter_rows()
    )
    for table, bound in ISOLATED_AT_MOST.items():
        assert isolated[table] <= bound, (table, isolated[table])


def test_people_give_their_main_address_in_most_records_and_their_other_one_at_times(
    evidence: pl.DataFrame, persons: pl.DataFrame
) -> None:
    addresses = persons.filter(pl.col("work_email").is_not_null()).select(
        "person_id",
        pl.col("personal_email").map_elements(canonical_email, return_dtype=pl.String),
        pl.col("work_email").str.to_lowercase(),
    )
    used = (
        evidence.filter((pl.col("kind") == "email") & (pl.col("field") != "email:secondary_email"))
        .with_columns(pl.col("key").str.strip_prefix("email:").alias("mailbox"))
        .join(addresses, on="person_id")
        .filter(
            (pl.col("mailbox") == pl.col("personal_email"))
            | (pl.col("mailbox") == pl.col("work_email"))
        )
        .group_by("person_id")
        .agg(
            pl.len().alias("records"),
            (pl.col("mailbox") == pl.col("work_email")).sum().alias("work"),
        )
        .filter(pl.col("records") >= 3)
    )
    main = pl.max_horizontal("work", pl.col("records") - pl.col("work"))
    both = (pl.col("work") > 0) & (pl.col("work") < pl.col("records"))
    # Records-weighted share of each person's most used address, people using both.
    assert 0.8 < used.select(main.sum() / pl.col("records").sum()).item() < 0.97
    assert 0.15 < used.select(both.mean()).item() < 0.6


def test_crm_contacts_filed_under_a_work_address_often_list_the_personal_one(
    tables: dict[str, pl.DataFrame], truth: pl.DataFrame, persons: pl.DataFrame
) -> None:
    contacts = (
        tables["crm_contacts"]
        .rename({"contact_id": "record_id"})
        .join(truth.filter(pl.col("source_table") == "crm_contacts"), on="record_id")
        .join(persons, on="person_id", suffix="_true")
        .filter(pl.col("email") == pl.col("work_email"))
    )
    personal = contacts["secondary_email"].str.to_lowercase() == contacts["personal_email"]
    assert contacts.height >= 50
    assert 0.35 < personal.fill_null(False).mean() < 0.65


def test_support_and_web_forms_carry_the_person_s_own_addresses_and_phones(
    evidence: pl.DataFrame, persons: pl.DataFrame
) -> None:
    own = persons.select(
        "person_id",
        pl.col("personal_email").map_elements(canonical_email, return_dtype=pl.String),
        pl.col("work_email").str.to_lowercase(),
    )
    emails = (
        evidence.filter(
            pl.col("source_table").is_in(["support_tickets", "web_events"])
            & (pl.col("kind") == "email")
            & pl.col("value").is_not_null()
        )
        .with_columns(pl.col("key").str.strip_prefix("email:").alias("mailbox"))
        .join(own, on="person_id")
    )
    mine = (pl.col("mailbox") == pl.col("personal_email")) | (
        pl.col("mailbox") == pl.col("work_email")
    )
    assert emails.select(mine.mean()).item() > 0.8
    # Phones are the person's own: a number several people give is their home line or
    # their company's switchboard, never a chance collision.
    shared = (
        evidence.filter(pl.col("kind") == "phone")
        .drop_nulls("e164")
        .join(persons.select("person_id", "household_id", "account_id"), on="person_id")
        .group_by("e164")
        .agg(pl.col("person_id", "household_id", "account_id").n_unique())
        .filter(pl.col("person_id") > 1)
    )
    assert shared.height > 0
    assert ((shared["household_id"] == 1) | (shared["account_id"] == 1)).all()


def test_subscribers_and_social_profiles_carry_names_emails_and_companies(
    tables: dict[str, pl.DataFrame], truth: pl.DataFrame, persons: pl.DataFrame
) -> None:
    subscribers = tables["email_subscribers"]
    named = subscribers["first_name"].is_not_null() & subscribers["last_name"].is_not_null()
    assert 0.78 < named.mean() < 0.92
    social = tables["social_interactions"]
    profiles = social.group_by("platform", pl.col("handle").str.to_lowercase()).agg(
        pl.col("email").is_not_null().any()
    )
    assert 0.2 < profiles["email"].mean() < 0.4
    linkedin = social.filter(pl.col("platform") == "linkedin")
    assert 0.7 < linkedin["company"].is_not_null().mean() < 0.9
    stated = (
        social.filter(pl.col("email").is_not_null())
        .rename({"interaction_id": "record_id"})
        .join(truth.filter(pl.col("source_table") == "social_interactions"), on="record_id")
        .join(persons, on="person_id", suffix="_true")
        .select(
            pl.col("email").map_elements(canonical_email, return_dtype=pl.String),
            pl.col("personal_email").map_elements(canonical_email, return_dtype=pl.String),
            pl.col("work_email").str.to_lowercase(),
        )
    )
    assert stated.height > 0
    own = (pl.col("email") == pl.col("personal_email")) | (pl.col("email") == pl.col("work_email"))
    assert stated.select(own.mean()).item() > 0.9


# --- phone numbers ------------------------------------------------------------------------


def test_phone_numbers_in_records_are_valid_in_the_person_s_country(
    evidence: pl.DataFrame, persons: pl.DataFrame
) -> None:
    phones = evidence.filter(
        (pl.col("kind") == "phone")
        & pl.col("value").is_not_null()
        & ~pl.col("value").is_in(PLACEHOLDER_PHONES)
    )
    assert phones.height > 100
    assert phones["e164"].is_not_null().mean() >= 0.97
    for number in persons["phone"].to_list():
        assert phonenumbers.is_valid_number(phonenumbers.parse(number)), number


@pytest.mark.parametrize("plan", [LANDLINE_AREAS, MOBILE_PREFIXES], ids=["landline", "mobile"])
def test_every_phone_template_gives_valid_numbers_that_read_back_in_every_style(plan) -> None:
    book = PhoneBook(np.random.Generator(np.random.PCG64(3)))
    for country, areas in plan.items():
        templates = {(a, t) for a, area in enumerate(areas) for t in range(len(area))}
        numbers = book.numbers(np.array([country] * 60 * len(templates), dtype=object), plan)
        e164 = [format_phone(number, 0) for number in numbers]
        for number in e164:
            parsed = phonenumbers.parse(number)
            assert phonenumbers.is_valid_number(parsed), number
            assert phonenumbers.region_code_for_number(parsed) == country, number
        for style in range(len(PHONE_STYLES)):
            typed = pl.Series([format_phone(number, style) for number in numbers])
            assert normalise_phone(typed, country).to_list() == e164, (country, style)

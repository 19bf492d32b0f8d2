"""Normalisation contract: equal identities compare equal, fake or shared ones never link.

Records about one person arrive spelt differently by each system (``José`` / ``JOSE``,
``(415) 555 0142`` / ``+1 415-555-0142``, ``Jane.Doe+news@googlemail.com`` /
``janedoe@gmail.com``), and some identifiers belong to nobody or to everybody (``n/a``,
``info@acme.com``, ``0000000000``). Linking is only as good as these normal forms, so each
case below is a spelling real exports contain. The functions must also stay fast on a
million rows, which they do by working once per distinct value.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import phonenumbers
import polars as pl
import pytest
from email_validator import EmailNotValidError, validate_email
from faker import Faker
from nameparser import HumanName
from polars.testing import assert_frame_equal, assert_series_equal

import resolution.normalise.phones as phones_module
from resolution.normalise import (
    FALLBACK_REGION,
    canonical_given_name,
    canonical_last_name,
    company_as_its_addresses_spell_it,
    company_from_email_domain,
    formal_name_of_nickname,
    given_name_from_usernames,
    given_name_gender,
    given_name_spellings,
    last_name_from_handle,
    last_name_from_mailbox,
    names_from_mailbox,
    names_in_order,
    normalise_city,
    normalise_company,
    normalise_country,
    normalise_email,
    normalise_handle,
    normalise_name,
    normalise_phone,
    normalise_postcode,
    normalise_street,
    split_full_name,
)
from resolution.normalise._given_names import FORMAL_GIVEN_NAMES, NICKNAME_OVERRIDES

REPO_ROOT = Path(__file__).resolve().parents[1]


def one(function, value, *args):
    """Apply a column function to a single value and return the single result."""
    return function(pl.Series("value", [value], dtype=pl.String), *args).item()


def email_field(value: str | None, field: str):
    return normalise_email(pl.Series([value], dtype=pl.String))[field].item()


# --- Names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("José", "jose"),
        ("Müller", "muller"),
        ("Zoë", "zoe"),
        ("Straße", "strasse"),
        ("O'Brien", "obrien"),
        ("O’Brien", "obrien"),
        ("OBrien", "obrien"),
        ("  Mary-Jane  ", "mary-jane"),
        ("JANE   DOE", "jane doe"),
        ("Smith - Jones", "smith jones"),
        ("-Jane-", "jane"),
        ("J.R.", "jr"),
        ("Doe,Jane", "doe jane"),
        ("", None),
        ("   ", None),
        ("---", None),
        (None, None),
    ],
)
def test_names_are_lower_case_ascii_words_without_punctuation(typed, expected):
    assert one(normalise_name, typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Bob", "robert"),
        ("bill", "william"),
        ("Liz", "elizabeth"),
        ("Kate", "katherine"),
        ("Peggy", "margaret"),
        ("Mike", "michael"),
        ("JIM", "james"),
        ("  bobby ", "robert"),
        ("Jack", "john"),
        ("Steve", "steven"),
        ("Al", "alexander"),
        ("Hannes", "johannes"),
        ("Robert", "robert"),
        ("William", "william"),
        ("John", "john"),
        ("Mary", "mary"),
        ("Catherine", "catherine"),
        ("José", "jose"),
        ("Zoë", "zoe"),
        ("Xanthippe", "xanthippe"),
        ("Bob Jr", "bob jr"),
        ("", None),
        (None, None),
    ],
)
def test_nicknames_become_the_formal_given_name_and_formal_names_stay(typed, expected):
    assert one(canonical_given_name, typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Brafd", "bradley"),  # a letter added to a nickname: brad -> bradley
        ("Mkie", "michael"),  # two letters swapped in a nickname
        ("Eoldie", "elodie"),
        ("Jonatha", "jonathan"),  # a letter dropped
        ("Kwvin", "kevin"),  # a letter changed
        ("Evans", "evans"),  # a surname in the first-name field is not a slip for Evan
        ("Xanthippe", "xanthippe"),  # unknown, and no known name one slip away
        ("Mija", "mija"),  # one slip from several names (mia, maja, mina...): left alone
        ("Edd", "edd"),  # too short to tell a slip from another name
    ],
)
def test_a_misspelt_given_name_is_read_as_the_one_name_it_is_a_slip_from(typed, expected):
    assert one(canonical_given_name, typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("wlison", "wilson"),  # two letters swapped
        ("greren", "green"),  # a letter added
        ("leonte", "leconte"),  # a letter dropped
        ("smith", "smith"),  # a listed surname stays
        ("evans", "evans"),
        ("barera", "barera"),  # one slip from barrera and from others: left alone
        ("zzqx", "zzqx"),  # unknown, and no surname one slip away
        ("lii", "lii"),  # too short to tell a slip from another name
        (None, None),
    ],
)
def test_a_misspelt_last_name_is_read_as_the_one_surname_it_is_a_slip_from(typed, expected):
    assert canonical_last_name(pl.Series([typed], dtype=pl.String)).to_list() == [expected]


def test_canonical_given_name_is_a_fixed_point_so_both_sides_of_a_comparison_agree():
    table = formal_name_of_nickname()
    assert set(table.values()) <= set(FORMAL_GIVEN_NAMES)
    once = canonical_given_name(pl.Series(sorted(table)))
    assert_series_equal(canonical_given_name(once), once)


def test_given_name_data_is_consistent():
    assert len(set(FORMAL_GIVEN_NAMES)) == len(FORMAL_GIVEN_NAMES)
    formal = pl.Series(FORMAL_GIVEN_NAMES)
    assert_series_equal(normalise_name(formal), formal)
    assert not set(NICKNAME_OVERRIDES) & set(FORMAL_GIVEN_NAMES)
    assert set(NICKNAME_OVERRIDES.values()) <= set(FORMAL_GIVEN_NAMES)


def test_nickname_mapping_is_the_same_in_every_process():
    """The nicknames data is read into sets, whose order changes with the hash seed."""
    script = (
        "import json; from resolution.normalise import formal_name_of_nickname as f; "
        "print(json.dumps(sorted(f().items())))"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=REPO_ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO_ROOT)},
            stdout=subprocess.PIPE,
            text=True,
        )
        for seed in ("1", "2")
    ]
    tables = [json.loads(run.communicate(timeout=60)[0]) for run in runs]
    in_this_process = [list(item) for item in sorted(formal_name_of_nickname().items())]
    assert tables[0] == tables[1] == in_this_process


@pytest.mark.parametrize(
    ("full_name", "first", "last"),
    [
        ("Jane Doe", "jane", "doe"),
        ("jane  doe", "jane", "doe"),
        ("Doe, Jane", "jane", "doe"),
        ("Dr. Jane A. Doe", "jane", "doe"),
        ("JANE DOE", "jane", "doe"),
        ("Jane", "jane", None),
        ("José Müller", "jose", "muller"),
        ("Mary-Jane O'Brien", "mary-jane", "obrien"),
        ("Ludwig van Beethoven", "ludwig", "van beethoven"),
        ("John Smith Jr.", "john", "smith"),
        ("", None, None),
        (None, None, None),
    ],
)
def test_full_names_split_into_first_and_last(full_name, first, last):
    parts = split_full_name(pl.Series([full_name], dtype=pl.String))
    assert parts.columns == ["first_name", "last_name"]
    assert parts.row(0) == (first, last)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Figueroa", "Melissa", ("Melissa", "Figueroa")),
        ("DAVIES", "Katy", ("Katy", "DAVIES")),
        ("Müller", "Jürgen", ("Jürgen", "Müller")),
        # Either name could be either part, or the lists do not know one: left as typed.
        ("Smith", "James", ("Smith", "James")),
        ("Lee", "Jennifer", ("Lee", "Jennifer")),
        ("Martin", "Aurelio", ("Martin", "Aurelio")),
        ("Jane", "Doe", ("Jane", "Doe")),
        (None, "Jones", (None, "Jones")),
        ("Schmidt", None, ("Schmidt", None)),
    ],
)
def test_a_surname_typed_first_is_swapped_back_only_when_both_names_say_so(first, last, expected):
    ordered = names_in_order(
        pl.Series([first], dtype=pl.String), pl.Series([last], dtype=pl.String)
    )
    assert ordered.columns == ["first_name", "last_name"]
    assert ordered.row(0) == expected


@pytest.mark.parametrize(
    ("others", "swapped"),
    [
        # Robert is a French surname too, so the lists leave "Smith James"-like pairs alone;
        # here the records use Smith as a last name and Robert as a first name.
        ([("Robert", "Jones"), ("Robert", "Brown"), ("Robert", "Hill"), ("Jane", "Smith"),
          ("Tom", "Smith"), ("Ann", "Smith")], True),
        # Used both ways about as often: left as typed.
        ([("Robert", "Jones"), ("Ann", "Robert"), ("Smith", "Tom"), ("Jane", "Smith")], False),
    ],
)
def test_a_pair_the_records_use_the_other_way_round_is_swapped_back(others, swapped):
    firsts, lasts = zip(("Smith", "Robert"), *others, strict=True)
    ordered = names_in_order(pl.Series(firsts), pl.Series(lasts))
    assert ordered.row(0) == (("Robert", "Smith") if swapped else ("Smith", "Robert"))


def test_splitting_plain_two_word_names_without_nameparser_gives_nameparsers_answer():
    names = set()
    for locale in ("en_US", "en_GB", "de_DE", "fr_FR"):
        fake = Faker(locale)
        fake.seed_instance(7)
        names |= {f"{fake.first_name()} {fake.last_name()}" for _ in range(400)}
    names = sorted(names)
    parsed = [HumanName(name.lower()) for name in names]
    expected = pl.DataFrame(
        {
            "first_name": normalise_name(pl.Series([name.first for name in parsed])),
            "last_name": normalise_name(pl.Series([name.last for name in parsed])),
        }
    )
    assert_frame_equal(split_full_name(pl.Series(names)), expected)


# --- Emails ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (" Jane.Doe@Acme.COM ", "jane.doe@acme.com"),
        ("jane.doe+news@gmail.com", "jane.doe+news@gmail.com"),
        ("josé@münchen.de", "josé@münchen.de"),
        ("jane@acme", None),
        ("jane@@acme.com", None),
        ("jane doe@acme.com", None),
        ("jane..doe@acme.com", None),
        ("jane@localhost", None),
        ("jane@acme.test", None),
        ("n/a", None),
        ("", None),
        (None, None),
    ],
)
def test_email_is_lower_case_or_null_when_invalid(typed, expected):
    assert email_field(typed, "email") == expected


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Jane.Doe+news@GoogleMail.com", "janedoe@gmail.com"),
        ("j.a.n.e.doe@gmail.com", "janedoe@gmail.com"),
        ("janedoe@gmail.com", "janedoe@gmail.com"),
        ("jane.doe+shop@acme.com", "jane.doe@acme.com"),
        ("jane.doe@acme.com", "jane.doe@acme.com"),
        ("jane@acme", None),
        (None, None),
    ],
)
def test_email_match_key_is_the_inbox_mail_is_delivered_to(typed, key):
    assert email_field(typed, "email_match_key") == key


def test_email_domain_is_the_part_after_the_at_sign():
    assert email_field("Jane@Mail.Acme.co.uk", "email_domain") == "mail.acme.co.uk"
    assert email_field("nonsense", "email_domain") is None


@pytest.mark.parametrize(
    ("typed", "is_role"),
    [
        ("info@acme.com", True),
        ("Sales@acme.com", True),
        ("support@acme.com", True),
        ("no-reply@acme.com", True),
        ("no_reply@acme.com", True),
        ("donotreply@acme.com", True),
        ("postmaster@acme.com", True),
        ("hr@acme.com", True),
        ("info+leads@acme.com", True),
        ("jane.doe@acme.com", False),
        ("jane@info.com", False),
        ("info@", False),
        (None, False),
    ],
)
def test_shared_mailboxes_are_flagged_as_role(typed, is_role):
    assert email_field(typed, "email_is_role") is is_role


@pytest.mark.parametrize(
    ("typed", "is_placeholder"),
    [
        ("noemail@example.com", True),
        ("none@none.com", True),
        ("x@x.com", True),
        ("aaa@gmail.com", True),
        ("test@acme.com", True),
        ("no@acme.com", True),
        ("na@acme.com", True),
        ("jane.doe@example.org", True),
        ("jane.doe@mail.test", True),
        ("n/a", True),
        ("None", True),
        ("jane.doe@acme.com", False),
        ("ann@gmail.com", False),
        ("", False),
        (None, False),
    ],
)
def test_made_up_addresses_are_flagged_as_placeholder(typed, is_placeholder):
    assert email_field(typed, "email_is_placeholder") is is_placeholder


@pytest.mark.parametrize(
    "domain",
    [
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "outlook.com",
        "outlook.de", "hotmail.co.uk", "live.com", "msn.com", "icloud.com", "me.com", "aol.com",
        "proton.me", "protonmail.com", "gmx.de", "gmx.net", "web.de", "t-online.de",
        "orange.fr", "free.fr", "laposte.net", "btinternet.com", "sky.com", "yandex.ru",
        "mail.ru",
    ],
)  # fmt: skip
def test_consumer_providers_are_flagged_as_freemail(domain):
    assert email_field(f"jane.doe@{domain}", "email_is_freemail") is True


@pytest.mark.parametrize("domain", ["acme.com", "outlook.acme.com", "yahoo-inc.com", "acme.de"])
def test_company_domains_are_not_freemail(domain):
    assert email_field(f"jane.doe@{domain}", "email_is_freemail") is False


@pytest.mark.parametrize(
    ("typed", "is_personal"),
    [
        ("jane.doe@acme.com", True),
        ("jane.doe@gmail.com", True),
        ("info@acme.com", False),
        ("noemail@example.com", False),
        ("jane@acme", False),
        (None, False),
    ],
)
def test_only_valid_addresses_of_one_person_are_personal(typed, is_personal):
    assert email_field(typed, "email_is_personal") is is_personal


def test_email_validity_is_email_validators_verdict_for_every_shape():
    """Plain addresses skip the validator; the shortcut must never disagree with it."""
    rng = np.random.default_rng(3)

    def word(characters: str) -> str:
        return "".join(rng.choice(list(characters), rng.integers(1, 8)))

    top_level = ["com", "co.uk", "de", "c0m", "local", "test", "x"]
    fuzz = [f"{word('ab9.-_+')}@{word('ab9.-')}.{rng.choice(top_level)}" for _ in range(3000)]
    edge_cases = [
        "a@b.co", "a.b@c-d.com", "a-@b.com", "a@-b.com", "a@b-.com", "a@b..com", "a@ab--cd.com",
        "a@xn--mnchen-3ya.de", "a@b.c0m", "a@b.onion", "a@b.arpa", "a@b.local", ".a@b.com",
        "a.@b.com", "a+b@c.com", "_@b.com", f"{'a' * 64}@b.com", f"{'a' * 65}@b.com",
        f"a@{'b' * 63}.com", f"a@{'b' * 64}.com",
    ]  # fmt: skip

    def verdict(address: str) -> str | None:
        try:
            return validate_email(address, check_deliverability=False).normalized
        except EmailNotValidError:
            return None

    addresses = edge_cases + fuzz
    expected = pl.Series("email", [verdict(address) for address in addresses], dtype=pl.String)
    assert_series_equal(normalise_email(pl.Series(addresses))["email"], expected)


@pytest.mark.parametrize(
    ("typed", "email", "key", "domain", "is_role"),
    [
        ("Jane@Acme\u3002com", "jane@acme.com", "jane@acme.com", "acme.com", False),
        ("INFO@ACME\uff0eCOM", "info@acme.com", "info@acme.com", "acme.com", True),
        ("No-Reply+x@xn--mnchen-3ya.de", "no-reply+x@münchen.de", "no-reply@münchen.de",
         "münchen.de", True),
        ("Jose\u0301.Doe+x@GoogleMail.com", "josé.doe+x@googlemail.com", "josédoe@gmail.com",
         "googlemail.com", False),
    ],
)  # fmt: skip
def test_addresses_the_validator_rewrites_are_classified_as_rewritten(
    typed, email, key, domain, is_role
):
    """Full-width dots, punycode and decomposed accents: the key, domain and role come from
    the address email-validator returns, also next to addresses it returns as typed."""
    column = pl.Series([typed, "jane.doe@acme.com", typed.lower()])
    fields = normalise_email(column).select(
        "email", "email_match_key", "email_domain", "email_is_role"
    )
    assert fields.row(0) == fields.row(2) == (email, key, domain, is_role)
    assert fields.row(1) == ("jane.doe@acme.com", "jane.doe@acme.com", "acme.com", False)


# --- Phones ------------------------------------------------------------------------------


@pytest.fixture(params=["by phonenumbers", "in bulk"])
def phone_reading(request, monkeypatch):
    """A few numbers are read by phonenumbers one by one; many are read in bulk. Run both."""
    if request.param == "in bulk":
        monkeypatch.setattr(phones_module, "_MIN_NUMBERS_IN_BULK", 1)


def phonenumbers_e164(typed: str | None, country: str | None) -> str | None:
    """``normalise_phone``'s answer from phonenumbers alone, one value at a time, as it was
    computed before numbers were read in bulk: the reference the bulk reading must match."""
    number = re.sub(r"[\s().\-/]", "", typed or "")
    region = (country or "").strip().upper()
    region = region if region in phonenumbers.SUPPORTED_REGIONS else FALLBACK_REGION
    attempts = [number, "+" + number[2:]] if number.startswith("00") else [number]
    for attempt in filter(None, attempts):
        try:
            parsed = phonenumbers.parse(attempt, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            national = phonenumbers.national_significant_number(parsed)
            runs = ("01234567890123456789", "98765432109876543210")
            if len(set(national)) == 1 or any(national in run for run in runs):
                return None
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return None


def typed_every_way(number: phonenumbers.PhoneNumber) -> list[str]:
    """The ways sources type a number: ``+14155550142``, ``+1 415 555 0142``,
    ``+1 415-555-0142``, ``020 7946 0958``, ``(020) 7946 0958``, ``4155550142``,
    ``0044 20 7946 0958``, ``011 44 20 7946 0958`` (valid from the US only), ``415.555.0142``."""
    formats = phonenumbers.PhoneNumberFormat
    code, *groups = re.findall(r"\d+", phonenumbers.format_number(number, formats.INTERNATIONAL))
    national = re.findall(r"\d+", phonenumbers.format_number(number, formats.NATIONAL))
    return [
        f"+{code}{''.join(groups)}",
        f"+{code} {' '.join(groups)}",
        f"+{code} {'-'.join(groups)}",
        " ".join(national),
        f"({national[0]}) {' '.join(national[1:])}",
        "".join(national),
        f"00{code} {' '.join(groups)}",
        f"011 {code} {' '.join(groups)}",
        ".".join(national),
    ]


def random_digits(rng: np.random.Generator, count: int) -> list[str]:
    """Digit strings of every length, some after a ``+``, an international or a national
    prefix: too short, too long, unknown country codes, invalid in any plan."""
    prefixes = ["", "", "+", "00", "011", "0", "1", "+1 ", "+44 ", "+49 ", "+33 ", "+39 "]
    return [
        rng.choice(prefixes) + "".join(rng.choice(list("0123456789"), rng.integers(1, 22)))
        for _ in range(count)
    ]


def test_phones_read_in_bulk_get_phonenumbers_answer():
    """20,000 numbers from several countries typed every way, in their own or another
    record country: reading them in bulk gives what phonenumbers gives one by one."""
    rng = np.random.default_rng(5)
    own_country = {"en_US": "US", "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR", "it_IT": "IT",
                   "es_ES": "ES", "nl_NL": "NL", "en_CA": "CA", "pt_BR": "BR", "ja_JP": "JP",
                   "en_AU": "AU", "en_IN": "IN"}  # fmt: skip
    typed, countries = [], []
    for locale, country in own_country.items():
        fake = Faker(locale)
        fake.seed_instance(5)
        for number in {fake.phone_number() for _ in range(350)}:
            try:
                ways = typed_every_way(phonenumbers.parse(number, country))
            except phonenumbers.NumberParseException:
                ways = []
            typed += [number, *map(str, rng.choice(ways, min(len(ways), 3), replace=False))]
            countries += [country] * (len(typed) - len(countries))
    others = np.array(["US", "GB", "DE", "FR", "IT", "CA", "JP", "AG", "JE", "ZZ", "Germany", None])
    swap = rng.random(len(countries)) < 0.2  # a number read in another record country
    countries = [
        rng.choice(others) if other else own for own, other in zip(countries, swap, strict=True)
    ]
    edge_cases = [
        "+1 415-555-0142", "(415) 555 0142", "4155550142", "001 415 555 0142", "+44 20 7946 0958",
        "020 7946 0958", "030 1234567", "0000000000", "000-000-0000", "1234567890", "555", "",
        "+1 415 555 0142 ext. 12", "call me", "00", "+", "0044", "00441", "+441", "++44 20 794",
        "14155550142", "442079460958", "33142685300", "4930123456789012", "3300142685300",
        "44002079460958", "1114155550142",
    ]  # fmt: skip
    for country in ("US", "GB", "DE", "FR", "CA", None):
        typed += edge_cases
        countries += [country] * len(edge_cases)
    typed += random_digits(rng, 6000)
    countries += list(rng.choice(others, len(typed) - len(countries)))

    expected = [
        phonenumbers_e164(number, country) for number, country in zip(typed, countries, strict=True)
    ]
    read = normalise_phone(pl.Series("phone", typed), pl.Series("country", countries))
    assert_series_equal(read, pl.Series("phone", expected, dtype=pl.String))
    assert len(typed) > 20_000 and read.is_not_null().sum() > 8_000


def test_numbers_in_the_usual_shapes_are_read_without_phonenumbers(monkeypatch):
    """Valid US, GB, DE and FR numbers typed the ways sources type them never reach
    ``phonenumbers.parse``: that is what makes standardising a million rows fast."""
    numbers, countries = [], []
    for locale, country in {"en_US": "US", "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR"}.items():
        fake = Faker(locale)
        fake.seed_instance(9)
        for typed in {fake.phone_number().partition("x")[0] for _ in range(600)}:
            try:
                number = phonenumbers.parse(typed, country)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                ways = typed_every_way(number)
                numbers += ways
                countries += [country] * len(ways)
    expected = [
        phonenumbers_e164(number, country)
        for number, country in zip(numbers, countries, strict=True)
    ]

    def no_parsing(*args, **kwargs):
        raise AssertionError(f"phonenumbers.parse{args} called")

    monkeypatch.setattr(phones_module.phonenumbers, "parse", no_parsing)
    read = normalise_phone(pl.Series("phone", numbers), pl.Series("country", countries))
    assert_series_equal(read, pl.Series("phone", expected, dtype=pl.String))
    assert read.is_not_null().sum() > 5_000


def test_every_numbering_plan_is_read_in_bulk_as_phonenumbers_reads_it(monkeypatch):
    """Every region's example numbers, with digits changed (valid or not), typed every way
    and read in their own or another region: every plan's prefixes and patterns agree."""
    monkeypatch.setattr(phones_module, "_MIN_NUMBERS_IN_BULK", 1)
    rng = np.random.default_rng(8)
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    typed, countries = [], []
    for region in regions:
        for kind in phonenumbers.PhoneNumberType.values():
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            national = phonenumbers.national_significant_number(example)
            changed = rng.integers(1, len(national) + 1)
            digits = national[:-changed] + "".join(rng.choice(list("0123456789"), changed))
            number = phonenumbers.parse(f"+{example.country_code}{digits}")
            ways = list(map(str, rng.choice(typed_every_way(number), 4, replace=False)))
            typed += ways
            countries += [region if rng.random() < 0.7 else rng.choice(regions) for _ in ways]
    expected = [
        phonenumbers_e164(number, country) for number, country in zip(typed, countries, strict=True)
    ]
    read = normalise_phone(pl.Series("phone", typed), pl.Series("country", countries))
    assert_series_equal(read, pl.Series("phone", expected, dtype=pl.String))


@pytest.mark.parametrize(
    ("typed", "country", "e164"),
    [
        ("+1 415-555-0142", "US", "+14155550142"),
        ("(415) 555 0142", "US", "+14155550142"),
        ("4155550142", "US", "+14155550142"),
        ("415.555.0142", "US", "+14155550142"),
        ("001 415 555 0142", "US", "+14155550142"),
        ("+1 415 555 0142 ext. 12", "US", "+14155550142"),
        ("+44 20 7946 0958", "GB", "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("+44 20 7946 0958", "US", "+442079460958"),
        ("0044 20 7946 0958", "DE", "+442079460958"),
        ("030 1234567", "DE", "+49301234567"),
        ("01 42 68 53 00", "FR", "+33142685300"),
        ("4155550142", None, "+14155550142"),
        ("4155550142", "United States", "+14155550142"),
        ("0000000000", "US", None),
        ("000-000-0000", "US", None),
        ("1111111111", "US", None),
        ("1234567890", "US", None),
        ("1234567890", "GB", None),
        ("555", "US", None),
        ("call me", "US", None),
        ("", "US", None),
        (None, "US", None),
    ],
)
@pytest.mark.usefixtures("phone_reading")
def test_phones_become_e164_read_in_the_records_country(typed, country, e164):
    phones = pl.Series([typed], dtype=pl.String)
    assert normalise_phone(phones, pl.Series([country], dtype=pl.String)).item() == e164


def test_one_country_can_be_given_for_every_phone():
    phones = pl.Series("phone", ["020 7946 0958", None])
    assert_series_equal(normalise_phone(phones, "GB"), pl.Series("phone", ["+442079460958", None]))


# --- Addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "country", "expected"),
    [
        ("sw1a1aa", "GB", "SW1A 1AA"),
        (" SW1A  1AA ", "GB", "SW1A 1AA"),
        ("m11ae", "gb", "M1 1AE"),
        ("LONDON", "GB", None),
        ("94105-1234", "US", "94105"),
        ("94105", "US", "94105"),
        ("2139", "US", "02139"),
        ("N/A", "US", None),
        ("10115", "DE", "10115"),
        ("D-10115", "DE", "10115"),
        ("1067", "DE", "01067"),
        ("75001 Paris", "FR", "75001"),
        ("1011  ab", "NL", "1011 AB"),
        ("k1a 0b1", None, "K1A 0B1"),
        ("", "GB", None),
        (None, "GB", None),
    ],
)
def test_postcodes_take_their_countrys_standard_form(typed, country, expected):
    postcodes = pl.Series([typed], dtype=pl.String)
    assert normalise_postcode(postcodes, pl.Series([country], dtype=pl.String)).item() == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12 Baker Street", "12 baker st"),
        ("12 baker st.", "12 baker st"),
        ("221B  Baker St.,  Apt 4", "221b baker st apt 4"),
        ("5th Avenue", "5th ave"),
        ("Abbey Road", "abbey rd"),
        ("Hauptstraße 5", "hauptstr 5"),
        ("Hauptstr. 5", "hauptstr 5"),
        ("Berliner Strasse 10", "berliner str 10"),
        ("10 Rue de la Paix", "10 rue de la paix"),
        ("10 r. de la Paix", "10 rue de la paix"),
        ("Boulevard Saint-Michel", "blvd st michel"),
        ("", None),
        (None, None),
    ],
)
def test_street_words_have_one_spelling(typed, expected):
    assert one(normalise_street, typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("  Saint-Étienne", "saint etienne"), ("MÜNCHEN", "munchen"), ("New  York ", "new york"),
     ("", None), (None, None)],
)  # fmt: skip
def test_cities_are_lower_case_ascii(typed, expected):
    assert one(normalise_city, typed) == expected


# --- Companies and handles -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Acme Inc.", "acme"),
        ("ACME, Inc", "acme"),
        ("Acme Corporation", "acme"),
        ("Acme L.L.C.", "acme"),
        ("Acme Ltd", "acme"),
        ("Acme Limited", "acme"),
        ("Acme PLC", "acme"),
        ("The Müller GmbH & Co. KG", "muller"),
        ("Siemens AG", "siemens"),
        ("Société Générale S.A.", "societe generale"),
        ("Dupont SARL", "dupont"),
        ("Dupont SAS", "dupont"),
        ("Coca-Cola Company", "coca cola"),
        ("Acme Holdings Co.", "acme holdings"),
        ("Johnson & Johnson", "johnson and johnson"),
        ("Limited", "limited"),
        ("", None),
        (None, None),
    ],
)
def test_company_names_lose_legal_form_and_punctuation(typed, expected):
    assert one(normalise_company, typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [(" @JaneDoe ", "janedoe"), ("janedoe", "janedoe"), ("@@jane_doe", "jane_doe"),
     ("@", None), ("", None), (None, None)],
)  # fmt: skip
def test_handles_are_lower_case_without_at_sign(typed, expected):
    assert one(normalise_handle, typed) == expected


# --- Any column ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "column",
    [
        pl.Series("value", [], dtype=pl.String),
        pl.Series("value", [None, None]),
        pl.Series("value", [94105, None]),
    ],
    ids=["empty", "all null", "integers"],
)
def test_every_function_keeps_the_columns_length_and_gives_text(column):
    series_results = [
        normalise_name(column),
        canonical_given_name(column),
        normalise_phone(column, "US"),
        normalise_postcode(column, "US"),
        normalise_street(column),
        normalise_city(column),
        normalise_company(column),
        normalise_handle(column),
    ]
    for result in series_results:
        assert (result.name, result.len(), result.dtype) == ("value", column.len(), pl.String)
    assert split_full_name(column).height == normalise_email(column).height == column.len()


# --- Volume ------------------------------------------------------------------------------


def test_large_columns_get_the_same_answer_as_their_distinct_values(monkeypatch):
    """200,000 rows drawn from a few distinct values: each row gets its value's answer,
    and the per-value libraries run once per distinct value, not once per row."""
    import resolution.normalise.emails as emails
    import resolution.normalise.names as names
    import resolution.normalise.phones as phones

    calls = {"phone": 0, "email": 0, "name": 0}

    def counting(kind, function):
        def counted(*args, **kwargs):
            calls[kind] += 1
            return function(*args, **kwargs)

        return counted

    monkeypatch.setattr(phones.phonenumbers, "parse", counting("phone", phones.phonenumbers.parse))
    monkeypatch.setattr(emails, "validate_email", counting("email", emails.validate_email))
    monkeypatch.setattr(names, "HumanName", counting("name", names.HumanName))

    distinct = pl.DataFrame(
        {
            "name": ["José", "  Bob ", "O'Brien", None, ""],
            "full_name": ["Dr. Jane A. Doe", "Doe, Jane", "Bob Smith", None, ""],
            "email": ["Jane.Doe+x@GoogleMail.com", "info@acme.com", "josé@münchen.de", None, ""],
            "phone": ["(415) 555 0142", "020 7946 0958", "0000000000", None, ""],
            "country": ["US", "GB", "US", None, "DE"],
            "postcode": ["94105-1234", "sw1a1aa", "2139", None, ""],
            "street": ["12 Baker Street", "Hauptstraße 5", "10 r. de la Paix", None, ""],
            "company": ["Acme Inc.", "Müller GmbH & Co. KG", "The Company", None, ""],
            "handle": ["@JaneDoe", "bob", "@", None, ""],
        }
    )
    rows = np.random.default_rng(11).integers(0, distinct.height, 200_000)
    big = distinct[rows]

    def answers(frame: pl.DataFrame) -> pl.DataFrame:
        return pl.concat(
            [
                frame.select(
                    normalise_name(frame["name"]),
                    canonical_given_name(frame["name"]).alias("given_name"),
                    normalise_phone(frame["phone"], frame["country"]),
                    normalise_postcode(frame["postcode"], frame["country"]),
                    normalise_street(frame["street"]),
                    normalise_city(frame["street"]).alias("city"),
                    normalise_company(frame["company"]),
                    normalise_handle(frame["handle"]),
                ),
                split_full_name(frame["full_name"]),
                normalise_email(frame["email"]),
            ],
            how="horizontal",
        )

    expected = answers(distinct)
    calls_for_distinct = dict(calls)
    assert_frame_equal(answers(big), expected[rows])
    assert calls == {kind: 2 * count for kind, count in calls_for_distinct.items()}
    assert expected.row(0, named=True) == {
        "name": "jose",
        "given_name": "jose",
        "phone": "+14155550142",
        "postcode": "94105",
        "street": "12 baker st",
        "city": "12 baker street",
        "company": "acme",
        "handle": "janedoe",
        "first_name": "jane",
        "last_name": "doe",
        "email": "jane.doe+x@googlemail.com",
        "email_match_key": "janedoe@gmail.com",
        "email_domain": "googlemail.com",
        "email_is_role": False,
        "email_is_placeholder": False,
        "email_is_freemail": True,
        "email_is_personal": True,
    }


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("US", "US"),
        ("United States", "US"),
        ("U.S.", "US"),
        ("usa", "US"),
        ("FRA", "FR"),
        ("Deutschland", "DE"),
        ("  great   britain ", "GB"),
        ("UK", "GB"),
        ("Atlantis", None),
        ("", None),
        (None, None),
    ],
)
def test_every_spelling_of_a_country_becomes_its_iso_code(typed, expected):
    assert normalise_country(pl.Series([typed], dtype=pl.String)).to_list() == [expected]


@pytest.mark.parametrize(
    ("handle", "first", "last", "expected"),
    [
        ("carolcooper84", "carol", "c", "cooper"),  # first then last, initial agrees
        ("carol.cooper", "carol", None, "cooper"),
        ("cooper.carol", "carol", "c", "cooper"),  # last then first
        ("ccooper", "carol", None, "cooper"),  # initial then last
        ("carol_c", "carol", None, "c"),  # only the initial is known
        ("rebeccaphillips", "becky|rebecca", "p", "phillips"),  # nickname on display
        ("jeffrey_h3", "jeff|jeffrey", None, "h"),  # the nickname is the formal name cut short
        ("christopher_g", "chris|christopher", None, "g"),
        ("samantha_b4", "sam|samuel|samantha", None, "b"),  # Sam may be short for Samantha
        ("carol84", "carol", None, None),  # nothing but the first name
        ("carolcooper", "carol", "cooper", "cooper"),  # a spelt-out name is kept
        ("chris.arnold54", "chris|christopher", "arnld", "arnold"),  # a slip: the handle's
        ("sophie.baldwin61", "sophie", "baldiwn", "baldwin"),
        ("gjoseph78", "gregory", "josepjh", "joseph"),  # read after the initial
        ("carolcooper", "carol", "coopersmith", "coopersmith"),  # more than one slip
        ("john.reed", "john", "reid", "reid"),  # too short to call a slip
        ("carolsmith", "carol", "c", "c"),  # the handle disagrees with the initial
        ("xyz", "carol", None, None),
        (None, "carol", "c", "c"),
    ],
)
def test_a_social_handle_completes_or_respells_the_last_name(handle, first, last, expected):
    assert _one_row(last_name_from_handle, handle, first, last) == expected


def _one_row(completion, *values: str | None) -> str | None:
    """``completion`` applied to one row of text columns."""
    return completion(*(pl.Series([value], dtype=pl.String) for value in values)).item()


@pytest.mark.parametrize(
    ("first", "expected"),
    [("Sam", "sam|samuel|samantha"), ("Jeff", "jeff|jeffrey"), ("John", "john"), (None, None)],
)
def test_a_nickname_is_spelt_out_every_formal_way(first, expected):
    assert given_name_spellings(pl.Series([first], dtype=pl.String)).to_list() == [expected]


@pytest.mark.parametrize(
    ("spellings", "handle", "email", "expected"),
    [
        ("sam|samuel|samantha", "samantha_b4", None, "samantha"),
        ("sam|samuel|samantha", None, "brown.samantha@gmail.com", "samantha"),
        ("sam|samuel|samantha", "ssmith", "sam.smith@acme.com", "samuel"),  # nothing says
        ("chris|christopher|christine|christian|christina", "christinalee", None, "christina"),
        ("bob|robert", "bobby.jones", None, "robert"),  # one formal name: nothing to decide
    ],
)
def test_a_handle_or_mailbox_says_which_formal_name_a_shared_nickname_is(
    spellings, handle, email, expected
):
    canonical = spellings.split("|")[1]
    given = given_name_from_usernames(
        pl.Series([canonical]),
        pl.Series([spellings]),
        pl.Series([handle], dtype=pl.String),
        pl.Series([email], dtype=pl.String).str.extract(r"^([^@]+)@"),
    )
    assert given.to_list() == [expected]


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        ("Michelle", "female"),
        ("Michael", "male"),
        ("Victoire", "female"),
        ("Alex", None),  # a nickname: Alexander or Alexandra
        ("Sam", None),
        ("Kristy", "female"),  # a nickname of Christine or Christina
        ("Bobby", "male"),  # Robert or Roger
        ("Jamie", None),  # James or Benjamin, yet on both lists
        ("Xqzt", None),  # not on the lists
        (None, None),
    ],
)
def test_a_given_name_has_a_gender_only_when_the_name_says_so(first, expected):
    assert given_name_gender(pl.Series([first], dtype=pl.String)).to_list() == [expected]


@pytest.mark.parametrize(
    ("email", "first", "last", "expected"),
    [
        ("susandeschamps@gmail.com", "susan", None, "deschamps"),  # web form: first name only
        ("deschamps.susan84@gmail.com", "susan", "d", "deschamps"),
        ("dan.smith@acme.com", "dan|daniel", None, "smith"),
        ("thecoopers@gmail.com", "tom|thomas", None, None),  # a shared mailbox, not a name
        ("hniemeier@margraf-freight.de", "heike", None, "niemeier"),  # initial and surname
        ("tcooper@gmail.com", "tom|thomas", None, "cooper"),
        ("tcoopr@gmail.com", "tom|thomas", None, None),  # letters no surname list holds
        ("tcooper@gmail.com", "tom|thomas", "c", "cooper"),  # unless the last initial agrees
        ("thecoopers@gmail.com", "tom|thomas", "c", "c"),
        ("susan84@gmail.com", "susan", None, None),
        ("susandeschamps@gmail.com", "susan", "martin", "martin"),
        ("charles.wilson@acme.com", "charles", "wlison", "wlison"),  # mailboxes have typos too
        (None, "susan", None, None),
    ],
)
def test_a_mailbox_spelling_the_first_name_completes_the_last_name(email, first, last, expected):
    assert _one_row(last_name_from_mailbox, email, first, last) == expected


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("damian.thomas84@gmail.com", ("damian", "thomas")),
        ("damianthomas@gmail.com", ("damian", "thomas")),
        ("thomas_damian@gmail.com", None),  # thomas is a given name too: the order is unclear
        ("wilkinson.damian@gmail.com", ("damian", "wilkinson")),
        ("dthomas@gmail.com", None),  # an initial is not a name
        ("danielle73@icloud.com", None),  # Danielle, not Daniel Le
        ("thewilkinsons@gmail.com", None),  # a household, not a person
        ("wilkinsonfamily@gmail.com", None),
        ("info@acme.com", None),
        ("damian.x.thomas@gmail.com", None),
        (None, None),
    ],
)
def test_a_mailbox_spells_a_name_only_when_it_plainly_does(email, expected):
    spelt = names_from_mailbox(pl.Series("email", [email], dtype=pl.String))
    assert spelt.columns == ["first_name", "last_name"]
    first, last = spelt.row(0)
    assert (None if first is None and last is None else (first, last)) == expected


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("hill-media.com", "hill media"),
        ("taylor-analytics.co.uk", "taylor analytics"),
        ("mail.acme-inc.io", "acme"),
        ("dowerg-analytics.de", "dowerg analytics"),
        (None, None),
    ],
)
def test_a_work_email_domain_names_the_employer(domain, expected):
    assert company_from_email_domain(pl.Series([domain], dtype=pl.String)).to_list() == [expected]


def _read_companies(stated: list[str | None], employers: list[str | None]) -> list[str | None]:
    return company_as_its_addresses_spell_it(
        pl.Series("company", stated, dtype=pl.String),
        pl.Series("employer", employers, dtype=pl.String),
    ).to_list()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("avila ytextiles", "avila textiles"),  # a letter added
        ("wong rtail", "wong retail"),  # a letter dropped
        ("udfour media", "dufour media"),  # two letters swapped
        ("wrught robotics", "wright robotics"),  # a letter changed
    ],
)
def test_a_typed_company_one_slip_from_the_employer_an_address_names_is_that_employer(
    typed, meant
):
    employers = ["avila textiles", "wong retail", "dufour media", "wright robotics"]

    assert _read_companies([typed, None, None, None], employers) == [meant, None, None, None]


def test_a_company_that_work_addresses_name_is_never_respelt():
    # Both companies have staff writing from their own domain: two companies, no typo.
    assert _read_companies(["hall media", "hill media"], ["hall media", "hill media"]) == [
        "hall media",
        "hill media",
    ]


@pytest.mark.parametrize(
    ("stated", "employers"),
    [
        (["bell media"], ["bill media", "ball media"]),  # one slip from two employers
        (["hill medai x"], ["hill media"]),  # three slips from the only employer
        (["acme"], ["acne"]),  # too short to tell a slip from another company
        (["hil media", "hil media", "hil media"], ["hill media"]),  # stated more than named
    ],
)
def test_a_company_that_is_not_plainly_one_slip_from_one_employer_stands(stated, employers):
    rows = max(len(stated), len(employers))
    typed = stated + [None] * (rows - len(stated))
    named = employers + [None] * (rows - len(employers))

    assert _read_companies(typed, named) == typed

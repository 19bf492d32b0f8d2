"""Person names: one spelling per name, nicknames folded to one formal name, full names split.

Name fields are typed by people into different systems, so the same person shows up as
``José O'Brien``, ``JOSE OBRIEN`` and ``Jose  O'Brien``; a CRM has ``Robert``, the support
desk ``Bob``. Linking compares these normalised forms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import import_module
from types import MappingProxyType

import polars as pl
from nameparser import HumanName
from nameparser.config import CONSTANTS
from nicknames import NickNamer
from rapidfuzz.distance import OSA

from resolution.normalise._columns import map_distinct, on_distinct, where
from resolution.normalise._given_names import FORMAL_GIVEN_NAMES, NICKNAME_OVERRIDES
from resolution.normalise._text import plain_words

_NAME_PARTS = pl.Struct({"first_name": pl.String, "last_name": pl.String})
_NAMEPARSER_WORDS = frozenset(
    word
    for words in (
        CONSTANTS.titles,
        CONSTANTS.suffix_acronyms,
        CONSTANTS.suffix_not_acronyms,
        CONSTANTS.prefixes,
        CONSTANTS.conjunctions,
    )
    for word in words
)
"""Titles, suffixes, surname particles and conjunctions: words nameparser treats specially."""
_ROMAN_NUMERAL = "(?i)" + CONSTANTS.regexes.roman_numeral.pattern
_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR")
"""The sample's four countries, whose faker name lists tell given names and surnames."""


def normalise_name(values: pl.Series) -> pl.Series:
    """``  José O'Brien-Smith`` -> ``jose obrien-smith``; blank -> null.

    Lower-case ASCII (accents transliterated: ``Müller`` -> ``muller``, ``ß`` -> ``ss``),
    single spaces, apostrophes and full stops deleted (so ``O'Brien`` and ``OBrien`` agree),
    hyphens kept only inside a name (``Mary-Jane``), any other punctuation a word break.
    """
    return on_distinct(values, _plain_name)


def canonical_given_name(values: pl.Series) -> pl.Series:
    """The normalised first name with a nickname replaced by its formal name: ``Bob`` -> ``robert``.

    A value is replaced only when the whole normalised value is a known nickname, and only
    by a name in ``FORMAL_GIVEN_NAMES``: ``bob`` -> ``robert``, ``liz`` -> ``elizabeth``,
    ``peggy`` -> ``margaret``. Formal names stay as they are (``john``, ``mary``). A nickname
    shared by several formal names goes to the most common of them (``al`` -> ``alexander``,
    ``pat`` -> ``patricia``) unless ``NICKNAME_OVERRIDES`` says otherwise (``bill`` ->
    ``william``). A misspelt name is first read as the name it was meant to be
    (``_misspelt_given_names``: ``brafd`` -> ``brad`` -> ``bradley``); other unknown names
    pass through normalised. The tables are fixed data, so the result never depends on the
    run or on the rows.
    """
    return on_distinct(values, _formal_given_name)


def names_in_order(first_names: pl.Series, last_names: pl.Series) -> pl.DataFrame:
    """``first_name`` and ``last_name`` with the two swapped back where a source swapped them.

    Forms, tickets and CRM imports put the surname first often enough ("Figueroa Melissa",
    "Davies Katy") that the record then disagrees on both names with its own person and,
    worse, makes the phone or mailbox it shares with them look shared by two people. A
    pair is read the other way round only when the first name is a surname and no given
    name, and the last name is a given name (or nickname) and no surname, on faker's lists
    for the four countries: a name that can be either (``Martin``, ``James``) or that the
    lists do not know stays where the source put it, unless the records themselves settle
    it: the first name is a last name at least ``USUAL_ORDER_RATIO`` times as often as a
    first name among them, and the last name a first name as often ("Bolton Robert",
    "Miller David": Robert is a French surname, David a French and Welsh one). Reading the
    records so raised recall by 0.03-0.12 points at 3,000 people (seeds 101-606), 0.03-0.06
    at 30,000 and 0.03 at 460,000, precision unchanged; a ratio of 2 or 5 did the same.
    """
    first, last = normalise_name(first_names), normalise_name(last_names)
    given, surnames = list(_known_given_names()), list(_known_surnames())
    listed = first.is_in(surnames) & ~first.is_in(given) & last.is_in(given) & ~last.is_in(surnames)
    swapped = (listed | _usually_the_other_way_round(first, last)).fill_null(False)
    return pl.DataFrame(
        {
            "first_name": where(swapped, last_names, first_names),
            "last_name": where(swapped, first_names, last_names),
        }
    )


USUAL_ORDER_RATIO = 3
"""How much more often a name must be used in the other place to read a pair swapped."""


def _usually_the_other_way_round(first: pl.Series, last: pl.Series) -> pl.Series:
    pairs = pl.DataFrame({"first": first, "last": last})
    both = pairs.drop_nulls()
    as_first = both.group_by("first").len("as_first")
    as_last = both.group_by("last").len("as_last")

    def uses(column: str) -> pl.DataFrame:
        return (
            pairs.select(column)
            .join(as_first.rename({"first": column}), on=column, how="left", maintain_order="left")
            .join(as_last.rename({"last": column}), on=column, how="left", maintain_order="left")
            .fill_null(0)
        )

    of_first, of_last = uses("first"), uses("last")
    return (
        (of_first["as_last"] >= USUAL_ORDER_RATIO * of_first["as_first"])
        & (of_last["as_first"] >= USUAL_ORDER_RATIO * of_last["as_last"])
        & first.is_not_null()
        & last.is_not_null()
    )


def names_from_mailbox(emails: pl.Series) -> pl.DataFrame:
    """``first_name`` and ``last_name`` an address's mailbox spells, where it plainly does.

    ``damian.thomas84@`` and ``damianthomas@`` spell Damian Thomas, and
    ``wilkinson.damian@`` Damian Wilkinson: a given name and a surname from faker's lists
    for the four countries, in either order when separated (as long as the order is plain:
    ``thomas_damian@`` is not, Thomas being a given name too), given name first when run
    together and only if exactly one split reads so and the whole is no given name
    (``danielle@`` is not Daniel Le). Anything else (``dthomas@``,
    ``thewilkinsons@``, ``info@``, a name the lists do not know) reads as nothing.
    For an address that arrives with no name at all (a newsletter sign-up), so that its
    customer can be found by name; ``emails`` are normalised addresses.
    """
    mailboxes = emails.str.extract(r"^([a-z._-]+)[0-9]*@")
    return map_distinct(mailboxes, _name_in_mailbox, _NAME_PARTS).struct.unnest()


def _name_in_mailbox(mailbox: str) -> dict[str, str] | None:
    given, surnames = _known_given_names(), _known_surnames()
    words = [word for word in re.split(r"[._-]", mailbox) if word]
    if len(words) == 2:
        first, second = words
        if first in given and second in surnames and not (first in surnames and second in given):
            return {"first_name": first, "last_name": second}
        if first in surnames and second in given and not (first in given or second in surnames):
            return {"first_name": second, "last_name": first}
        return None
    if len(words) != 1:
        return None
    (word,) = words
    if word in given:  # danielle@ is Danielle, not Daniel Le
        return None
    splits = [
        (word[:cut], word[cut:])
        for cut in range(2, len(word) - 1)
        if word[:cut] in given and word[cut:] in surnames
    ]
    if len(splits) != 1:
        return None
    return {"first_name": splits[0][0], "last_name": splits[0][1]}


def _formal_given_name(names: pl.Series) -> pl.Series:
    plain = _plain_name(names)
    return plain.replace(_misspelt_given_names(plain)).replace(formal_name_of_nickname())


def _misspelt_given_names(names: pl.Series) -> dict[str, str]:
    """Misspelt given names among normalised ``names``, mapped to the name each was meant as.

    A name nobody is given (not on faker's given-name lists for the four countries, not a
    nickname) that is one typing slip (a letter dropped, added or changed, or two swapped)
    from exactly one known given name is that name: ``brafd`` is ``brad``, ``mkie`` is
    ``mike``. Without this, a slip in a nickname keeps a record apart from its own
    person: ``brad`` folds to ``bradley``, ``brafd`` folds to nothing and looks like
    another person's name to every name check. Names of three letters or fewer are left
    alone (one slip from too much), and so is a surname in the first-name field (sources
    swap them: ``Evans`` is not a slip for ``Evan``). The lists are fixed data, so the
    result never depends on the run.
    """
    return _slips(names, _known_by_deletion("given"))


def _slips(names: pl.Series, by_deletion: Mapping[str, frozenset[str]]) -> dict[str, str]:
    """Each name on no list that is one slip from exactly one name ``by_deletion`` indexes."""
    known = _known_given_names() | _known_surnames()
    distinct = names.drop_nulls().unique()
    unknown = distinct.filter((distinct.str.len_chars() >= 4) & ~distinct.is_in(list(known)))
    meant = {}
    for name in unknown.to_list():
        candidates = {
            known_name
            for variant in _one_deletion_each(name)
            for known_name in by_deletion.get(variant, ())
            if OSA.distance(name, known_name) == 1
        }
        if len(candidates) == 1:
            meant[name] = candidates.pop()
    return meant


def canonical_last_name(values: pl.Series) -> pl.Series:
    """Normalised last names with a slip read as the surname it was meant as: ``wlison`` ->
    ``wilson``, ``briadn`` -> ``briand``.

    As ``_misspelt_given_names`` does for given names: a last name on neither list, of four
    letters or more, one slip from exactly one surname on faker's lists. A typed-in surname
    otherwise keeps the person's records apart wherever names must agree exactly: the only
    two customers with a name, a profile's one namesake. On generated data this raised
    recall 0.01-0.33 points at 3,000 people (five seeds), 0.09 at 30,000 and 0.11 at
    460,000, precision unchanged; at 1M records it reads 9,330 distinct last names in 0.1 s.
    """
    return on_distinct(values, _meant_surname)


def _meant_surname(names: pl.Series) -> pl.Series:
    return names.replace(_slips(names, _known_by_deletion("last")))


def _one_deletion_each(name: str) -> set[str]:
    """The name and each spelling of it with one letter dropped: two names one slip apart
    always share one of these (symmetric deletion), so candidates are found by lookup."""
    return {name} | {name[:i] + name[i + 1 :] for i in range(len(name))}


@cache
def _known_by_deletion(kind: str) -> Mapping[str, frozenset[str]]:
    """Given names (``kind`` "given") or surnames ("last") by each one-deletion variant."""
    index: dict[str, set[str]] = {}
    for name in _known_given_names() if kind == "given" else _known_surnames():
        for variant in _one_deletion_each(name):
            index.setdefault(variant, set()).add(name)
    return MappingProxyType({variant: frozenset(names) for variant, names in index.items()})


@cache
def _known_given_names() -> frozenset[str]:
    """Every given name on faker's lists for the four countries, and every nickname."""
    names = {
        name
        for locale in _LOCALES
        for listed in ("first_names_female", "first_names_male")
        for name in getattr(import_module(f"faker.providers.person.{locale}").Provider, listed)
    }
    plain = _plain_name(pl.Series(sorted(names))).drop_nulls().to_list()
    return frozenset(plain) | frozenset(_formal_names()) | frozenset(FORMAL_GIVEN_NAMES)


def is_known_given_name(given_names: pl.Expr) -> pl.Expr:
    """Whether each (normalised) given name is on faker's lists for the four countries or
    is a known nickname: one that is not ("urth", "thereas") is likely a typo."""
    return given_names.is_in(list(known_given_names()))


def known_given_names() -> frozenset[str]:
    """``is_known_given_name``'s names, for code that reads names one at a time."""
    return _known_given_names()


@cache
def surnames_as_mailboxes_spell_them() -> frozenset[str]:
    """Every surname on faker's lists for the four countries in letters only, as an
    address writes it (``de oliveira`` -> ``deoliveira``)."""
    return frozenset(re.sub(r"[^a-z]", "", name) for name in _known_surnames())


@cache
def _known_surnames() -> frozenset[str]:
    names = {
        name
        for locale in _LOCALES
        for name in import_module(f"faker.providers.person.{locale}").Provider.last_names
    }
    return frozenset(_plain_name(pl.Series(sorted(names))).drop_nulls().to_list())


def given_name_spellings(values: pl.Series) -> pl.Series:
    """Every way a first name may be spelt out, ``|``-separated: ``Sam`` -> ``sam|samuel|samantha``.

    The name itself and each formal name in ``FORMAL_GIVEN_NAMES`` it is a nickname of,
    for reading the name in a handle or a mailbox: ``@samantha_b`` is Samantha B., where
    "sam" alone would read the handle as Sam "Anthab".
    """
    return on_distinct(
        values,
        lambda names: _plain_name(names).replace_strict(
            _spellings_of_nickname(), default=_plain_name(names)
        ),
    )


def given_name_gender(first_names: pl.Series) -> pl.Series:
    """``female`` or ``male`` for a first name only one sex is given, else null.

    The lists are faker's given names for the sample's four countries (US, GB, DE, FR);
    a name on both lists (Jordan, Casey) has none. A nickname has its formal names'
    gender where they all have one (Kristy: Christine or Christina), whatever the lists
    say of the nickname itself, and none where they differ: "Alex" may be Alexander or
    Alexandra, so it must not keep Alexandra's records apart from her own "Alex". Before
    nicknames had a gender, Kristy and Christopher Keller at one address were one person
    in a file of names and addresses.
    """
    plain = on_distinct(first_names, _plain_name)
    gender = on_distinct(
        plain, lambda names: names.replace_strict(_gender_of_given_name(), default=None)
    )
    return gender.alias(first_names.name)


@cache
def _gender_of_given_name() -> Mapping[str, str]:
    """Name -> gender: a name on one gender's lists, or a nickname whose formal names all
    have that gender and which the lists do not give to the other (Jamie, on both lists,
    has none though it is short for James or Benjamin)."""
    listed = _genders_on_lists()
    only = {name: genders[0] for name, genders in listed.items() if len(genders) == 1}
    formal = {name: gender for name, gender in only.items() if name not in _formal_names()}
    nicknames = {}
    for nickname, formal_names in _formal_names().items():
        seen = {only.get(name) for name in formal_names} | set(listed.get(nickname, ()))
        if len(seen) == 1 and None not in seen:
            nicknames[nickname] = seen.pop()
    return MappingProxyType(formal | nicknames)


@cache
def _genders_on_lists() -> Mapping[str, tuple[str, ...]]:
    """Name -> the genders faker's lists for the four countries give it."""
    lists: dict[str, set[str]] = {"female": set(), "male": set()}
    for locale in _LOCALES:
        provider = import_module(f"faker.providers.person.{locale}").Provider
        lists["female"] |= set(provider.first_names_female)
        lists["male"] |= set(provider.first_names_male)
    genders: dict[str, tuple[str, ...]] = {}
    for gender, names in lists.items():
        for name in _plain_name(pl.Series(sorted(names))).drop_nulls().to_list():
            genders[name] = (*genders.get(name, ()), gender)
    return MappingProxyType(genders)


@cache
def _spellings_of_nickname() -> Mapping[str, str]:
    return MappingProxyType(
        {nickname: "|".join((nickname, *names)) for nickname, names in _formal_names().items()}
    )


@cache
def formal_name_of_nickname() -> Mapping[str, str]:
    """Nickname -> formal given name, read-only, built once from the ``nicknames`` data."""
    commonest = {nickname: names[0] for nickname, names in _formal_names().items()}
    return MappingProxyType(commonest | NICKNAME_OVERRIDES)


@cache
def _formal_names() -> Mapping[str, tuple[str, ...]]:
    """Nickname -> the names in ``FORMAL_GIVEN_NAMES`` it is short for, commonest first."""
    rank = {name: position for position, name in enumerate(FORMAL_GIVEN_NAMES)}
    table = {}
    for nickname, formal_names in NickNamer().canonical_lookup.items():
        candidates = sorted((name for name in formal_names if name in rank), key=rank.__getitem__)
        if nickname not in rank and candidates:
            table[nickname] = tuple(candidates)
    return MappingProxyType(table)


def split_full_name(values: pl.Series) -> pl.DataFrame:
    """``Dr. Jane A. Doe`` or ``Doe, Jane`` -> ``first_name`` ``jane``, ``last_name`` ``doe``.

    Sources that keep one name field (support requesters, social display names) are split
    with nameparser, which knows titles, suffixes, ``Last, First`` order and surname
    particles (``van Beethoven``); middle names are dropped. A single word is a first name.
    Both parts come back normalised like ``normalise_name``.
    """
    return on_distinct(values, _first_and_last_names).struct.unnest()


def _plain_name(names: pl.Series) -> pl.Series:
    return plain_words(names, keep_hyphens=True)


def _first_and_last_names(full_names: pl.Series) -> pl.Series:
    """nameparser's first and last name, normalised.

    nameparser takes ~0.2 ms a name, so the commonest shape, two plain words neither of
    which nameparser treats specially (``jane doe``), is split here directly, with the
    same result nameparser gives it.
    """
    compact = full_names.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()
    words = compact.str.extract_groups(r"^([a-z]{2,}) ([a-z]{2,})$")
    first, last = words.struct.field("1"), words.struct.field("2")
    plain = (
        first.is_not_null()
        & ~first.is_in(_NAMEPARSER_WORDS)
        & ~last.is_in(_NAMEPARSER_WORDS)
        & ~last.str.contains(_ROMAN_NUMERAL)
    )
    parsed = map_distinct(where(~plain, compact), _first_and_last, _NAME_PARTS).struct.unnest()
    return pl.DataFrame(
        {
            "first_name": _plain_name(where(plain, first, parsed["first_name"])),
            "last_name": _plain_name(where(plain, last, parsed["last_name"])),
        }
    ).to_struct()


def _first_and_last(full_name: str) -> dict[str, str]:
    parsed = HumanName(full_name)
    return {"first_name": parsed.first, "last_name": parsed.last}

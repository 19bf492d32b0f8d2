"""How a source system sees a person at the moment it recorded them.

Every source renders the same person fields (names, email, phone, address, company) from
the population, but each system has its own habits: the email platform folds accents, web
forms get lower-case typing, the CRM holds work addresses. A source describes its habits
as a ``NameNoise``/``EmailMix`` profile and these functions apply them, so the noise model
lives in one place instead of being re-implemented per system.
"""

from dataclasses import dataclass

import numpy as np

from synthetic._common import Prob, Rng, chance, choice, objects, present
from synthetic._companies import Companies
from synthetic._noise import (
    abbreviate_streets,
    change_case,
    email_typos,
    gmail_variants,
    nicknames,
    pad_whitespace,
    strip_accents,
    typos,
)
from synthetic._population import Population
from synthetic._vocab import COUNTRY_SPELLINGS, PLACEHOLDER_EMAILS, PLACEHOLDER_PHONES

PERSONAL, WORK, FAMILY, ROLE = 0, 1, 2, 3
"""Which of a person's mailboxes a record carries."""


@dataclass(frozen=True)
class NameNoise:
    """Per-row probabilities of each kind of name damage a system introduces."""

    nickname: Prob = 0.0
    typo: Prob = 0.0
    fold_accents: Prob = 0.0
    swap: Prob = 0.01
    lower: Prob = 0.0
    upper: Prob = 0.0
    pad: Prob = 0.0


@dataclass(frozen=True)
class EmailMix:
    """Which mailbox a system tends to capture, and how the address gets mangled.

    A record carries the person's main address or, with chance ``other`` (by default as
    often as that person does: ``Population.other_share``), their other one; people with a
    single address always give that one. With ``sticky`` the choice is made once per person
    for all their records in the system (a login, the browser's autofill). ``family`` and
    ``role`` are the chances a person who shares such a mailbox gives it instead.
    """

    other: Prob | None = None
    sticky: bool = False
    family: Prob = 0.0
    role: Prob = 0.0
    placeholder: Prob = 0.0
    gmail_variant: Prob = 0.0
    typo: Prob = 0.0
    upper: Prob = 0.0


def as_of(
    current: np.ndarray, old: np.ndarray, change_ts: np.ndarray, people: np.ndarray, ts: np.ndarray
) -> np.ndarray:
    """The value a record made at ``ts`` shows: the old one before the person's change."""
    before = ts < change_ts[people]
    return np.where(before & present(old[people]), old[people], current[people])


def render_names(
    rng: Rng, pop: Population, people: np.ndarray, ts: np.ndarray, noise: NameNoise
) -> tuple[np.ndarray, np.ndarray]:
    """First and last name of ``people`` as recorded at ``ts`` with the system's noise."""
    first = nicknames(rng, pop.first_name[people], noise.nickname)
    last = as_of(pop.last_name, pop.maiden_name, pop.name_change_ts, people, ts)
    in_first = chance(rng, 0.5, len(people))
    damaged = typos(rng, np.where(in_first, first, last), noise.typo)
    first, last = np.where(in_first, damaged, first), np.where(in_first, last, damaged)
    first = strip_accents(rng, first, noise.fold_accents)
    last = strip_accents(rng, last, noise.fold_accents)
    swap = chance(rng, noise.swap, len(people))
    first, last = np.where(swap, last, first), np.where(swap, first, last)
    first = change_case(rng, first, noise.lower, noise.upper)
    last = change_case(rng, last, noise.lower, noise.upper)
    return pad_whitespace(rng, first, noise.pad), pad_whitespace(rng, last, noise.pad)


def primary_mailbox(pop: Population, people: np.ndarray) -> np.ndarray:
    """The kind of each person's main address: WORK or PERSONAL."""
    return np.where(pop.primary_work[people], WORK, PERSONAL)


def other_mailbox(pop: Population, people: np.ndarray) -> np.ndarray:
    """The kind of each person's other address, or -1 for people with only one."""
    has_work = present(pop.work_email[people])
    return np.where(pop.primary_work[people], PERSONAL, np.where(has_work, WORK, -1))


def choose_mailbox(rng: Rng, pop: Population, people: np.ndarray, mix: EmailMix) -> np.ndarray:
    """Mailbox kind per record: the person's main address, at times their other one, and
    the shared family or role mailbox where the system's mix says so."""
    other = other_mailbox(pop, people)
    p_other = pop.other_share[people] if mix.other is None else mix.other
    draw = rng.random(pop.size)[people] if mix.sticky else rng.random(len(people))
    use_other = (draw < p_other) & (other >= 0)
    kind = np.where(use_other, other, primary_mailbox(pop, people))
    kind[chance(rng, mix.family, len(people)) & present(pop.family_email[people])] = FAMILY
    kind[chance(rng, mix.role, len(people)) & present(pop.role_email[people])] = ROLE
    return kind


def mailbox_address(
    pop: Population, people: np.ndarray, ts: np.ndarray, kind: np.ndarray
) -> np.ndarray:
    """The clean address of mailbox ``kind``; personal addresses follow name changes."""
    personal = as_of(pop.personal_email, pop.old_personal_email, pop.name_change_ts, people, ts)
    return np.select(
        [kind == WORK, kind == FAMILY, kind == ROLE],
        [pop.work_email[people], pop.family_email[people], pop.role_email[people]],
        personal,
    )


def mangle_emails(rng: Rng, emails: np.ndarray, mix: EmailMix) -> np.ndarray:
    """Apply a system's email damage: placeholders, Gmail spellings, typos, capitals."""
    out = gmail_variants(rng, emails, mix.gmail_variant)
    out = email_typos(rng, out, mix.typo)
    out = change_case(rng, out, 0.0, mix.upper)
    fake = chance(rng, mix.placeholder, len(out))
    return np.where(fake, choice(rng, PLACEHOLDER_EMAILS, (1, 1), len(out)), out)


def render_emails(
    rng: Rng, pop: Population, people: np.ndarray, ts: np.ndarray, mix: EmailMix
) -> tuple[np.ndarray, np.ndarray]:
    """Email per record as the system captured it, plus the mailbox kind it came from."""
    kind = choose_mailbox(rng, pop, people, mix)
    return mangle_emails(rng, mailbox_address(pop, people, ts, kind), mix), kind


def own_phones(rng: Rng, pop: Population, people: np.ndarray, mobile: Prob) -> np.ndarray:
    """One of each person's own numbers: the mobile (share ``mobile``), else the home line
    (the mobile again for people without one)."""
    home = np.where(present(pop.landline[people]), pop.landline[people], pop.mobile[people])
    return np.where(chance(rng, mobile, len(people)), pop.mobile[people], home)


def with_placeholder_phones(rng: Rng, phones: np.ndarray, p: Prob) -> np.ndarray:
    """Replace a share of filled phone numbers by dummies like ``000-000-0000``."""
    fake = chance(rng, p, len(phones)) & present(phones)
    return np.where(fake, choice(rng, PLACEHOLDER_PHONES, (1, 1), len(phones)), phones)


def render_address(
    rng: Rng, pop: Population, people: np.ndarray, ts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Street, city and postcode where the person lived at ``ts``, abbreviated at times."""
    street = as_of(pop.street, pop.old_street, pop.move_ts, people, ts)
    city = as_of(pop.city, pop.old_city, pop.move_ts, people, ts)
    postcode = as_of(pop.postcode, pop.old_postcode, pop.move_ts, people, ts)
    return abbreviate_streets(rng, street, 0.2), city, postcode


def render_company(rng: Rng, companies: Companies, company: np.ndarray) -> np.ndarray:
    """Company names as people type them: legal name, short name, lower/upper case, typos."""
    style = rng.integers(0, 5, len(company))
    known = company >= 0
    safe = np.where(known, company, 0)
    names = np.where(style == 0, companies.name[safe], companies.short_name[safe])
    names = change_case(rng, names, np.where(style == 2, 1.0, 0.0), np.where(style == 3, 1.0, 0.0))
    names = typos(rng, names, np.where(style == 4, 0.5, 0.0))
    return np.where(known, names, None)


def render_country(rng: Rng, countries: np.ndarray) -> np.ndarray:
    """Free-text country as typed into a form (``United Kingdom``, ``UK``, ``GB``...)."""
    pick = rng.random(len(countries))
    return objects(
        [
            COUNTRY_SPELLINGS[c][int(u * len(COUNTRY_SPELLINGS[c]))]
            for c, u in zip(countries, pick.tolist(), strict=True)
        ]
    )

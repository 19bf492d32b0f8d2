"""The people and households that every source system observes.

The population is the ground truth; each source later renders a noisy view of it. The
traps a resolver must not fall into are planted here, each with a minimum count so they
exist even in a small sample: households sharing an address and a landline, twins,
namesakes with very common names, colleagues sharing a role mailbox, people who change
their last name or move house.
"""

from dataclasses import dataclass

import numpy as np
import polars as pl

from synthetic._common import Rng, between, chance, choice, expand, objects, pick, present
from synthetic._companies import (
    Companies,
    SalesReps,
    assign_employers,
    build_companies,
    role_emails,
    sales_reps,
)
from synthetic._mailboxes import MailboxAllocator
from synthetic._places import LANDLINE_AREAS, MOBILE_PREFIXES, PhoneBook, addresses
from synthetic._pools import LocalePools, sample_first_names, sample_pool
from synthetic._vocab import (
    COMMON_NAMES,
    COUNTRIES,
    COUNTRY_SHARES,
    DAY,
    WINDOW_END,
    WINDOW_START,
)

HOUSEHOLD_SIZES = (1, 2, 3, 4)
HOUSEHOLD_WEIGHTS = (0.6, 0.25, 0.1, 0.05)
PRIMARY_WORK_SHARE = 0.75
"""Share of people with a work address who use it as their main address."""
LOYAL_SHARE, LOYAL_OTHER, MIXER_OTHER = 0.7, 0.02, 0.5
"""Of people with two addresses, most give their main one almost everywhere (autofill,
habit) and the rest use both about equally: over all, ~80-85% of their records carry the
main address, and only the mixers leave the records of one person without a common one."""
NO_CHANGE = WINDOW_END + 1
"""``name_change_ts``/``move_ts`` of people who never change name or address."""


@dataclass(frozen=True)
class Population:
    """Every person's true attributes, one array element per person.

    Values that change over time (last name, personal email, address) are stored as the
    old value plus the change timestamp, so sources can render a record "as of" its own
    timestamp. ``company``/``twin_of`` are -1 when not applicable; text is None.
    ``primary_work`` says which of a person's addresses is their main one, the one most of
    their records carry: the work address (most people with a job: the vendor sells to
    businesses) or else the personal one; ``other_share`` is how often they give their
    other address instead (0 for people with a single address).
    """

    person_id: np.ndarray
    household_id: np.ndarray
    household: np.ndarray
    household_size: np.ndarray
    country: np.ndarray
    first_name: np.ndarray
    last_name: np.ndarray
    maiden_name: np.ndarray
    name_change_ts: np.ndarray
    birth_date: np.ndarray
    personal_email: np.ndarray
    old_personal_email: np.ndarray
    work_email: np.ndarray
    primary_work: np.ndarray
    other_share: np.ndarray
    role_email: np.ndarray
    family_email: np.ndarray
    company: np.ndarray
    job_title: np.ndarray
    mobile: np.ndarray
    landline: np.ndarray
    street: np.ndarray
    city: np.ndarray
    postcode: np.ndarray
    old_street: np.ndarray
    old_city: np.ndarray
    old_postcode: np.ndarray
    move_ts: np.ndarray
    twin_of: np.ndarray
    companies: Companies
    reps: SalesReps

    @property
    def size(self) -> int:
        """Number of people."""
        return len(self.person_id)

    @property
    def main_phone(self) -> np.ndarray:
        """The number a person is best known by: the family landline, else their mobile."""
        return np.where(self.household_size > 1, self.landline, self.mobile)


def build_population(people: int, pools: dict[str, LocalePools], rng: Rng) -> Population:
    """Sample households, companies and people, then plant the resolver traps."""
    household, rank, size, start = _households(people, rng)
    n_households = int(household.max()) + 1
    hh_country = choice(rng, COUNTRIES, COUNTRY_SHARES, n_households)
    hh_last = sample_pool(rng, pools, hh_country, "last")
    hh_address = addresses(rng, pools, hh_country)
    phones = PhoneBook(rng)
    hh_landline = phones.numbers(hh_country, LANDLINE_AREAS)
    hh_size = np.bincount(household)
    hh_landline = np.where((hh_size > 1) | chance(rng, 0.25, n_households), hh_landline, None)
    movers = pick(rng, np.arange(n_households), 0.05)
    hh_old = addresses(rng, pools, hh_country[movers])
    hh_move_ts = np.full(n_households, NO_CHANGE, dtype=np.int64)
    hh_move_ts[movers] = between(rng, WINDOW_START + 30 * DAY, WINDOW_END - 30 * DAY, len(movers))

    country = hh_country[household]
    female = chance(rng, 0.5, people)
    first = _first_names(rng, pools, country, female, household)
    last = hh_last[household].copy()
    birth_days = _birth_days(rng, rank, start)
    twin_of = _plant_twins(rng, household, size, start, birth_days)
    namesake = _plant_namesakes(rng, country, size, first, last)
    maiden, change_ts = _plant_name_changes(rng, pools, country, last, twin_of, namesake)

    reps = sales_reps(rng, pools, max(10, min(30, people // 100)))
    companies = build_companies(rng, pools, phones, max(4, people // 8), len(reps.name))
    company = assign_employers(rng, companies, country)
    job = np.where(company >= 0, sample_pool(rng, pools, country, "job"), None)

    mailboxes = MailboxAllocator(rng)
    personal, old_personal = mailboxes.personal(country, first, last, maiden, birth_days)
    work = mailboxes.work(first, last, company, companies.domain)
    family = mailboxes.family(household, hh_size, hh_last, hh_country)[household]
    role = role_emails(rng, company, companies)
    primary_work, other_share = _email_habits(rng, present(work))

    old_street, old_city, old_postcode = (
        np.full(n_households, None, dtype=object) for _ in range(3)
    )
    old_street[movers], old_city[movers], old_postcode[movers] = hh_old
    return Population(
        person_id=objects([f"P{i:06d}" for i in range(1, people + 1)]),
        household_id=objects([f"H{h:06d}" for h in (household + 1).tolist()]),
        household=household,
        household_size=size,
        country=country,
        first_name=first,
        last_name=last,
        maiden_name=maiden,
        name_change_ts=change_ts,
        birth_date=birth_days,
        personal_email=personal,
        old_personal_email=old_personal,
        work_email=work,
        primary_work=primary_work,
        other_share=other_share,
        role_email=role,
        family_email=family,
        company=company,
        job_title=job,
        mobile=phones.numbers(country, MOBILE_PREFIXES),
        landline=hh_landline[household],
        street=hh_address[0][household],
        city=hh_address[1][household],
        postcode=hh_address[2][household],
        old_street=old_street[household],
        old_city=old_city[household],
        old_postcode=old_postcode[household],
        move_ts=hh_move_ts[household],
        twin_of=twin_of,
        companies=companies,
        reps=reps,
    )


def _email_habits(rng: Rng, has_work: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per person: is the work address the main one, and how often is the other one given."""
    n = len(has_work)
    primary_work = has_work & chance(rng, PRIMARY_WORK_SHARE, n)
    other = np.where(chance(rng, LOYAL_SHARE, n), LOYAL_OTHER, MIXER_OTHER)
    return primary_work, np.where(has_work, other, 0.0)


def _households(people: int, rng: Rng) -> tuple[np.ndarray, ...]:
    """Household number, rank inside it, its size and its first member, per person."""
    sizes = choice(rng, HOUSEHOLD_SIZES, HOUSEHOLD_WEIGHTS, people).astype(np.int64)
    count = int(np.searchsorted(np.cumsum(sizes), people)) + 1
    sizes = sizes[:count]
    sizes[-1] -= sizes.sum() - people
    household, rank = expand(sizes)
    return household, rank, sizes[household], (np.cumsum(sizes) - sizes)[household]


def _first_names(
    rng: Rng,
    pools: dict[str, LocalePools],
    country: np.ndarray,
    female: np.ndarray,
    household: np.ndarray,
) -> np.ndarray:
    """First names by country and sex, redrawn until no two household members share one."""
    first = sample_first_names(rng, pools, country, female)
    for _ in range(20):
        clash = (
            ~pl.DataFrame({"h": household, "f": first})
            .select(pl.struct("h", "f").is_first_distinct())
            .to_series()
            .to_numpy()
        )
        if not clash.any():
            break
        rows = np.flatnonzero(clash)
        first[rows] = sample_first_names(rng, pools, country[rows], female[rows])
    return first


def _birth_days(rng: Rng, rank: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Days since 1970: a head born 1950-1996, a partner of similar age, then adult children."""
    n = len(rank)
    year = rng.integers(1950, 1997, n) - 1970
    head = year.astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    head = (head + rng.integers(0, 365, n))[start]
    partner = head + rng.integers(-6 * 365, 6 * 365, n)
    child = head + rng.integers(22 * 365, 32 * 365, n)
    too_young = child > _LATEST_BIRTH_DAY
    child[too_young] = _LATEST_BIRTH_DAY - rng.integers(0, 5 * 365, int(too_young.sum()))
    return np.select([rank == 0, rank == 1], [head, partner], child)


_LATEST_BIRTH_DAY = int(np.datetime64("2006-12-31", "D").astype(np.int64))


def _plant_twins(
    rng: Rng, household: np.ndarray, size: np.ndarray, start: np.ndarray, birth_days: np.ndarray
) -> np.ndarray:
    """Make the two youngest members of some 3-4 person households twins (same birthday)."""
    twin_of = np.full(len(household), -1, dtype=np.int64)
    heads = np.flatnonzero((np.arange(len(household)) == start) & (size >= 3))
    chosen = pick(rng, heads, 0.12)
    older, younger = chosen + size[chosen] - 2, chosen + size[chosen] - 1
    birth_days[younger] = birth_days[older]
    twin_of[older], twin_of[younger] = younger, older
    return twin_of


def _plant_namesakes(
    rng: Rng, country: np.ndarray, size: np.ndarray, first: np.ndarray, last: np.ndarray
) -> np.ndarray:
    """Give several unrelated single-person households names like John Smith."""
    candidates = np.flatnonzero(np.isin(country, ("US", "GB")) & (size == 1))
    chosen = rng.permutation(pick(rng, candidates, 0.012, minimum=2 * len(COMMON_NAMES)))
    for i, person in enumerate(chosen.tolist()):
        first[person], last[person] = COMMON_NAMES[i % len(COMMON_NAMES)]
    namesake = np.zeros(len(country), dtype=bool)
    namesake[chosen] = True
    return namesake


def _plant_name_changes(
    rng: Rng,
    pools: dict[str, LocalePools],
    country: np.ndarray,
    last: np.ndarray,
    twin_of: np.ndarray,
    namesake: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """About 2% of people had another last name (e.g. before marriage) until a given day."""
    candidates = np.flatnonzero((twin_of < 0) & ~namesake)
    chosen = pick(rng, candidates, 0.02)
    maiden = np.full(len(last), None, dtype=object)
    maiden[chosen] = sample_pool(rng, pools, country[chosen], "last")
    same = chosen[maiden[chosen] == last[chosen]]
    maiden[same] = maiden[same] + "-" + last[same]
    change_ts = np.full(len(last), NO_CHANGE, dtype=np.int64)
    change_ts[chosen] = between(rng, WINDOW_START + 90 * DAY, WINDOW_END - 90 * DAY, len(chosen))
    return maiden, change_ts

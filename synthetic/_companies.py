"""Companies (the CRM's accounts), the vendor's sales reps, and who works where.

Company sizes are heavily skewed, so a few large employers have many people in the
population: that is where shared role mailboxes (``sales@``) and a common switchboard
number make different colleagues look alike.
"""

from dataclasses import dataclass

import numpy as np

from synthetic._common import Rng, between, chance, choice, objects, pick, present, rank_within
from synthetic._noise import ascii_slug
from synthetic._places import LANDLINE_AREAS, PhoneBook, addresses
from synthetic._pools import LocalePools, sample_first_names, sample_pool
from synthetic._vocab import (
    COMPANY_SECTORS,
    COMPANY_TLDS,
    COUNTRIES,
    COUNTRY_SHARES,
    DAY,
    INDUSTRIES,
    LEGAL_SUFFIXES,
    ROLE_INBOXES,
    VENDOR_DOMAIN,
    WINDOW_END,
    WINDOW_START,
)

EMPLOYED_SHARE = 0.7


@dataclass(frozen=True)
class Companies:
    """Employers of the population; the CRM's accounts. Index = company number."""

    account_id: np.ndarray
    name: np.ndarray
    short_name: np.ndarray
    domain: np.ndarray
    industry: np.ndarray
    employee_count: np.ndarray
    street: np.ndarray
    city: np.ndarray
    postcode: np.ndarray
    country: np.ndarray
    switchboard: np.ndarray
    inbox: np.ndarray
    owner: np.ndarray
    created_ts: np.ndarray
    updated_ts: np.ndarray


@dataclass(frozen=True)
class SalesReps:
    """The vendor's own sales team, who own CRM accounts and contacts."""

    name: np.ndarray
    email: np.ndarray


def build_companies(
    rng: Rng, pools: dict[str, LocalePools], phones: PhoneBook, count: int, reps: int
) -> Companies:
    """Companies with unique names and domains, in order of their CRM creation date."""
    country = choice(rng, COUNTRIES, COUNTRY_SHARES, count)
    base = sample_pool(rng, pools, country, "last")
    sector_start = rng.integers(0, len(COMPANY_SECTORS), count)
    tld_pick, legal_pick = rng.integers(0, 6, count), rng.integers(0, 3, count)
    short, domain = np.empty(count, dtype=object), np.empty(count, dtype=object)
    taken: set[str] = set()
    for i in range(count):
        tlds = COMPANY_TLDS[country[i]]
        for attempt in range(len(COMPANY_SECTORS) + 1000):
            sector = COMPANY_SECTORS[(sector_start[i] + attempt) % len(COMPANY_SECTORS)]
            name = f"{base[i]} {sector}"
            if attempt >= len(COMPANY_SECTORS):
                name = f"{name} {attempt - len(COMPANY_SECTORS) + 2}"
            site = f"{ascii_slug(name.replace(' ', '-'))}{tlds[tld_pick[i] % len(tlds)]}"
            if name not in taken and site not in taken:
                break
        taken.update((name, site))
        short[i], domain[i] = name, site
    legal = objects(
        [
            f"{s} {LEGAL_SUFFIXES[c][k]}"
            for s, c, k in zip(short, country, legal_pick.tolist(), strict=True)
        ]
    )
    street, city, postcode = addresses(rng, pools, country)
    created = np.sort(between(rng, WINDOW_START, WINDOW_END - 180 * DAY, count))
    inbox = np.full(count, None, dtype=object)
    with_inbox = pick(rng, np.arange(count), 0.25)
    inbox[with_inbox] = choice(rng, ROLE_INBOXES, (1, 1, 1), len(with_inbox))
    return Companies(
        account_id=objects([f"ACC-{i:06d}" for i in range(1, count + 1)]),
        name=legal,
        short_name=short,
        domain=domain,
        industry=choice(rng, INDUSTRIES, [1] * len(INDUSTRIES), count),
        employee_count=np.clip(np.exp(rng.normal(4.0, 1.6, count)), 2, 50_000).astype(np.int64),
        street=street,
        city=city,
        postcode=postcode,
        country=country,
        switchboard=phones.numbers(country, LANDLINE_AREAS),
        inbox=inbox,
        owner=rng.integers(0, reps, count),
        created_ts=created,
        updated_ts=between(rng, created, WINDOW_END, count),
    )


MAX_COMPANY_WEIGHT = 60.0
"""The largest company is at most ~10x the mean size (Pareto weights average about 6)."""


def assign_employers(rng: Rng, companies: Companies, country: np.ndarray) -> np.ndarray:
    """Employ ~70% of people at a company of their own country; company sizes are skewed."""
    company = np.full(len(country), -1, dtype=np.int64)
    # Heavy-tailed but capped: without the cap one draw can employ a third of a country.
    weight = np.minimum(rng.pareto(1.2, len(companies.country)) + 1.0, MAX_COMPANY_WEIGHT)
    employed = chance(rng, EMPLOYED_SHARE, len(country))
    for code in COUNTRIES:
        options = np.flatnonzero(companies.country == code)
        rows = np.flatnonzero(employed & (country == code))
        if len(options):
            p = weight[options] / weight[options].sum()
            company[rows] = rng.choice(options, size=len(rows), p=p)
    return company


def role_emails(rng: Rng, company: np.ndarray, companies: Companies) -> np.ndarray:
    """``sales@domain`` for 2-3 colleagues at each company that uses a shared inbox."""
    employees = rng.permutation(np.flatnonzero(company >= 0))
    employees = employees[np.argsort(company[employees], kind="stable")]
    rank = rank_within(company[employees])
    per_company = np.bincount(company[employees], minlength=len(companies.inbox))
    quota = np.minimum(per_company, rng.integers(2, 4, len(per_company)))
    has_inbox = present(companies.inbox)
    users = employees[
        (rank < quota[company[employees]])
        & has_inbox[company[employees]]
        & (per_company[company[employees]] >= 2)
    ]
    out = np.full(len(company), None, dtype=object)
    out[users] = companies.inbox[company[users]] + "@" + companies.domain[company[users]]
    return out


def sales_reps(rng: Rng, pools: dict[str, LocalePools], count: int) -> SalesReps:
    """A small vendor sales team with ``first.last@`` addresses at the vendor domain."""
    country = choice(rng, ("US", "GB"), (0.7, 0.3), count)
    first = sample_first_names(rng, pools, country, chance(rng, 0.5, count))
    last = sample_pool(rng, pools, country, "last")
    emails: list[str] = []
    for f, s in zip(first, last, strict=True):
        local = f"{ascii_slug(f)}.{ascii_slug(s)}"
        emails.append(
            f"{local}{len(emails)}@{VENDOR_DOMAIN}"
            if any(e.startswith(f"{local}@") for e in emails)
            else f"{local}@{VENDOR_DOMAIN}"
        )
    return SalesReps(name=first + " " + last, email=objects(emails))

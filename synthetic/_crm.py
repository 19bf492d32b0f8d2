"""CRM exports: accounts, contacts and subscriptions.

The CRM is the most curated system, so it keeps accents and formal names most of the time,
but it is also where sales reps create a second contact for someone already on file (~5%
of CRM people), with the other email address, a nickname or an old address: the classic
in-system duplicate a resolver must merge. The reverse happens too: the CRM suggests two
look-alike people (family members, twins, namesakes) as duplicates, and a user marks them
as different people, which a resolver must respect.
"""

from dataclasses import fields, replace

import numpy as np
import polars as pl

from schemas.raw import LIFECYCLE_STAGES
from synthetic._common import (
    Rng,
    Table,
    between,
    build_frame,
    chance,
    choice,
    iso_dates,
    iso_timestamps,
    pick,
    present,
    random_member,
    sequential_ids,
    with_nulls,
)
from synthetic._noise import change_case, format_phones
from synthetic._population import Population
from synthetic._render import (
    PERSONAL,
    WORK,
    EmailMix,
    NameNoise,
    mailbox_address,
    mangle_emails,
    render_address,
    render_emails,
    render_names,
    with_placeholder_phones,
)
from synthetic._truth import hard_negative_pairs
from synthetic._vocab import (
    CURRENCIES,
    DAY,
    LEAD_STATUS_WEIGHTS,
    LEAD_STATUSES,
    LIFECYCLE_WEIGHTS,
    PRODUCTS,
    SUBSCRIPTION_STATUS_WEIGHTS,
    SUBSCRIPTION_STATUSES,
    WINDOW_END,
    WINDOW_START,
)

FIRST_RECORD_NAMES = NameNoise(
    nickname=0.05, typo=0.02, fold_accents=0.1, lower=0.02, upper=0.02, pad=0.02
)
DUPLICATE_RECORD_NAMES = NameNoise(
    nickname=0.35, typo=0.08, fold_accents=0.5, swap=0.02, lower=0.05, upper=0.03, pad=0.05
)
SECONDARY_SHARE = 0.4
"""Chance a contact lists the person's other address, plus how often the person uses it."""
CRM_PHONE_STYLES = (0.2, 0.15, 0.15, 0.15, 0.15, 0.1, 0.05, 0.05)
REVIEWED_SHARE = 0.5
"""Chance a look-alike pair of people who both have a contact was suggested to a CRM user as
a duplicate and marked as two different people."""
REVIEWED_RELATIONS = ("family", "twin", "namesake")
"""Hard negatives a CRM's duplicate rules would suggest, on the same last name and address or
the same full name; colleagues sharing an inbox differ in both, so nobody reviews them."""


def crm_tables(rng: Rng, pop: Population) -> list[Table]:
    """Accounts for every company, contacts for ~50% of people, subscriptions per account."""
    contacts = _contacts(rng, pop)
    return [_accounts(rng, pop), contacts, _subscriptions(rng, pop, contacts)]


def _accounts(rng: Rng, pop: Population) -> Table:
    """Every company, with the odd optional field left blank as in any hand-kept CRM."""
    c = pop.companies
    n = len(c.account_id)
    frame = build_frame(
        {
            "account_id": c.account_id,
            "name": c.name,
            "domain": with_nulls(c.domain, ~chance(rng, 0.03, n)),
            "industry": with_nulls(c.industry, ~chance(rng, 0.05, n)),
            "employee_count": pl.Series(c.employee_count).scatter(
                np.flatnonzero(chance(rng, 0.05, n)), None
            ),
            "billing_street": c.street,
            "billing_city": c.city,
            "billing_postcode": c.postcode,
            "billing_country": c.country,
            "owner_name": pop.reps.name[c.owner],
            "owner_email": pop.reps.email[c.owner],
            "created_at": iso_timestamps(c.created_ts),
            "updated_at": iso_timestamps(c.updated_ts),
        }
    )
    return Table("crm_accounts", "crm/accounts.csv", "account_id", frame, np.full(n, -1))


def _contacts(rng: Rng, pop: Population) -> Table:
    """Contacts for ~60% of employed and ~30% of other people, numbered in creation order.

    The contact's email is the person's main address for most first records; half of the
    contacts filed under a work address also list the personal one as secondary. ~5% of
    people get a second record, created independently by another rep: it leans on the
    person's other address, nicknames and ASCII spellings, and may predate a move or a
    name change, so the two records of one person genuinely disagree.
    """
    employed = pop.company >= 0
    known = np.flatnonzero(chance(rng, np.where(employed, 0.6, 0.3), pop.size))
    duplicated = pick(rng, known, 0.05)
    people = np.concatenate([known, duplicated])
    is_dup = np.r_[np.zeros(len(known), bool), np.ones(len(duplicated), bool)]
    created = between(rng, WINDOW_START, WINDOW_END - DAY, len(people))
    order = np.argsort(created, kind="stable")
    people, is_dup, created = people[order], is_dup[order], created[order]
    n = len(people)

    noise = NameNoise(
        **{
            f.name: np.where(
                is_dup, getattr(DUPLICATE_RECORD_NAMES, f.name), getattr(FIRST_RECORD_NAMES, f.name)
            )
            for f in fields(NameNoise)
        }
    )
    first, last = render_names(rng, pop, people, created, noise)
    mix = EmailMix(
        other=np.where(is_dup, 0.6, pop.other_share[people]),
        placeholder=0.005,
        gmail_variant=0.05,
        typo=0.02,
        upper=0.02,
    )
    email, kind = render_emails(rng, pop, people, created, mix)
    other = np.where(kind == WORK, PERSONAL, WORK)
    has_other = (other == PERSONAL) | present(pop.work_email[people])
    secondary = mangle_emails(rng, mailbox_address(pop, people, created, other), mix)
    # The other address ties someone's work and private lives together; it is on file
    # mostly for people who really use both (about half of all work-address contacts).
    secondary_share = SECONDARY_SHARE + pop.other_share[people]
    company = pop.company[people]
    account = np.where(company >= 0, pop.companies.account_id[np.maximum(company, 0)], None)
    account = with_nulls(account, ~chance(rng, 0.1, n))
    street, city, postcode = render_address(rng, pop, people, created)
    owner = np.where(
        company >= 0,
        pop.companies.owner[np.maximum(company, 0)],
        rng.integers(0, len(pop.reps.email), n),
    )
    frame = build_frame(
        {
            "contact_id": sequential_ids("CON-", n, 7),
            "account_id": account,
            "first_name": first,
            "last_name": last,
            "email": email,
            "secondary_email": with_nulls(secondary, has_other & chance(rng, secondary_share, n)),
            "phone": _office_phone(rng, pop, people),
            "mobile_phone": _formatted(rng, with_nulls(pop.mobile[people], chance(rng, 0.55, n))),
            "job_title": with_nulls(
                change_case(rng, pop.job_title[people], 0.05, 0.02), ~chance(rng, 0.15, n)
            ),
            "street": with_nulls(street, ~chance(rng, 0.15, n)),
            "city": with_nulls(city, ~chance(rng, 0.05, n)),
            "postcode": with_nulls(postcode, ~chance(rng, 0.1, n)),
            "country": with_nulls(pop.country[people], ~chance(rng, 0.02, n)),
            "birth_date": iso_dates(pop.birth_date[people] * DAY, chance(rng, 0.4, n)),
            "lifecycle_stage": choice(rng, LIFECYCLE_STAGES, LIFECYCLE_WEIGHTS, n),
            "lead_status": choice(rng, LEAD_STATUSES, LEAD_STATUS_WEIGHTS, n),
            "owner_email": with_nulls(
                pop.reps.email[owner], chance(rng, np.where(company >= 0, 0.85, 0.5), n)
            ),
            "email_opt_out": chance(rng, 0.08, n),
            "created_at": iso_timestamps(created),
            "updated_at": iso_timestamps(between(rng, created, WINDOW_END, n)),
        }
    )
    return Table("crm_contacts", "crm/contacts.csv", "contact_id", frame, people)


def mark_reviewed_duplicates(rng: Rng, contacts: Table, pop: Population) -> Table:
    """``contacts`` with ``not_duplicate_of``: the contact a user marked as another person.

    A person's first contact stands for them. The mark goes on the later contact of a pair,
    the one the CRM flagged as a suspected duplicate when it was created; a contact holds
    one mark, so the earlier contact takes it when the later one is marked already, and the
    pair stays unmarked when both are.
    """
    people, first_row = np.unique(contacts.person, return_index=True)
    row_of = dict(zip(people.tolist(), first_row.tolist(), strict=True))
    on_file = pl.Series(people)
    pairs = hard_negative_pairs(pop).filter(
        pl.col("relation").is_in(REVIEWED_RELATIONS)
        & pl.col("a").is_in(on_file.implode())
        & pl.col("b").is_in(on_file.implode())
    )
    reviewed = chance(rng, REVIEWED_SHARE, pairs.height)
    ids = contacts.ids.to_list()
    marks: list[str | None] = [None] * len(ids)
    for a, b in pairs.filter(pl.Series(reviewed)).select("a", "b").iter_rows():
        earlier, later = sorted((row_of[a], row_of[b]))
        if marks[later] is None:
            marks[later] = ids[earlier]
        elif marks[earlier] is None:
            marks[earlier] = ids[later]
    frame = contacts.frame.with_columns(pl.Series("not_duplicate_of", marks, dtype=pl.String))
    return replace(contacts, frame=frame)


def _office_phone(rng: Rng, pop: Population, people: np.ndarray) -> np.ndarray:
    """The company switchboard for some employees, else the home landline or mobile."""
    n = len(people)
    company = pop.company[people]
    home = np.where(present(pop.landline[people]), pop.landline[people], pop.mobile[people])
    switchboard = pop.companies.switchboard[np.maximum(company, 0)]
    phone = np.where((company >= 0) & chance(rng, 0.4, n), switchboard, home)
    return _formatted(rng, with_nulls(phone, ~chance(rng, 0.15, n)))


def _formatted(rng: Rng, phones: np.ndarray) -> np.ndarray:
    """Phones as reps type them: mixed styles and the odd ``0000000000`` placeholder."""
    return with_placeholder_phones(rng, format_phones(rng, phones, CRM_PHONE_STYLES), 0.005)


def _subscriptions(rng: Rng, pop: Population, contacts: Table) -> Table:
    """Products each account owns, usually signed by one of the account's contacts."""
    c = pop.companies
    account_of_contact = contacts.frame.get_column("account_id").to_numpy()
    has_contacts = np.isin(c.account_id, account_of_contact)
    counts = rng.poisson(np.where(has_contacts, 1.4, 0.4))
    company = np.repeat(np.arange(len(counts)), counts)
    n = len(company)
    start = np.sort(between(rng, WINDOW_START, WINDOW_END - 30 * DAY, n))
    company = company[rng.permutation(n)]

    known = present(account_of_contact)
    contact_rows = np.flatnonzero(known)
    contact_rows = contact_rows[np.argsort(account_of_contact[known], kind="stable")]
    member = random_member(rng, account_of_contact[contact_rows], c.account_id[company])
    signed = (member >= 0) & chance(rng, 0.7, n)
    # Position -1 of the padded arrays below stands for "no contact".
    contact_row = np.where(signed, np.r_[contact_rows, -1][member], -1)

    status = choice(rng, SUBSCRIPTION_STATUSES, SUBSCRIPTION_STATUS_WEIGHTS, n)
    ended = np.isin(status, ("cancelled", "expired"))
    end = np.where(
        status == "trialing",
        start + 14 * DAY,
        np.minimum(start + between(rng, 30 * DAY, 700 * DAY, n), WINDOW_END),
    )
    product = rng.integers(0, len(PRODUCTS), n)
    seats = choice(rng, (1, 2, 3, 5, 10), (0.4, 0.2, 0.15, 0.15, 0.1), n)
    amount = np.array([price for _, price in PRODUCTS])[product] * seats.astype(float)
    frame = build_frame(
        {
            "subscription_id": sequential_ids("SUB-", n, 6),
            "account_id": c.account_id[company],
            "contact_id": np.r_[contacts.ids.to_numpy(), None][contact_row],
            "product": np.array([name for name, _ in PRODUCTS], dtype=object)[product],
            "status": status,
            "start_date": iso_dates(start),
            "end_date": iso_dates(end, ended | (status == "trialing")),
            "amount": [f"{a:.2f}" for a in amount.tolist()],
            "currency": [CURRENCIES[country] for country in c.country[company]],
        }
    )
    person = np.r_[contacts.person, -1][contact_row]
    return Table("crm_subscriptions", "crm/subscriptions.csv", "subscription_id", frame, person)

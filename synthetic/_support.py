"""Support desk export: tickets with whatever the requester typed about themselves.

Support is where shared mailboxes bite hardest: several colleagues write in from
``support@theircompany.com`` and call from the switchboard, and family members from
``smithfamily@gmail.com`` leaving the home number, so email and phone match across people
who are not the same person. Every shared-inbox user gets at least one such ticket, and
so do two members of a few families, which makes both traps present in every sample.
"""

import numpy as np

from synthetic._common import (
    Rng,
    Table,
    between,
    build_frame,
    chance,
    choice,
    iso_timestamps,
    objects,
    pick,
    present,
    rank_within,
    sequential_ids,
    with_nulls,
)
from synthetic._noise import format_phone, format_phones
from synthetic._population import Population
from synthetic._render import (
    EmailMix,
    NameNoise,
    own_phones,
    render_company,
    render_emails,
    render_names,
    with_placeholder_phones,
)
from synthetic._vocab import (
    DAY,
    REQUESTABLE_FIELDS,
    SUBJECT_PREFIXES,
    TICKET_CHANNEL_WEIGHTS,
    TICKET_CHANNELS,
    TICKET_PRIORITIES,
    TICKET_PRIORITY_WEIGHTS,
    TICKET_STATUS_WEIGHTS,
    TICKET_STATUSES,
    TICKET_SUBJECTS,
    WINDOW_END,
    WINDOW_START,
)

REQUESTER_NAMES = NameNoise(nickname=0.15, typo=0.03, fold_accents=0.25)
REQUESTER_EMAILS = EmailMix(
    sticky=True,  # the desk knows a requester by the address they write from
    family=0.05,
    role=0.05,
    placeholder=0.01,
    gmail_variant=0.1,
    typo=0.02,
    upper=0.02,
)
OWN, INBOX, FAMILY = 0, 1, 2
"""Whose mailbox a ticket was sent from: the requester's own, a role or a family one."""
SUPPORT_PHONE_STYLES = (0.1, 0.2, 0.15, 0.2, 0.1, 0.1, 0.1, 0.05)


def support_tickets(rng: Rng, pop: Population) -> Table:
    """Tickets from ~25% of people, plus one from each colleague sharing a role mailbox and
    one from each of two members of a few families sharing a mailbox."""
    requesters = np.flatnonzero(chance(rng, 0.25, pop.size))
    inbox_users = np.flatnonzero(present(pop.role_email))
    family_writers = _family_writers(rng, pop)
    people = np.concatenate(
        [
            np.repeat(requesters, 1 + rng.poisson(0.6, len(requesters))),
            inbox_users,
            family_writers,
        ]
    )
    sender = np.repeat(
        [OWN, INBOX, FAMILY],
        [
            len(people) - len(inbox_users) - len(family_writers),
            len(inbox_users),
            len(family_writers),
        ],
    )
    created = between(rng, WINDOW_START, WINDOW_END - DAY, len(people))
    order = np.lexsort((people, created))
    people, sender, created = people[order], sender[order], created[order]
    from_inbox = sender == INBOX
    n = len(people)

    email, _ = render_emails(rng, pop, people, created, REQUESTER_EMAILS)
    email = np.select(
        [from_inbox, sender == FAMILY], [pop.role_email[people], pop.family_email[people]], email
    )
    company = render_company(rng, pop.companies, pop.company[people])
    status = choice(rng, TICKET_STATUSES, TICKET_STATUS_WEIGHTS, n)
    updated = between(rng, created, np.minimum(created + 30 * DAY, WINDOW_END), n)
    solved = np.isin(status, ("solved", "closed"))
    channel = choice(rng, TICKET_CHANNELS, TICKET_CHANNEL_WEIGHTS, n)
    frame = build_frame(
        {
            "ticket_id": sequential_ids("TKT-", n, 6),
            "requester_name": _requester_names(rng, pop, people, created),
            "requester_email": email,
            "requester_phone": _requester_phones(rng, pop, people, sender, channel),
            "company": with_nulls(company, chance(rng, np.where(from_inbox, 0.8, 0.45), n)),
            "subject": choice(rng, SUBJECT_PREFIXES, [1] * len(SUBJECT_PREFIXES), n)
            + choice(rng, TICKET_SUBJECTS, [1] * len(TICKET_SUBJECTS), n),
            "channel": channel,
            "priority": choice(rng, TICKET_PRIORITIES, TICKET_PRIORITY_WEIGHTS, n),
            "status": status,
            "created_at": iso_timestamps(created),
            "updated_at": iso_timestamps(updated),
            "solved_at": iso_timestamps(between(rng, created, updated, n), solved),
            "requested_fields": _requested_fields(rng, n),
        }
    )
    return Table("support_tickets", "support/tickets.csv", "ticket_id", frame, people)


def _requester_names(
    rng: Rng, pop: Population, people: np.ndarray, created: np.ndarray
) -> np.ndarray:
    """``Jane Doe``, ``Doe, Jane`` or ``jane doe``, as the help desk captured the sender."""
    first, last = render_names(rng, pop, people, created, REQUESTER_NAMES)
    style = choice(
        rng, ("natural", "last_first", "lower", "upper"), (0.75, 0.12, 0.1, 0.03), len(people)
    )
    natural = first + " " + last
    return np.select(
        [style == "last_first", style == "lower", style == "upper"],
        [
            last + ", " + first,
            objects([v.lower() for v in natural]),
            objects([v.upper() for v in natural]),
        ],
        natural,
    )


def _family_writers(rng: Rng, pop: Population) -> np.ndarray:
    """The two eldest members of ~2% (at least two) of the homes sharing a family mailbox."""
    homes = np.unique(pop.household[present(pop.family_email)])
    chosen = pick(rng, homes, 0.02, minimum=2)
    return np.flatnonzero(np.isin(pop.household, chosen) & (rank_within(pop.household) < 2))


def _requester_phones(
    rng: Rng, pop: Population, people: np.ndarray, sender: np.ndarray, channel: np.ndarray
) -> np.ndarray:
    """A number for phone tickets (the caller id, in E.164) and ~40% of the others: one of
    the requester's own numbers; for shared-inbox senders mostly the mobile in their
    signature, else the switchboard; for family-mailbox senders the home line."""
    n = len(people)
    from_inbox = sender == INBOX
    company = np.maximum(pop.company[people], 0)
    own = np.where(sender == FAMILY, pop.landline[people], own_phones(rng, pop, people, 0.6))
    inbox_phone = np.where(
        chance(rng, 0.4, n), pop.companies.switchboard[company], pop.mobile[people]
    )
    phone = np.where(from_inbox, inbox_phone, own)
    known = np.where(channel == "phone", 0.95, np.where(sender == OWN, 0.4, 0.85))
    phone = with_nulls(phone, chance(rng, known, n))
    typed = format_phones(rng, phone, SUPPORT_PHONE_STYLES)
    # The telephony integration stores caller ids in E.164; agents type the rest.
    caller_id = objects([None if p is None else format_phone(p, 0) for p in phone])
    return with_placeholder_phones(rng, np.where(channel == "phone", caller_id, typed), 0.01)


def _requested_fields(rng: Rng, n: int) -> np.ndarray:
    """Details the agent asked for, ``;``-joined in a fixed order; missing for ~40%."""
    asked = rng.random((n, len(REQUESTABLE_FIELDS))) < rng.choice(
        (0.0, 0.15, 0.3, 0.5), size=(n, 1), p=(0.4, 0.3, 0.2, 0.1)
    )
    return objects(
        [
            ";".join(f for f, a in zip(REQUESTABLE_FIELDS, row, strict=True) if a) or None
            for row in asked.tolist()
        ]
    )

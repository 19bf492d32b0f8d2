"""Support desk export: tickets with whatever the requester typed about themselves.

Support is where shared mailboxes bite hardest: several colleagues write in from
``support@theircompany.com`` and call from the switchboard, so email and phone match
across people who are not the same person. Every shared-inbox user gets at least one such
ticket, which makes the trap present in every sample.
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
    present,
    sequential_ids,
    with_nulls,
)
from synthetic._noise import format_phones
from synthetic._population import Population
from synthetic._render import (
    EmailMix,
    NameNoise,
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
    work=0.5, family=0.2, role=0.15, placeholder=0.01, gmail_variant=0.1, typo=0.02, upper=0.02
)
SUPPORT_PHONE_STYLES = (0.1, 0.2, 0.15, 0.2, 0.1, 0.1, 0.1, 0.05)


def support_tickets(rng: Rng, pop: Population) -> Table:
    """Tickets from ~25% of people, plus one from each colleague sharing a role mailbox."""
    requesters = np.flatnonzero(chance(rng, 0.25, pop.size))
    inbox_users = np.flatnonzero(present(pop.role_email))
    people = np.concatenate(
        [np.repeat(requesters, 1 + rng.poisson(0.6, len(requesters))), inbox_users]
    )
    from_inbox = np.r_[
        np.zeros(len(people) - len(inbox_users), bool), np.ones(len(inbox_users), bool)
    ]
    created = between(rng, WINDOW_START, WINDOW_END - DAY, len(people))
    order = np.lexsort((people, created))
    people, from_inbox, created = people[order], from_inbox[order], created[order]
    n = len(people)

    email, _ = render_emails(rng, pop, people, created, REQUESTER_EMAILS)
    email = np.where(from_inbox, pop.role_email[people], email)
    company = render_company(rng, pop.companies, pop.company[people])
    status = choice(rng, TICKET_STATUSES, TICKET_STATUS_WEIGHTS, n)
    updated = between(rng, created, np.minimum(created + 30 * DAY, WINDOW_END), n)
    solved = np.isin(status, ("solved", "closed"))
    frame = build_frame(
        {
            "ticket_id": sequential_ids("TKT-", n, 6),
            "requester_name": _requester_names(rng, pop, people, created),
            "requester_email": email,
            "requester_phone": _requester_phones(rng, pop, people, from_inbox),
            "company": with_nulls(company, chance(rng, np.where(from_inbox, 0.8, 0.45), n)),
            "subject": choice(rng, SUBJECT_PREFIXES, [1] * len(SUBJECT_PREFIXES), n)
            + choice(rng, TICKET_SUBJECTS, [1] * len(TICKET_SUBJECTS), n),
            "channel": choice(rng, TICKET_CHANNELS, TICKET_CHANNEL_WEIGHTS, n),
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


def _requester_phones(
    rng: Rng, pop: Population, people: np.ndarray, from_inbox: np.ndarray
) -> np.ndarray:
    """A callback number for ~45% of tickets: the switchboard for shared-inbox senders."""
    n = len(people)
    company = np.maximum(pop.company[people], 0)
    own = np.where(chance(rng, 0.6, n), pop.mobile[people], pop.main_phone[people])
    phone = np.where(from_inbox, pop.companies.switchboard[company], own)
    phone = with_nulls(phone, chance(rng, np.where(from_inbox, 0.7, 0.45), n))
    return with_placeholder_phones(rng, format_phones(rng, phone, SUPPORT_PHONE_STYLES), 0.01)


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

"""Email platform exports: the subscriber list and campaign events.

The platform keys everything by address, folds accents (it was set up for ASCII) and
happily keeps two subscribers for ``jane.doe@gmail.com`` and ``janedoe+news@gmail.com``.
Part of the list is fed by the CRM sync, so those subscribers carry their CRM address.
Clicks carry the cookie of the browser the link opened in, which is the bridge between
email identities and anonymous web traffic; those clicks are returned as ``Landings`` so
the web export shows the matching page view.
"""

import numpy as np
import polars as pl

from synthetic._common import (
    Rng,
    Table,
    between,
    build_frame,
    chance,
    choice,
    iso_timestamps,
    objects,
    opaque_ids,
    pick,
    present,
    random_member,
    sequential_ids,
    uuid_like,
    with_nulls,
)
from synthetic._population import Population
from synthetic._render import EmailMix, NameNoise, render_emails, render_names
from synthetic._vocab import (
    DAY,
    EMAIL_STATUS_WEIGHTS,
    EMAIL_STATUSES,
    PAGES,
    TOPICS,
    WEBSITE,
    WINDOW_END,
    WINDOW_START,
)
from synthetic._web import Cookies, Landings

SUBSCRIBER_NAMES = NameNoise(nickname=0.05, typo=0.02, fold_accents=0.7, lower=0.05, pad=0.01)
CRM_SYNCED_SHARE = 0.5
"""Share of subscribers known to the CRM whose list entry came from the CRM sync."""
NAMED_SHARE = 0.85
"""Share of subscribers whose first/last name merge fields are filled in."""
CAMPAIGNS = 60
RECEIVE_SHARE = 0.12
"""Share of eligible campaigns a subscriber is targeted with (segments, frequency caps)."""


def email_tables(
    rng: Rng, pop: Population, cookies: Cookies, contacts: Table
) -> tuple[Table, Table, Landings]:
    """Subscribers for ~55% of people, their campaign events, and the web visits clicks cause."""
    subscribers, signup, changed = _subscribers(rng, pop, contacts)
    events, landings = _events(rng, subscribers, signup, changed, cookies)
    return subscribers, events, landings


def _subscribers(
    rng: Rng, pop: Population, contacts: Table
) -> tuple[Table, np.ndarray, np.ndarray]:
    """Subscriber rows plus each one's sign-up and last-status-change epoch seconds.

    Half of the people the CRM knows were put on the list by the CRM sync, so their
    subscriber address is the one (typo and all) of their first CRM contact.
    """
    people = np.flatnonzero(chance(rng, 0.55, pop.size))
    second = pick(rng, people, 0.08)
    first_subscription = np.r_[np.ones(len(people), bool), np.zeros(len(second), bool)]
    people = np.concatenate([people, second])
    signup = between(rng, WINDOW_START, WINDOW_END - 7 * DAY, len(people))
    mix = EmailMix(
        family=0.08,
        role=0.15,
        typo=0.01,
        upper=0.03,
        gmail_variant=np.r_[np.full(len(people) - len(second), 0.12), np.full(len(second), 0.6)],
    )
    email, _ = render_emails(rng, pop, people, signup, mix)
    crm_email = _crm_emails(pop, contacts)[people]
    synced = first_subscription & present(crm_email) & chance(rng, CRM_SYNCED_SHARE, len(people))
    email = np.where(synced, crm_email, email)
    first, last = render_names(rng, pop, people, signup, SUBSCRIBER_NAMES)
    # The platform holds one subscriber per address: the earliest sign-up wins.
    order = np.lexsort((people, signup))
    keep = order[
        pl.Series(email[order].tolist(), dtype=pl.String)
        .str.to_lowercase()
        .is_first_distinct()
        .to_numpy()
    ]
    people, signup, email, first, last = (a[keep] for a in (people, signup, email, first, last))
    n = len(people)
    status = choice(rng, EMAIL_STATUSES, EMAIL_STATUS_WEIGHTS, n)
    changed = np.where(status == "pending", signup, between(rng, signup, WINDOW_END, n))
    named = chance(rng, NAMED_SHARE, n)
    frame = build_frame(
        {
            "subscriber_id": sequential_ids("SUBR-", n, 6),
            "email": email,
            "first_name": with_nulls(first, named),
            "last_name": with_nulls(last, named),
            "status": status,
            "opt_in_at": iso_timestamps(signup, status != "pending"),
            "last_changed_at": iso_timestamps(changed),
            "country": with_nulls(pop.country[people], chance(rng, 0.7, n)),
        }
    )
    table = Table("email_subscribers", "email/subscribers.csv", "subscriber_id", frame, people)
    return table, signup, changed


def _crm_emails(pop: Population, contacts: Table) -> np.ndarray:
    """Per person, the email of their earliest CRM contact (None if the CRM lacks them)."""
    person, first = np.unique(contacts.person, return_index=True)
    out = np.full(pop.size, None, dtype=object)
    out[person] = contacts.frame.get_column("email").to_numpy()[first]
    return out


def _campaigns(rng: Rng) -> dict[str, np.ndarray]:
    """A newsletter roughly every three weeks, each about one topic."""
    slot = (WINDOW_END - WINDOW_START) // CAMPAIGNS
    send = WINDOW_START + np.arange(CAMPAIGNS) * slot + between(rng, DAY, slot - DAY, CAMPAIGNS)
    topic = choice(rng, TOPICS, [1] * len(TOPICS), CAMPAIGNS)
    month = pl.from_epoch(pl.Series(send), time_unit="s").dt.strftime("%b %Y").to_list()
    pages = {t: [path for path, page_topic in PAGES if page_topic == t] for t in TOPICS}
    landing = objects([pages[t][i % len(pages[t])] for i, t in enumerate(topic)])
    campaign_id = objects([f"cmp_{i:04d}" for i in range(1, CAMPAIGNS + 1)])
    return {
        "id": campaign_id,
        "name": objects(
            [
                f"{m} | {t.replace('-', ' ').title()} newsletter"
                for m, t in zip(month, topic, strict=True)
            ]
        ),
        "topic": topic,
        "send": send,
        "url": WEBSITE
        + landing
        + "?utm_source=newsletter&utm_medium=email&utm_campaign="
        + campaign_id,
    }


def _events(
    rng: Rng, subscribers: Table, signup: np.ndarray, changed: np.ndarray, cookies: Cookies
) -> tuple[Table, Landings]:
    """Sends within each subscriber's active period, then bounces, opens, clicks, unsubscribes."""
    sub = subscribers.frame
    status = sub.get_column("status").to_numpy()
    stop = np.where(np.isin(status, ("unsubscribed", "cleaned")), changed, WINDOW_END)
    campaigns = _campaigns(rng)
    send = campaigns["send"]
    targeted = (
        (send[None, :] >= signup[:, None])
        & (send[None, :] < stop[:, None])
        & (status != "pending")[:, None]
        & (rng.random((len(status), CAMPAIGNS)) < RECEIVE_SHARE)
    )
    sent_sub, sent_campaign = np.nonzero(targeted)
    sent_ts = send[sent_campaign] + rng.integers(0, 3600, len(sent_sub))
    last_send = np.r_[sent_sub[1:] != sent_sub[:-1], True]

    hard = last_send & (status[sent_sub] == "cleaned")
    soft = ~hard & chance(rng, 0.015, len(sent_sub))
    engagement = rng.beta(2.0, 3.0, len(status))
    opened = ~hard & ~soft & chance(rng, engagement[sent_sub], len(sent_sub))
    open_ts = np.minimum(
        sent_ts + rng.exponential(6 * 3600, len(sent_ts)).astype(np.int64), WINDOW_END
    )
    clicked = opened & chance(rng, 0.3, len(sent_sub))
    click_ts = np.minimum(open_ts + between(rng, 5, 900, len(sent_sub)), WINDOW_END)
    unsubscribed = last_send & (status[sent_sub] == "unsubscribed")
    unsub_ts = np.maximum(stop[sent_sub], sent_ts + 60)

    bounce = hard | soft
    parts = [
        ("sent", np.ones(len(sent_sub), bool), sent_ts),
        ("bounce", bounce, sent_ts + 5),
        ("open", opened, open_ts),
        ("click", clicked, click_ts),
        ("unsubscribe", unsubscribed, np.minimum(unsub_ts, WINDOW_END)),
    ]
    row = np.concatenate([np.flatnonzero(mask) for _, mask, _ in parts])
    kind = np.concatenate([np.full(int(mask.sum()), name, dtype=object) for name, mask, _ in parts])
    ts = np.concatenate([when[mask] for _, mask, when in parts])
    person = subscribers.person[sent_sub[row]]
    cookie = _click_cookies(rng, cookies, person, kind == "click")
    bounce_type = np.where(kind == "bounce", np.where(hard[row], "hard", "soft"), None)
    url = np.where(kind == "click", campaigns["url"][sent_campaign[row]], None)
    order = np.lexsort((row, ts))
    campaign = sent_campaign[row]
    frame = build_frame(
        {
            "event_id": opaque_ids(rng, "eml_", len(row)),
            "subscriber_id": sub.get_column("subscriber_id").to_numpy()[sent_sub[row]][order],
            "email": sub.get_column("email").to_numpy()[sent_sub[row]][order],
            "event_type": kind[order],
            "bounce_type": bounce_type[order],
            "campaign_id": campaigns["id"][campaign][order],
            "campaign_name": campaigns["name"][campaign][order],
            "campaign_topic": campaigns["topic"][campaign][order],
            "timestamp": iso_timestamps(ts[order]),
            "url": url[order],
            "anonymous_id": cookie[order],
        }
    )
    landed = present(cookie)
    landings = Landings(
        cookie_id=cookie[landed],
        person=person[landed],
        ts=np.minimum(ts[landed] + between(rng, 1, 20, int(landed.sum())), WINDOW_END),
        url=url[landed],
        topic=campaigns["topic"][campaign][landed],
    )
    table = Table("email_events", "email/events.jsonl", "event_id", frame, person[order])
    return table, landings


def _click_cookies(
    rng: Rng, cookies: Cookies, person: np.ndarray, is_click: np.ndarray
) -> np.ndarray:
    """The browser cookie ~70% of clicks report: one of the clicker's devices, or a new one.

    People with no known device get one new cookie each, reused for all their clicks, so
    the email click and the web page view that follows it share an id.
    """
    tracked = is_click & chance(rng, 0.7, len(person))
    device = random_member(rng, cookies.person, person)
    unknown = np.unique(person[tracked & (device < 0)])
    fresh = np.full(int(person.max(initial=-1)) + 1, None, dtype=object)
    fresh[unknown] = uuid_like(rng, len(unknown))
    known = np.r_[cookies.cookie_id, None][device]  # device -1: no known cookie
    return with_nulls(np.where(device >= 0, known, fresh[person]), tracked)

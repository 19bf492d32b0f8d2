"""Web analytics export: page views and form submissions keyed by anonymous cookie ids.

A person browses from 1-3 devices, each a separate cookie, so page views alone never say
who the visitor is; only a form submission (with typed, noisy traits) or an email click
that lands in the same browser ties a cookie to a person. Web events are the biggest
table, as in any real stack.
"""

from dataclasses import dataclass

import numpy as np
import polars as pl

from synthetic._common import (
    Rng,
    Table,
    between,
    build_frame,
    chance,
    choice,
    expand,
    iso_timestamps,
    objects,
    opaque_ids,
    random_member,
    uuid_like,
    with_nulls,
)
from synthetic._noise import change_case, format_phones
from synthetic._population import Population
from synthetic._render import (
    EmailMix,
    NameNoise,
    own_phones,
    render_company,
    render_country,
    render_emails,
    render_names,
    with_placeholder_phones,
)
from synthetic._vocab import DAY, FORMS, PAGES, TRAIT_FIELDS, WEBSITE, WINDOW_END, WINDOW_START

FORM_NAMES = NameNoise(nickname=0.1, typo=0.03, fold_accents=0.2, lower=0.12, upper=0.02, pad=0.03)
FORM_EMAILS = EmailMix(
    sticky=True,  # the browser autofills the same address into every form
    family=0.05,
    role=0.15,
    placeholder=0.01,
    gmail_variant=0.15,
    typo=0.02,
    upper=0.03,
)
FORM_PHONE_STYLES = (0.25, 0.15, 0.1, 0.15, 0.1, 0.15, 0.05, 0.05)
FORM_WEIGHTS = {
    "contact_us": 0.2,
    "demo_request": 0.2,
    "newsletter_signup": 0.3,
    "webinar_registration": 0.15,
    "trial_signup": 0.15,
}
_QUERY_STRINGS = ("", "?utm_source=google&utm_medium=cpc", "?ref=linkedin", "?utm_source=partner")


@dataclass(frozen=True)
class Cookies:
    """Browser cookies (one per device) and their owner, sorted by owner."""

    cookie_id: np.ndarray
    person: np.ndarray
    first_seen: np.ndarray


@dataclass(frozen=True)
class Landings:
    """Page views that another system caused, e.g. a click in an email opening the site."""

    cookie_id: np.ndarray
    person: np.ndarray
    ts: np.ndarray
    url: np.ndarray
    topic: np.ndarray


def assign_cookies(rng: Rng, pop: Population) -> Cookies:
    """Give ~60% of people 1-3 devices, each with its own cookie."""
    visitors = np.flatnonzero(chance(rng, 0.6, pop.size))
    devices = choice(rng, (1, 2, 3), (0.5, 0.35, 0.15), len(visitors)).astype(np.int64)
    person = np.repeat(visitors, devices)
    return Cookies(
        cookie_id=uuid_like(rng, len(person)),
        person=person,
        first_seen=between(rng, WINDOW_START, WINDOW_END - 7 * DAY, len(person)),
    )


def web_events(rng: Rng, pop: Population, cookies: Cookies, landings: Landings) -> Table:
    """Browsing sessions per cookie, email landings, and form submissions with traits."""
    views = _page_views(rng, pop, cookies)
    views = {
        key: np.concatenate([views[key], extra])
        for key, extra in zip(
            ("cookie", "person", "ts", "url", "topic"),
            (landings.cookie_id, landings.person, landings.ts, landings.url, landings.topic),
            strict=True,
        )
    }
    forms = _form_submits(rng, pop, views)
    n_views, n_forms = len(views["ts"]), len(forms["ts"])
    person = np.concatenate([views["person"], forms["person"]])
    ts = np.concatenate([views["ts"], forms["ts"]])
    order = np.lexsort((person, ts))
    no_traits = np.full(n_views, None, dtype=object)
    columns = {
        "event_id": opaque_ids(rng, "evt_", n_views + n_forms),
        "anonymous_id": np.concatenate([views["cookie"], forms["cookie"]]),
        "event_type": objects(["page_view"] * n_views + ["form_submit"] * n_forms),
        "timestamp": ts,
        "page_url": np.concatenate([views["url"], forms["url"]]),
        "page_topic": np.concatenate([views["topic"], forms["topic"]]),
        "form_id": np.concatenate([no_traits, forms["form_id"]]),
        **{f"traits_{f}": np.concatenate([no_traits, forms[f]]) for f in TRAIT_FIELDS},
    }
    columns = {name: values[order] for name, values in columns.items()}
    columns["timestamp"] = iso_timestamps(columns["timestamp"])
    requested = [None] * n_views + forms["fields"]
    fields_requested = pl.Series(
        "fields_requested", [requested[i] for i in order.tolist()], dtype=pl.List(pl.String)
    )
    frame = (
        build_frame(columns)
        .with_columns(fields_requested)
        .select(
            *[c for c in columns if not c.startswith("traits_")],
            "fields_requested",
            pl.when(pl.col("event_type") == "form_submit")
            .then(pl.struct(**{f: pl.col(f"traits_{f}") for f in TRAIT_FIELDS}))
            .alias("traits"),
        )
    )
    return Table("web_events", "web/events.jsonl", "event_id", frame, person[order])


def _page_views(rng: Rng, pop: Population, cookies: Cookies) -> dict[str, np.ndarray]:
    """Sessions of a few page views each, spread over the cookie's lifetime."""
    sessions = 1 + rng.poisson(1.0, len(cookies.cookie_id))
    session_cookie, _ = expand(sessions)
    start = between(rng, cookies.first_seen[session_cookie], WINDOW_END - DAY, len(session_cookie))
    pages = 1 + rng.poisson(1.2, len(session_cookie))
    view_session, rank = expand(pages)
    gap = (15 + rng.exponential(70.0, len(view_session))).astype(np.int64)
    gap[rank == 0] = 0
    total = np.cumsum(gap)
    offset = total - np.repeat(total[np.cumsum(pages) - pages], pages)
    cookie = session_cookie[view_session]
    person = cookies.person[cookie]
    favourite = rng.integers(0, len(PAGES), pop.size)[person]
    page = np.where(
        chance(rng, 0.4, len(cookie)), favourite, rng.integers(0, len(PAGES), len(cookie))
    )
    paths = objects([path for path, _ in PAGES])
    query = choice(rng, _QUERY_STRINGS, (0.85, 0.07, 0.05, 0.03), len(cookie))
    return {
        "cookie": cookies.cookie_id[cookie],
        "person": person,
        "ts": start[view_session] + offset,
        "url": WEBSITE + paths[page] + query,
        "topic": objects([topic for _, topic in PAGES])[page],
    }


def _form_submits(rng: Rng, pop: Population, views: dict[str, np.ndarray]) -> dict:
    """Forms filled in by ~25% of visitors, right after one of their page views."""
    by_person = np.argsort(views["person"], kind="stable")
    visitors = np.unique(views["person"])
    submitters = visitors[chance(rng, 0.25, len(visitors))]
    people = np.repeat(submitters, 1 + chance(rng, 0.3, len(submitters)))
    n = len(people)
    view = by_person[random_member(rng, views["person"][by_person], people)]
    ts = np.minimum(views["ts"][view] + between(rng, 20, 300, n), WINDOW_END)
    form_id = choice(rng, tuple(FORM_WEIGHTS), tuple(FORM_WEIGHTS.values()), n)
    asked = {f: np.array([f in FORMS[form][2] for form in form_id]) for f in TRAIT_FIELDS}
    first, last = render_names(rng, pop, people, ts, FORM_NAMES)
    email, _ = render_emails(rng, pop, people, ts, FORM_EMAILS)
    phone = format_phones(rng, own_phones(rng, pop, people, 0.8), FORM_PHONE_STYLES)
    values = {
        "email": email,
        "first_name": first,
        "last_name": last,
        "company": render_company(rng, pop.companies, pop.company[people]),
        "phone": with_placeholder_phones(rng, phone, 0.02),
        "job_title": change_case(rng, pop.job_title[people], 0.2, 0.02),
        "country": render_country(rng, pop.country[people]),
    }
    return {
        "cookie": views["cookie"][view],
        "person": people,
        "ts": ts,
        "url": objects([WEBSITE + FORMS[form][0] for form in form_id]),
        "topic": objects([FORMS[form][1] for form in form_id]),
        "form_id": form_id,
        "fields": [list(FORMS[form][2]) for form in form_id],
        **{f: with_nulls(values[f], asked[f]) for f in TRAIT_FIELDS},
    }

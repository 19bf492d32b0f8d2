"""Social listening export: interactions with the brand's accounts on four platforms.

Social is the weakest identity signal: a handle and a display name chosen by the person
(nicknames, lower case, initials), an email only when someone DMs it or fills a lead form
(about a third of profiles, with one of the person's usual addresses), and a company when
the profile states it (most LinkedIn interactions, a few elsewhere).
"""

import numpy as np

from synthetic._common import (
    Rng,
    Table,
    between,
    birth_years,
    build_frame,
    chance,
    choice,
    expand,
    iso_timestamps,
    objects,
    opaque_ids,
    with_nulls,
)
from synthetic._noise import ascii_slug
from synthetic._population import Population
from synthetic._render import (
    EmailMix,
    NameNoise,
    choose_mailbox,
    mailbox_address,
    mangle_emails,
    render_company,
    render_names,
)
from synthetic._vocab import (
    INTERACTION_TYPES,
    INTERACTION_WEIGHTS,
    SOCIAL_PLATFORM_WEIGHTS,
    SOCIAL_PLATFORMS,
    WINDOW_END,
    WINDOW_START,
)

PROFILE_NAMES = NameNoise(nickname=0.25, typo=0.02, fold_accents=0.3, lower=0.15, pad=0.02)
STATED_EMAILS = EmailMix(gmail_variant=0.1, typo=0.01)
EMAIL_PROFILE_SHARE = 0.3
"""Share of profiles that give an email somewhere (a lead-gen form, a direct message)."""
LINKEDIN_COMPANY, OTHER_COMPANY = 0.95, 0.3
"""Share of an employed person's interactions showing their company, on LinkedIn and
elsewhere (about 80% of all LinkedIn interactions: few LinkedIn members have no job)."""


def social_interactions(rng: Rng, pop: Population) -> Table:
    """Profiles for ~25% of people on 1-4 platforms, each with a few interactions."""
    members = np.flatnonzero(chance(rng, 0.25, pop.size))
    counts = np.minimum(1 + rng.binomial(3, 0.25, len(members)), len(SOCIAL_PLATFORMS))
    # Weighted sampling without replacement: the k largest of u ** (1 / weight). LinkedIn
    # is for working life, so people without an employer are rarely there.
    weights = np.tile(np.asarray(SOCIAL_PLATFORM_WEIGHTS), (len(members), 1))
    weights[pop.company[members] < 0, SOCIAL_PLATFORMS.index("linkedin")] *= 0.2
    keys = rng.random((len(members), len(SOCIAL_PLATFORMS))) ** (1.0 / weights)
    ranked = np.argsort(-keys, axis=1)
    profile_member, slot = expand(counts)
    platform = objects(SOCIAL_PLATFORMS)[ranked[profile_member, slot]]
    person = members[profile_member]
    handle, display = _profiles(rng, pop, person, platform)
    # What the profile states about its owner: one address (if any) and one employer.
    mailbox = choose_mailbox(rng, pop, person, STATED_EMAILS)
    states_email = chance(rng, EMAIL_PROFILE_SHARE, len(person))
    company = render_company(rng, pop.companies, pop.company[person])
    company_share = np.where(platform == "linkedin", LINKEDIN_COMPANY, OTHER_COMPANY)

    interactions = 1 + rng.poisson(1.5, len(person))
    profile, rank = expand(interactions)
    who = person[profile]
    n = len(profile)
    ts = between(rng, WINDOW_START, WINDOW_END, n)
    order = np.lexsort((profile, ts))
    # The lead form or message that gave the address, and now and then a repeat of it.
    anchor = (rng.random(len(person)) * interactions).astype(np.int64)
    gave = (rank == anchor[profile]) | chance(rng, 0.2, n)
    email = mangle_emails(rng, mailbox_address(pop, who, ts, mailbox[profile]), STATED_EMAILS)
    frame = build_frame(
        {
            "interaction_id": opaque_ids(rng, "soc_", n),
            "platform": platform[profile][order],
            "handle": handle[profile][order],
            "display_name": display[profile][order],
            "email": with_nulls(email, states_email[profile] & gave)[order],
            "company": with_nulls(company[profile], chance(rng, company_share[profile], n))[order],
            "interaction_type": choice(rng, INTERACTION_TYPES, INTERACTION_WEIGHTS, n)[order],
            "timestamp": iso_timestamps(ts[order]),
        }
    )
    return Table(
        "social_interactions", "social/interactions.jsonl", "interaction_id", frame, who[order]
    )


def _profiles(
    rng: Rng, pop: Population, person: np.ndarray, platform: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Unique ``@handle`` per platform and the display name shown next to it."""
    n = len(person)
    first, last = render_names(rng, pop, person, np.full(n, WINDOW_END), PROFILE_NAMES)
    style, digits = rng.integers(0, 5, n), rng.integers(1, 100, n)
    yy = birth_years(pop.birth_date[person]) % 100
    taken: set[tuple[str, str]] = set()
    handles, displays = [], []
    for i in range(n):
        f, s = ascii_slug(pop.first_name[person[i]]), ascii_slug(pop.last_name[person[i]])
        base = (
            f"{f}.{s}{yy[i]:02d}",
            f"{f}{s}",
            f"{f}_{s[:1]}",
            f"{f[:1]}{s}{digits[i]}",
            f"{s}.{f}",
        )[style[i]]
        handle, suffix = f"@{base}", 1
        while (platform[i], handle) in taken:
            suffix += 1
            handle = f"@{base}{suffix}"
        taken.add((platform[i], handle))
        handles.append(handle)
        shown = (f"{first[i]} {last[i]}", f"{first[i]} {last[i][:1]}.", first[i])
        displays.append(shown[style[i] % 3])
    return objects(handles), objects(displays)

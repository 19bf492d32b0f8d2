"""Locale-specific value pools drawn once from Faker, then sampled with numpy.

Faker gives realistic names, streets and cities per locale but costs tens of microseconds
per call, far too slow for a million rows. So each pool is a few thousand Faker draws kept
*with* repetitions: sampling a pool uniformly then reproduces Faker's own frequency weights
(common names stay common, which also creates natural namesakes).
"""

from dataclasses import dataclass

import numpy as np
from faker import Faker

from synthetic._common import Rng, objects
from synthetic._vocab import EXTRA_ACCENTED_FIRST_NAMES, LOCALES


@dataclass(frozen=True)
class LocalePools:
    """Values typical for one country."""

    female: np.ndarray
    male: np.ndarray
    last: np.ndarray
    street: np.ndarray
    city: np.ndarray
    postcode: np.ndarray
    job: np.ndarray


def build_pools(seed: int, size: int = 1500) -> dict[str, LocalePools]:
    """One pool set per country, each from a Faker instance seeded from ``seed``."""
    pools = {}
    for offset, (country, locale) in enumerate(LOCALES.items()):
        fake = Faker(locale)
        fake.seed_instance(seed * 7919 + offset)
        female = [fake.first_name_female() for _ in range(size)]
        male = [fake.first_name_male() for _ in range(size)]
        extra_female, extra_male = EXTRA_ACCENTED_FIRST_NAMES.get(country, ((), ()))
        repeat = max(1, size // 150)
        pools[country] = LocalePools(
            female=objects(female + list(extra_female) * repeat),
            male=objects(male + list(extra_male) * repeat),
            last=objects([fake.last_name() for _ in range(size)]),
            street=objects([fake.street_name() for _ in range(size)]),
            city=objects([fake.city() for _ in range(size)]),
            postcode=objects([fake.postcode() for _ in range(size)]),
            job=objects([fake.job() for _ in range(size // 3)]),
        )
    return pools


def sample_pool(
    rng: Rng, pools: dict[str, LocalePools], countries: np.ndarray, field: str
) -> np.ndarray:
    """One value per row from the pool ``field`` of the row's country."""
    out = np.empty(len(countries), dtype=object)
    for country, pool in pools.items():
        rows = np.flatnonzero(countries == country)
        values = getattr(pool, field)
        out[rows] = values[rng.integers(0, len(values), len(rows))]
    return out


def sample_first_names(
    rng: Rng, pools: dict[str, LocalePools], countries: np.ndarray, female: np.ndarray
) -> np.ndarray:
    """A first name per row from the female or male pool of the row's country."""
    return np.where(
        female,
        sample_pool(rng, pools, countries, "female"),
        sample_pool(rng, pools, countries, "male"),
    )

"""Email addresses for the population, unique per mailbox.

Addresses are derived from names the way people really pick them (``jane.doe84``,
``jdoe``, ``doe.jane``), with the provider mix of each country, and corporate addresses
follow one pattern per company.
"""

import numpy as np

from synthetic._common import Rng, birth_years, choice, pick
from synthetic._noise import ascii_slug, canonical_email
from synthetic._vocab import PERSONAL_EMAIL_DOMAINS

_PERSONAL_STYLES = (
    "first.last",
    "firstlast",
    "first_last",
    "flast",
    "first.lastYY",
    "firstlastNN",
    "firstYY",
    "last.first",
)
_PERSONAL_STYLE_WEIGHTS = (0.25, 0.2, 0.08, 0.1, 0.12, 0.12, 0.08, 0.05)


class MailboxAllocator:
    """Allocates email addresses that are unique per mailbox across the whole population.

    Uniqueness is checked on the canonical mailbox (Gmail dots and ``+tags`` removed), so
    two different people can never own addresses that deliver to the same inbox, except
    where the sharing is deliberate (family and role mailboxes).
    """

    def __init__(self, rng: Rng) -> None:
        self._rng = rng
        self._taken: set[str] = set()

    def _claim(self, local: str, domain: str) -> str:
        """``local@domain``, or ``local2@domain``, ... if that mailbox is already taken."""
        email, suffix = f"{local}@{domain}", 1
        while canonical_email(email) in self._taken:
            suffix += 1
            email = f"{local}{suffix}@{domain}"
        self._taken.add(canonical_email(email))
        return email

    def _providers(self, countries: np.ndarray) -> np.ndarray:
        """A personal email provider per row, with each country's market shares."""
        out = np.empty(len(countries), dtype=object)
        for country, (domains, weights) in PERSONAL_EMAIL_DOMAINS.items():
            rows = np.flatnonzero(countries == country)
            out[rows] = choice(self._rng, domains, weights, len(rows))
        return out

    def personal(
        self,
        country: np.ndarray,
        first: np.ndarray,
        last: np.ndarray,
        maiden: np.ndarray,
        birth_days: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Current personal address, and the one used under the maiden name if any."""
        n = len(country)
        style = choice(self._rng, _PERSONAL_STYLES, _PERSONAL_STYLE_WEIGHTS, n)
        old_domain, new_domain = self._providers(country), self._providers(country)
        yy, nn = birth_years(birth_days) % 100, self._rng.integers(1, 100, n)
        current, old = np.empty(n, dtype=object), np.full(n, None, dtype=object)
        for i in range(n):
            f, s = ascii_slug(first[i]), style[i]
            if maiden[i] is not None:
                old[i] = self._claim(
                    _local_part(s, f, ascii_slug(maiden[i]), yy[i], nn[i]), old_domain[i]
                )
            current[i] = self._claim(
                _local_part(s, f, ascii_slug(last[i]), yy[i], nn[i]), new_domain[i]
            )
        return current, old

    def work(
        self, first: np.ndarray, last: np.ndarray, company: np.ndarray, domains: np.ndarray
    ) -> np.ndarray:
        """``first.last@domain`` (or the company's own pattern, indexed by ``company``)."""
        pattern = choice(self._rng, ("first.last", "flast", "first"), (0.7, 0.2, 0.1), len(domains))
        out = np.full(len(first), None, dtype=object)
        for i in np.flatnonzero(company >= 0).tolist():
            c = company[i]
            local = _local_part(pattern[c], ascii_slug(first[i]), ascii_slug(last[i]), 0, 0)
            out[i] = self._claim(local, domains[c])
        return out

    def family(
        self,
        household: np.ndarray,
        hh_size: np.ndarray,
        hh_last: np.ndarray,
        hh_country: np.ndarray,
    ) -> np.ndarray:
        """A shared mailbox like ``smithfamily@gmail.com`` for ~30% of multi-person homes."""
        chosen = pick(self._rng, np.flatnonzero(hh_size > 1), 0.3)
        domains = self._providers(hh_country[chosen])
        styles = self._rng.integers(0, 2, len(chosen))
        out = np.full(len(hh_size), None, dtype=object)
        for h, domain, style in zip(chosen.tolist(), domains, styles.tolist(), strict=True):
            slug = ascii_slug(hh_last[h])
            out[h] = self._claim(f"{slug}family" if style == 0 else f"the{slug}s", domain)
        return out


def _local_part(style: str, first: str, last: str, yy: int, nn: int) -> str:
    """An email local part in one of the common personal or corporate patterns."""
    match style:
        case "first.last":
            return f"{first}.{last}"
        case "firstlast":
            return f"{first}{last}"
        case "first_last":
            return f"{first}_{last}"
        case "flast":
            return f"{first[:1]}{last}"
        case "first.lastYY":
            return f"{first}.{last}{yy:02d}"
        case "firstlastNN":
            return f"{first}{last}{nn}"
        case "firstYY":
            return f"{first}{yy:02d}"
        case "last.first":
            return f"{last}.{first}"
        case "first":
            return first
        case _:
            raise ValueError(f"unknown email style {style!r}")

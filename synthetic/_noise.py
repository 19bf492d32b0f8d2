"""String perturbations that real exports suffer from, applied to a masked subset of rows.

Each function takes an object array of values plus the probability (one for all rows, or
one per row) of damaging each value, and returns a new array; missing values (None) pass
through untouched. Random choices are drawn once per call as numpy arrays, so the per-row
Python work is plain string slicing, and only the damaged rows (a few percent) pay it.
"""

import unicodedata
from functools import lru_cache

import numpy as np

from synthetic._common import Prob, Rng, chance, objects
from synthetic._vocab import NICKNAMES, STREET_ABBREVIATIONS

_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS = {
    key: row[max(i - 1, 0) : i] + row[i + 1 : i + 2]
    for row in _KEYBOARD_ROWS
    for i, key in enumerate(row)
}
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_FOLD_EXTRA = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "Oe", "ł": "l", "Ł": "L"}
)
_GMAIL_TAGS = ("news", "shop", "promo", "work", "c360", "2024", "spam")
_NICKNAME_LOOKUP = {formal: objects(nicks) for formal, nicks in NICKNAMES.items()}

PHONE_STYLES = (
    "e164",
    "intl_spaced",
    "intl_dashed",
    "national",
    "national_parens",
    "national_digits",
    "idd",
    "dotted",
)
"""Ways a phone number is typed: ``+14155550142``, ``+1 415 555 0142``, ``+1 415-555-0142``,
``020 7946 0958``, ``(415) 555 0142``, ``4155550142``, ``001 415 555 0142``, ``415.555.0142``."""


@lru_cache(maxsize=65_536)
def fold_accents(text: str) -> str:
    """``José Müller`` -> ``Jose Muller``: what ASCII-only systems store."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters, digits and hyphens only: the shape of an email local part."""
    return "".join(ch for ch in fold_accents(text).lower() if ch.isalnum() or ch == "-")


def canonical_email(email: str) -> str:
    """The mailbox an address delivers to: Gmail ignores dots and anything after ``+``."""
    local, _, domain = email.lower().partition("@")
    if domain == "gmail.com":
        local = local.split("+", 1)[0].replace(".", "")
    return f"{local}@{domain}"


def _one_edit(text: str, kind: int, where: float, letter: int) -> str:
    """Delete, insert, substitute (keyboard neighbour) or transpose one character.

    The first character is never touched: people rarely mistype the first letter, and
    keeping it makes the typo a realistic near-miss rather than a different word.
    """
    if len(text) < 3:
        return text + _ALPHABET[letter]
    pos = 1 + int(where * (len(text) - 1))
    char = text[pos]
    near = _NEIGHBOURS.get(char.lower(), _ALPHABET)
    sub = near[letter % len(near)]
    sub = sub.upper() if char.isupper() else sub
    if kind == 0:
        return text[:pos] + text[pos + 1 :]
    if kind == 1:
        return text[:pos] + sub + text[pos:]
    if kind == 2 or text[pos - 1] == char:
        return text[:pos] + sub + text[pos + 1 :]
    return text[: pos - 1] + char + text[pos - 1] + text[pos + 1 :]


def _edit_rows(values: np.ndarray, mask: np.ndarray, edit) -> np.ndarray:
    """Apply ``edit(value, row)`` to masked, non-missing rows of a copy of ``values``."""
    out = values.copy()
    for row in np.flatnonzero(mask):
        if out[row] is not None:
            out[row] = edit(out[row], row)
    return out


def typos(rng: Rng, values: np.ndarray, p: Prob) -> np.ndarray:
    """One-character edits in a share ``p`` of values."""
    n = len(values)
    kind, where, letter = rng.integers(0, 4, n), rng.random(n), rng.integers(0, 26, n)
    return _edit_rows(
        values, chance(rng, p, n), lambda v, i: _one_edit(v, kind[i], where[i], letter[i])
    )


def email_typos(rng: Rng, emails: np.ndarray, p: Prob) -> np.ndarray:
    """One-character edits in the local part only, so the address still looks valid."""
    n = len(emails)
    kind, where, letter = rng.integers(0, 4, n), rng.random(n), rng.integers(0, 26, n)

    def edit(email: str, i: int) -> str:
        local, at, domain = email.partition("@")
        return _one_edit(local, kind[i], where[i], letter[i]) + at + domain

    return _edit_rows(emails, chance(rng, p, n), edit)


def nicknames(rng: Rng, first_names: np.ndarray, p: Prob) -> np.ndarray:
    """Replace formal first names by a nickname (Robert -> Bob) in a share ``p`` of rows."""
    pick = rng.random(len(first_names))

    def swap(name: str, i: int) -> str:
        options = _NICKNAME_LOOKUP.get(name)
        return name if options is None else options[int(pick[i] * len(options))]

    return _edit_rows(first_names, chance(rng, p, len(first_names)), swap)


def strip_accents(rng: Rng, values: np.ndarray, p: Prob) -> np.ndarray:
    """ASCII-fold a share ``p`` of values (``Zoë`` -> ``Zoe``)."""
    return _edit_rows(values, chance(rng, p, len(values)), lambda v, _: fold_accents(v))


def change_case(rng: Rng, values: np.ndarray, lower: Prob, upper: Prob) -> np.ndarray:
    """Lower-case a share ``lower`` and upper-case a share ``upper`` of values."""
    draw = rng.random(len(values))
    out = _edit_rows(values, draw < lower, lambda v, _: v.lower())
    return _edit_rows(out, (draw >= lower) & (draw < lower + upper), lambda v, _: v.upper())


def pad_whitespace(rng: Rng, values: np.ndarray, p: Prob) -> np.ndarray:
    """Leading/trailing blanks or a doubled inner space, as copy-paste leaves behind."""
    style = rng.integers(0, 3, len(values))
    pads = (lambda v: f" {v}", lambda v: f"{v}  ", lambda v: v.replace(" ", "  ", 1) + " ")
    return _edit_rows(values, chance(rng, p, len(values)), lambda v, i: pads[style[i]](v))


def abbreviate_streets(rng: Rng, streets: np.ndarray, p: Prob) -> np.ndarray:
    """``Baker Street`` -> ``Baker St`` and similar, in a share ``p`` of rows."""

    def shorten(street: str, _: int) -> str:
        for long, short in STREET_ABBREVIATIONS.items():
            street = street.replace(long, short)
        return street

    return _edit_rows(streets, chance(rng, p, len(streets)), shorten)


def gmail_variants(rng: Rng, emails: np.ndarray, p: Prob) -> np.ndarray:
    """Alternate spellings of the same Gmail mailbox: dots moved, removed, ``+tag`` added.

    ``j.ane.doe+news@gmail.com`` and ``janedoe@gmail.com`` deliver to the same inbox, so a
    resolver has to canonicalise them; other providers are left alone.
    """
    n = len(emails)
    style, where, tag = rng.integers(0, 4, n), rng.random(n), rng.integers(0, len(_GMAIL_TAGS), n)

    def vary(email: str, i: int) -> str:
        local, _, domain = email.partition("@")
        if domain.lower() != "gmail.com":
            return email
        if style[i] == 0:
            local = local.replace(".", "")
        elif style[i] in (1, 3) and len(local) > 2:
            pos = 1 + int(where[i] * (len(local) - 2))
            if "." not in local[pos - 1 : pos + 1]:
                local = f"{local[:pos]}.{local[pos:]}"
        if style[i] >= 2:
            local = f"{local}+{_GMAIL_TAGS[tag[i]]}"
        return f"{local}@{domain}"

    return _edit_rows(emails, chance(rng, p, n), vary)


def format_phone(canonical: str, style: int) -> str:
    """Render ``+44 20 7946 0958`` (country code then national groups) in a given style."""
    code, *groups = canonical.split(" ")
    trunk = "" if code == "+1" else "0"
    match PHONE_STYLES[style]:
        case "e164":
            return code + "".join(groups)
        case "intl_spaced":
            return canonical
        case "intl_dashed":
            return f"{code} {'-'.join(groups)}"
        case "national":
            return trunk + " ".join(groups)
        case "national_parens":
            return f"({trunk}{groups[0]}) {' '.join(groups[1:])}"
        case "national_digits":
            return trunk + "".join(groups)
        case "idd":
            return f"00{code[1:]} {' '.join(groups)}"
        case _:
            return trunk + ".".join(groups)


def format_phones(rng: Rng, phones: np.ndarray, style_weights: tuple[float, ...]) -> np.ndarray:
    """Render each canonical phone in a style drawn with ``style_weights`` (one per style)."""
    p = np.asarray(style_weights, dtype=float)
    styles = rng.choice(len(PHONE_STYLES), size=len(phones), p=p / p.sum())
    return objects(
        [None if ph is None else format_phone(ph, s) for ph, s in zip(phones, styles, strict=True)]
    )

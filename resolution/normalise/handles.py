"""Social media handles: ``@JaneDoe`` on one export and ``janedoe`` on another are one account.

A handle, like an email mailbox, is a name its owner picked, usually spelling their own
name; either can complete a last name the record leaves out.
"""

from __future__ import annotations

import polars as pl
from rapidfuzz.distance import OSA
from rapidfuzz.process import cpdist

from resolution.normalise._columns import null_if_blank, on_distinct
from resolution.normalise.names import surnames_as_mailboxes_spell_them


def normalise_handle(values: pl.Series) -> pl.Series:
    """`` @JaneDoe `` -> ``janedoe``: lower case (platforms ignore case), no leading ``@``.

    A handle is unique only on its own platform, so compare it together with the platform.
    Blank -> null.
    """
    return on_distinct(values, _handle)


def _handle(handles: pl.Series) -> pl.Series:
    return null_if_blank(handles.str.replace(r"^[\s@]+", "").str.strip_chars().str.to_lowercase())


def last_name_from_handle(
    handles: pl.Series, first_names: pl.Series, last_names: pl.Series
) -> pl.Series:
    """Complete a profile's last name from its handle: ``Carol C.`` + ``@carolcooper84``.

    Social profiles often show only a first name or an initial, while the handle spells the
    whole name: first name then last name (``carolcooper``, ``carol.cooper84``), last name
    then first name (``cooper.carol``) or initial then last name (``ccooper``). The rest of
    the handle around the first name (or after its initial: three letters at least) is
    taken as the last name when the profile has none, or has only an initial that agrees
    with it; a reading that finds the first name in the handle wins over one that finds
    only its initial, and the longest first name found wins (``jeffrey_h`` is Jeffrey H.,
    not Jeff "Reyh"). ``first_names`` may hold several spellings separated by ``|`` (a
    nickname and its formal name). Inputs are normalised (lower-case ASCII). A last name
    already spelt out is replaced only by a reading one typing slip from it (``Chris
    Arnld`` + ``@chris.arnold54`` -> arnold): the display name is typed into each export,
    the handle is the one its owner chose, and a typo would otherwise keep the profile
    from every record of its owner that names them.
    """
    return _last_name_from_username(
        handles, first_names, last_names, initial_readings=True, respell=True
    )


def last_name_from_mailbox(
    emails: pl.Series, first_names: pl.Series, last_names: pl.Series
) -> pl.Series:
    """Complete a last name from an email mailbox: ``Susan`` + ``susandeschamps@gmail.com``.

    Web forms often ask only for a first name and an email address, and the mailbox
    usually spells the whole name. The reading is the handle's (see
    ``last_name_from_handle``), except that the first name itself must be found in the
    mailbox: a shared mailbox (``thecoopers@``) starts with Tom's initial too, and would
    make him Tom "Hecoopers". An initial reading is taken only to spell out a last
    initial it agrees with (``Sean H.`` + ``sharper@`` -> harper), or where what follows
    the initial is a surname on faker's lists for the four countries (``Heike`` +
    ``hniemeier@`` -> niemeier; "hecoopers" is on none). That reading raised recall by
    0-0.13 points at 3,000 people (seeds 101-606) and 0.01-0.03 at 30,000, precision
    unchanged. Nor does a mailbox
    respell a last name: mailboxes carry typos of their own (``peggy.davsi@``), middle
    initials (``maryq.strickland@``) and tags, where a handle is the name its owner
    picked once.
    """
    mailboxes = emails.str.extract(r"^([^@]+)@")
    return _last_name_from_username(
        mailboxes,
        first_names,
        last_names,
        initial_readings=False,
        respell=False,
        surnames_after_initial=surnames_as_mailboxes_spell_them(),
    )


SHORTEST_RESPELT = 5
"""Last names shorter than this are never respelt by a username: one slip apart, short
names are as often two names (reid, reed) as one mistyped."""


def _last_name_from_username(
    usernames: pl.Series,
    first_names: pl.Series,
    last_names: pl.Series,
    *,
    initial_readings: bool,
    respell: bool,
    surnames_after_initial: frozenset[str] = frozenset(),
) -> pl.Series:
    frame = pl.DataFrame({"handle": usernames, "first": first_names, "last": last_names})
    last_length = pl.col("last").str.len_chars()
    # A spelt-out last name the handle already spells needs no reading: most of them.
    misspelt = (
        pl.lit(respell)
        & (last_length >= SHORTEST_RESPELT)
        & ~pl.col("letters").str.contains(
            pl.col("last").str.replace_all(r"[^a-z]", ""), literal=True
        )
    )
    with_handle = (
        frame.with_row_index("row")
        .filter(pl.col("handle").is_not_null() & pl.col("first").is_not_null())
        .with_columns(pl.col("handle").str.replace_all(r"[^a-z]", "").alias("letters"))
        .filter(pl.col("last").is_null() | (last_length == 1) | misspelt)
        .select(
            "row",
            "letters",
            pl.col("first").str.replace_all(r"[^a-z|]", "").str.split("|"),
            "last",
        )
    )
    readings = with_handle.explode("first").filter(pl.col("first").str.len_chars() >= 2)
    letters, first, last = pl.col("letters"), pl.col("first"), pl.col("last")
    rest = (
        pl.when(letters.str.starts_with(first))
        .then(letters.str.slice(first.str.len_chars()))
        .when(letters.str.ends_with(first))
        .then(letters.str.head(letters.str.len_chars() - first.str.len_chars()))
    )
    after_initial = pl.when(
        (
            pl.lit(initial_readings)
            | (last.str.len_chars() == 1)
            | letters.str.slice(1).is_in(list(surnames_after_initial))
        )
        & letters.str.starts_with(first.str.slice(0, 1))
    ).then(letters.str.slice(1))
    candidate = (
        pl.when(rest.is_not_null())
        .then(pl.when(rest.str.len_chars() >= 1).then(rest))
        .when(after_initial.str.len_chars() >= 3)
        .then(after_initial)
    )
    read = readings.with_columns(
        candidate.alias("candidate"), rest.is_not_null().alias("spelt")
    ).filter(pl.col("candidate").is_not_null())
    completes = last.is_null() | (
        (last.str.len_chars() == 1)
        & (pl.col("candidate").str.len_chars() > 1)
        & pl.col("candidate").str.starts_with(last)
    )
    # Only rows whose handle does not contain their spelt-out last name got this far, so
    # no reading equals it: each one is a different name or a slip of it.
    respelt = read.filter(last.str.len_chars() >= SHORTEST_RESPELT).with_columns(
        last.str.replace_all(r"[^a-z]", "").alias("last_letters")
    )
    slips = cpdist(
        respelt.get_column("candidate").to_list(),
        respelt.get_column("last_letters").to_list(),
        scorer=OSA.distance,
    )
    found = (
        pl.concat(
            [read.filter(completes), respelt.filter(pl.Series(slips) == 1).drop("last_letters")]
        )
        .sort(
            "row",
            "spelt",
            pl.col("first").str.len_chars(),
            pl.col("candidate").str.len_chars(),
            descending=[False, True, True, True],
        )
        .unique("row", keep="first")
        .select("row", "candidate")
    )
    completed = last_names.clone().scatter(found.get_column("row"), found.get_column("candidate"))
    return completed.alias(last_names.name)


def given_name_from_usernames(
    given_names: pl.Series, spellings: pl.Series, *usernames: pl.Series
) -> pl.Series:
    """A nickname several formal names share takes the one a handle or mailbox spells.

    "Sam" folds to the commonest formal name, samuel; ``@samantha_b`` or
    ``samantha.brown@`` says which one it is here. ``spellings`` come from
    ``given_name_spellings`` (the nickname, then its formal names); the first username
    that starts or ends with one of them decides, the longest name winning.
    """
    ambiguous = (
        pl.DataFrame({"formal": spellings, **{f"u{i}": u for i, u in enumerate(usernames)}})
        .with_row_index("row")
        .filter(pl.col("formal").str.count_matches(r"\|") >= 2)
        .with_columns(pl.col("formal").str.split("|").list.slice(1))
        .explode("formal")
    )
    formal = pl.col("formal")
    given = given_names
    for i in range(len(usernames)):
        letters = pl.col(f"u{i}").str.replace_all(r"[^a-z]", "")
        found = (
            ambiguous.filter(letters.str.starts_with(formal) | letters.str.ends_with(formal))
            .sort("row", formal.str.len_chars(), descending=[False, True])
            .unique("row", keep="first")
        )
        given = given.clone().scatter(found.get_column("row"), found.get_column("formal"))
    return given.alias(given_names.name)

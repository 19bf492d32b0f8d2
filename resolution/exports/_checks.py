"""Validate export frames before writing, and audit the written files afterwards.

Validation blocks: one failing row stops the whole export, and each failure says which
audience, export, row (by its key) and rule. The audit reads the files back as a reader
would (CSV header, JSONL keys, HTML ``data-field`` labels, row counts), so a renderer
that adds a column or drops a row is caught even though the frames were right.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import polars as pl
from pandera.errors import SchemaErrors

from resolution.exports._policy import EXPORT_KINDS, AudiencePolicy

_DATA_FIELD = re.compile(r'data-field="([^"]*)"')


def validate_exports(
    exports: dict[str, dict[str, pl.DataFrame]], policies: tuple[AudiencePolicy, ...]
) -> tuple[dict[str, dict[str, pl.DataFrame]], list[str]]:
    """Each audience's frames validated (and typed) by its restricted schema, and failures.

    A failure reads ``audience/kind: row N (key value): column fails check: value``; a
    frame with failures is left out of the validated frames.
    """
    by_name = {policy.name: policy for policy in policies}
    failures: list[str] = []
    validated: dict[str, dict[str, pl.DataFrame]] = {}
    for audience, frames in exports.items():
        validated[audience] = {}
        for kind, frame in frames.items():
            schema = by_name[audience].schema(kind)
            try:
                validated[audience][kind] = schema.validate(frame, lazy=True)
            except SchemaErrors as err:
                failures += _described(f"{audience}/{kind}", frame, kind, err.failure_cases)
    return validated, failures


def _described(where: str, frame: pl.DataFrame, kind: str, cases: pl.DataFrame) -> list[str]:
    key = EXPORT_KINDS[kind].key
    lines = []
    for case in cases.iter_rows(named=True):
        rule = f"{case['column']} fails {case['check']}: {case['failure_case']!r}"
        index = case["index"]
        if index is None:
            lines.append(f"{where}: {rule}")
        else:
            named = f" ({key} {frame[key][index]})" if key in frame.columns else ""
            lines.append(f"{where}: row {index}{named}: {rule}")
    return lines


def exported_fields(folder: Path) -> dict[str, set[str]]:
    """Per written file (path relative to ``folder``): the field names a reader sees.

    CSV: the header. JSONL: every key of every line. HTML: every ``data-field`` label.
    """
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as handle:
                found[name] = set(next(csv.reader(handle), []))
        elif path.suffix == ".jsonl":
            lines = path.read_text(encoding="utf-8").splitlines()
            found[name] = {key for line in lines for key in json.loads(line)}
        elif path.suffix == ".html":
            found[name] = set(_DATA_FIELD.findall(path.read_text(encoding="utf-8")))
    return found


def fields_outside_policy(folder: Path, policies: tuple[AudiencePolicy, ...]) -> list[str]:
    """``file: field`` for each field a written file shows that its audience may not see.

    A file's audience is its first folder; CSV and JSONL are named after their kind; an
    account page may show the account's fields and its contacts' fields.
    """
    by_name = {policy.name: policy for policy in policies}
    outside = []
    for name, fields in exported_fields(folder).items():
        audience, *rest = name.split("/")
        policy = by_name.get(audience)
        if policy is None:
            outside.append(f"{name}: no audience {audience!r} in the settings")
            continue
        if rest[0] == "accounts" and len(rest) == 2:
            allowed = {*policy.allowed("accounts"), *policy.allowed("contacts")}
        else:
            allowed = set(policy.allowed(Path(rest[-1]).stem))
        outside += [f"{name}: {field}" for field in sorted(fields - allowed)]
    return outside


def exported_rows(folder: Path) -> dict[str, int]:
    """Rows a reader finds, per ``audience/kind.ext`` file and per ``audience/pages``.

    Rows of CSV are counted as records (a quoted cell may span lines), JSONL as lines.
    """
    counts: dict[str, int] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as handle:
                counts[name] = sum(1 for _ in csv.reader(handle)) - 1
        elif path.suffix == ".jsonl":
            counts[name] = len(path.read_text(encoding="utf-8").splitlines())
        elif path.suffix == ".html":
            pages = f"{name.split('/')[0]}/pages"
            counts[pages] = counts.get(pages, 0) + 1
    return counts


def row_mismatches(folder: Path, exports: dict[str, dict[str, pl.DataFrame]]) -> list[str]:
    """Files whose rows (or account pages) differ from the frames they were written from."""
    expected: dict[str, int] = {}
    for audience, frames in exports.items():
        for kind, frame in frames.items():
            expected |= {f"{audience}/{kind}.{ext}": frame.height for ext in ("csv", "jsonl")}
            if kind == "accounts":
                expected[f"{audience}/pages"] = frame.height
    found = exported_rows(folder)
    return [
        f"{name}: {expected.get(name, 0)} rows expected, {found.get(name, 0)} found"
        for name in sorted(expected.keys() | found.keys())
        if expected.get(name, 0) != found.get(name, 0)
    ]

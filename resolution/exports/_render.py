"""Write export frames as JSONL, CSV and one HTML page per account, safe to open anywhere.

CSV: every text cell that a spreadsheet would read as a formula (first character ``=``,
``+``, ``-``, ``@``, tab or carriage return) is prefixed with a single quote, as OWASP
recommends against CSV injection. That includes phone numbers in E.164 form: Excel reads
``+14155550100`` as a number and ``+1 415-555-0100`` as a sum, so the CSV shows
``'+14155550100``; systems that need the raw value read the JSONL, which is never altered.
Numbers, dates and booleans are written from typed columns and are not text cells.

HTML: every value and label passes through ``html.escape``. Each label carries its field
name in ``data-field``, so what a page shows can be audited against the audience's fields.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

import polars as pl

_FORMULA_PATTERN = r"^[=+\-@\t\r]"
"""First characters a spreadsheet reads as the start of a formula."""
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")


def neutralise_cell(text: str) -> str:
    """A CSV text cell a spreadsheet shows as text: formula triggers get a leading quote."""
    return f"'{text}" if re.match(_FORMULA_PATTERN, text) else text


def write_jsonl(frame: pl.DataFrame, path: Path) -> None:
    """One JSON object per row, nested lists kept as JSON arrays, values unaltered."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_ndjson(path)


def write_csv(frame: pl.DataFrame, path: Path) -> None:
    """One row per frame row; lists as ``; ``-joined text or JSON, text cells neutralised.

    Flat columns are converted in bulk by polars; only nested values (lists of records,
    written as JSON) and floats (written as Python spells them) go cell by cell.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    cells = frame.select(_csv_column(frame.get_column(name)) for name in frame.columns)
    cells.rename({name: neutralise_cell(name) for name in frame.columns}).write_csv(
        path, null_value="", line_terminator="\r\n"
    )


def _csv_column(column: pl.Series) -> pl.Series | pl.Expr:
    """``column`` as the CSV shows it, with the same text ``_csv_cell`` gives one value."""
    dtype = column.dtype
    if dtype == pl.String:
        return _neutralised(pl.col(column.name)).alias(column.name)
    if dtype == pl.List(pl.String):
        return _neutralised(pl.col(column.name).list.join("; ")).alias(column.name)
    if isinstance(dtype, pl.Datetime):
        whole = pl.col(column.name).dt.microsecond() == 0
        return (
            pl.when(whole)
            .then(pl.col(column.name).dt.to_string("%Y-%m-%dT%H:%M:%S%:z"))
            .otherwise(pl.col(column.name).dt.to_string("%Y-%m-%dT%H:%M:%S%.6f%:z"))
            .alias(column.name)
        )
    if dtype.is_nested() or dtype.is_float():
        as_text = [_csv_cell(value) for value in column.to_list()]
        return pl.Series(
            column.name, [None if text == "" else str(text) for text in as_text], dtype=pl.String
        )
    return pl.col(column.name)


def _neutralised(text: pl.Expr) -> pl.Expr:
    """``neutralise_cell`` for a whole column; empty text is written as an empty cell."""
    return (
        pl.when(text == "")
        .then(None)
        .when(text.str.contains(_FORMULA_PATTERN))
        .then(pl.lit("'") + text)
        .otherwise(text)
    )


def _csv_cell(value: object) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return neutralise_cell("; ".join(value))
    if isinstance(value, list | dict):
        return neutralise_cell(json.dumps(value, default=_json_default, ensure_ascii=False))
    return neutralise_cell(str(value))


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to CSV")


def _page_name(account_id: str) -> str:
    """The HTML file name of an account: its id with anything unsafe in a path replaced."""
    return f"{_SAFE_NAME.sub('_', account_id)}.html"


def write_account_pages(
    folder: Path, audience: str, accounts: pl.DataFrame, contacts: pl.DataFrame | None
) -> list[Path]:
    """One readable page per account: its fields, then each of its contacts' fields.

    ``contacts`` are the audience's contact rows (``None`` when it gets none); a contact
    appears on an account's page when it holds the account's id, so the page shows only
    what the audience may see of each person.
    """
    folder.mkdir(parents=True, exist_ok=True)
    by_account: dict[str, list[dict[str, object]]] = {}
    if contacts is not None and "account_id" in contacts.columns:
        for person in contacts.filter(pl.col("account_id").is_not_null()).iter_rows(named=True):
            by_account.setdefault(str(person["account_id"]), []).append(person)
    written = []
    for account in accounts.iter_rows(named=True):
        account_id = str(account["account_id"])
        path = folder / _page_name(account_id)
        if path.exists():
            raise ValueError(f"two accounts share the page name {path.name}: {account_id!r}")
        path.write_text(_page(audience, account, by_account.get(account_id, [])), encoding="utf-8")
        written.append(path)
    return written


_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}"
    "table{border-collapse:collapse;margin:.25rem 0 1rem}"
    "th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#f4f4f4;font-weight:600}td table{margin:0;font-size:.9em}"
)


def _page(audience: str, account: Mapping[str, object], contacts: Sequence[Mapping]) -> str:
    title = str(account.get("name") or account["account_id"])
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}: account context for {html.escape(audience)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>Account context for {html.escape(audience)}.</p>",
        _fields_table(account),
        f"<h2>Contacts ({len(contacts)})</h2>",
    ]
    for person in contacts:
        name = " ".join(str(person[key]) for key in ("first_name", "last_name") if person.get(key))
        parts.append(f"<h3>{html.escape(name or str(person['customer_id']))}</h3>")
        parts.append(_fields_table(person))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _fields_table(row: Mapping[str, object]) -> str:
    lines = ["<table>"]
    for field, value in row.items():
        label = html.escape(field.replace("_", " ").capitalize())
        cell = _html_value(value)
        lines.append(f'<tr><th data-field="{html.escape(field)}">{label}</th><td>{cell}</td></tr>')
    lines.append("</table>")
    return "\n".join(lines)


def _html_value(value: object) -> str:
    if value is None or value == []:
        return "&mdash;"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return html.escape(value.strftime("%Y-%m-%d %H:%M UTC"))
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        keys = list(value[0])
        head = "".join(f"<th>{html.escape(key.replace('_', ' '))}</th>" for key in keys)
        body = "".join(
            "<tr>" + "".join(f"<td>{_html_value(item[key])}</td>" for key in keys) + "</tr>"
            for item in value
        )
        return f"<table><tr>{head}</tr>{body}</table>"
    if isinstance(value, list):
        return html.escape(", ".join(str(item) for item in value))
    return html.escape(str(value))

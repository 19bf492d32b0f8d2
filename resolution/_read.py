"""Read a landing file into text columns, one record per row, without losing any record.

Every value stays text here: typing happens in validation, where a value that does not
parse can be quarantined with its row instead of failing the whole file. Records that
cannot even be split into fields (a CSV row with the wrong number of fields, a JSONL line
that is not a JSON object) are returned as read failures with their raw text.

CSV goes through the standard-library record reader rather than ``polars.read_csv``:
polars pads short rows with nulls silently and aborts the whole file on a long one, and
neither tells which line was wrong. Everything after reading is polars.

Row numbers are the file's line numbers (the CSV header is line 1), as a spreadsheet or an
editor shows them, so an engineer can jump straight to a quarantined record.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

ROW_NUMBER = "_row_number"


class SourceFileError(Exception):
    """A landing file that cannot be used at all; the message names the file and the fix."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class ReadFailure:
    """A record that could not be split into fields; kept whole for the quarantine."""

    row_number: int
    check: str
    raw_record: str


@dataclass(frozen=True)
class RawRead:
    """All records of one file as text columns, plus those that could not be split."""

    path: Path
    frame: pl.DataFrame
    failures: list[ReadFailure]

    @property
    def rows_read(self) -> int:
        return self.frame.height + len(self.failures)


def read_landing_file(path: Path, file_format: str) -> RawRead:
    """Read a CSV or JSONL export; raise SourceFileError when the file is unusable."""
    text = _decode(path)
    if file_format == "csv":
        return _read_csv(path, text)
    if file_format == "jsonl":
        return _read_jsonl(path, text)
    raise ValueError(f"unknown file format {file_format!r} for {path}")


def _decode(path: Path) -> str:
    if not path.exists():
        raise SourceFileError(path, "file not found; check the landing directory setting")
    data = path.read_bytes()
    if not data.strip():
        raise SourceFileError(path, "file is empty; the export produced no header and no rows")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise SourceFileError(
            path,
            f"not valid UTF-8 (byte {data[err.start]:#04x} at line {line}); "
            "re-export the file as UTF-8",
        ) from err


def _read_csv(path: Path, text: str) -> RawRead:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as err:
        raise SourceFileError(path, f"header is not valid CSV: {err}") from err
    header = [name.strip() for name in header]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise SourceFileError(path, f"header repeats column(s) {duplicated}")
    columns: list[list[str | None]] = [[] for _ in header]
    row_numbers: list[int] = []
    failures: list[ReadFailure] = []
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            failures.append(ReadFailure(reader.line_num, f"csv_syntax: {err}", ""))
            continue
        if not record:
            continue
        row_number = reader.line_num
        if len(record) != len(header):
            failures.append(
                ReadFailure(
                    row_number,
                    f"field_count: expected {len(header)} fields, found {len(record)}",
                    ",".join(record),
                )
            )
            continue
        row_numbers.append(row_number)
        for column, value in zip(columns, record, strict=True):
            column.append(value if value.strip() else None)
    frame = pl.DataFrame(
        {
            name: pl.Series(name, values, dtype=pl.String)
            for name, values in zip(header, columns, strict=True)
        }
        | {ROW_NUMBER: pl.Series(ROW_NUMBER, row_numbers, dtype=pl.Int64)}
    )
    return RawRead(path, frame, failures)


def _read_jsonl(path: Path, text: str) -> RawRead:
    records: list[dict[str, str | None]] = []
    row_numbers: list[int] = []
    failures: list[ReadFailure] = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            parsed = json.loads(line)
        except json.JSONDecodeError as err:
            failures.append(ReadFailure(line_number, f"json_syntax: {err.msg}", line))
            continue
        if not isinstance(parsed, dict):
            failures.append(ReadFailure(line_number, "json_syntax: line is not an object", line))
            continue
        records.append(_flatten(parsed))
        row_numbers.append(line_number)
    if not records and failures:
        raise SourceFileError(
            path,
            f"no line is a JSON object ({len(failures)} unreadable lines, first at line "
            f"{failures[0].row_number}: {failures[0].check}); is this file JSON Lines?",
        )
    names = sorted({key for record in records for key in record})
    frame = pl.DataFrame(
        {name: pl.Series(name, [r.get(name) for r in records], dtype=pl.String) for name in names}
        | {ROW_NUMBER: pl.Series(ROW_NUMBER, row_numbers, dtype=pl.Int64)}
    )
    return RawRead(path, frame, failures)


def _flatten(record: dict[str, Any], prefix: str = "") -> dict[str, str | None]:
    """Nested objects become ``parent_child`` columns; lists become ``;``-joined text.

    A null is left out like an absent key, so ``"traits": null`` on a page view does not
    become a column of its own.
    """
    flat: dict[str, str | None] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= _flatten(value, prefix=f"{name}_")
        elif value is not None:
            flat[name] = _as_text(value)
    return flat


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(text for item in value if (text := _as_text(item)) is not None)
    text = str(value)
    return text if text.strip() else None

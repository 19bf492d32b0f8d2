"""Ingest one landing file: read, validate, write accepted rows and quarantine the rest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from resolution._read import ROW_NUMBER, read_landing_file
from resolution._validate import validate_rows
from resolution._warehouse import write_raw_table
from resolution.sources import SourceTable

SOURCE_ROW = "_source_row"


@dataclass(frozen=True)
class IngestionReport:
    """What one load did, in the numbers an engineer checks first."""

    source_table: str
    source_file: Path
    file_sha256: str
    rows_read: int
    rows_accepted: int
    rows_quarantined: int
    failures_by_check: dict[str, int]
    ignored_columns: list[str]
    accepted: pl.DataFrame
    quarantine: pl.DataFrame

    @property
    def quarantine_rate(self) -> float:
        return self.rows_quarantined / self.rows_read if self.rows_read else 0.0


def ingest_source(
    conn: duckdb.DuckDBPyConnection, landing_dir: Path, table: SourceTable
) -> IngestionReport:
    """Load ``table`` into ``raw.<name>``; raise SourceFileError when the file is unusable."""
    path = landing_dir / table.relative_path
    raw = read_landing_file(path, table.file_format)
    rows = validate_rows(
        raw, table.model, table.name, require_all_columns=table.file_format == "csv"
    )
    accepted = rows.accepted.rename({ROW_NUMBER: SOURCE_ROW})
    write_raw_table(conn, table.name, accepted, rows.quarantine)
    failures = (
        rows.quarantine.group_by("field", "check")
        .len()
        .sort("len", "field", descending=[True, False])
    )
    return IngestionReport(
        source_table=table.name,
        source_file=path,
        file_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        rows_read=raw.rows_read,
        rows_accepted=accepted.height,
        rows_quarantined=rows.rows_quarantined,
        failures_by_check={
            f"{field}: {check}": count for field, check, count in failures.iter_rows()
        },
        ignored_columns=rows.ignored_columns,
        accepted=accepted,
        quarantine=rows.quarantine,
    )

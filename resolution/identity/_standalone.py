"""``c360 resolve``: resolve a standalone file of canonical contacts, the contract other tools use.

The file needs a unique ``record_id``; any of the canonical identity columns may follow and
anything else is ignored. The same standardisation, links, guarded clustering and id rules
as the pipeline apply, so a file and the warehouse resolve alike.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from resolution._read import SourceFileError
from resolution.identity._links import mask_shared_identifiers
from resolution.identity._records import standardise_records
from resolution.identity._resolve import (
    DEFAULT_MATCH_THRESHOLD,
    DEFAULT_NAME_AND_COMPANY_THRESHOLD,
    DEFAULT_NAME_ONLY_THRESHOLD,
    DEFAULT_TWO_HOLDERS_THRESHOLD,
    resolve_records,
)
from resolution.identity._splink_model import MODEL_PATH, train_model

CANONICAL_COLUMNS = [
    "source",
    "first_name",
    "last_name",
    "email",
    "phone",
    "street",
    "city",
    "postcode",
    "country",
    "birth_date",
    "company",
    "job_title",
    "social_handle",
    "anonymous_id",
]
_MODEL_INPUTS = {
    "names": ["first_name", "last_name"],
    "email": ["email"],
    "phone": ["phone"],
    "birth_date": ["birth_date"],
    "address": ["street", "postcode"],
    "company": ["company"],
}


def read_contacts_file(path: Path) -> pl.DataFrame:
    """Read and check a contacts CSV; raise SourceFileError naming the file, row and field."""
    if not path.exists():
        raise SourceFileError(path, "file not found")
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8")
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, UnicodeDecodeError) as err:
        raise SourceFileError(path, f"not a readable UTF-8 CSV file: {err}") from err
    if "record_id" not in frame.columns:
        raise SourceFileError(path, f"missing column 'record_id'; found columns {frame.columns}")
    ids = frame.get_column("record_id")
    # Line numbers are worked out only for a bad file: a million good rows need just the
    # two column checks.
    empty = ids.str.strip_chars().fill_null("") == ""
    if empty.any():
        lines = frame.with_row_index("_line", offset=2).filter(empty)["_line"].head(5)
        raise SourceFileError(path, f"record_id is empty on line(s) {lines.to_list()}")
    if ids.n_unique() < ids.len():
        repeated = (
            frame.with_row_index("_line", offset=2)
            .filter(pl.col("record_id").is_duplicated())
            .sort("record_id", "_line")
        )
        first = repeated.row(0, named=True)
        lines = repeated.filter(pl.col("record_id") == first["record_id"])["_line"].to_list()
        raise SourceFileError(
            path,
            f"record_id must be unique; '{first['record_id']}' appears on lines {lines} "
            f"({repeated['record_id'].n_unique()} repeated id(s) in all)",
        )
    return frame.select(["record_id", *[c for c in CANONICAL_COLUMNS if c in frame.columns]])


def model_fits(columns: list[str]) -> bool:
    """The bundled model fits a file that has at least two of its kinds of evidence."""
    kinds = [name for name, needed in _MODEL_INPUTS.items() if any(c in columns for c in needed)]
    return len(kinds) >= 2


def contacts_as_raw_records(contacts: pl.DataFrame) -> pl.DataFrame:
    """A checked contacts file in the raw identity-record layout ``standardise_records`` takes."""
    return contacts.rename({"record_id": "record_key"}).with_columns(
        pl.col("birth_date").str.strip_chars().str.to_date("%Y-%m-%d", strict=False)
        if "birth_date" in contacts.columns
        else pl.lit(None, pl.Date).alias("birth_date"),
        (pl.col("source") if "source" in contacts.columns else pl.lit("file")).alias(
            "source_system"
        ),
    )


@dataclass(frozen=True)
class ResolvedContacts:
    """(record_id, customer_id) in input order, the seconds each step took, and the
    standardised records they were resolved from."""

    assignments: pl.DataFrame
    seconds: dict[str, float]
    trained_on_file: bool
    records: pl.DataFrame


def resolve_contacts(
    contacts: pl.DataFrame,
    *,
    threshold_match_probability: float = DEFAULT_MATCH_THRESHOLD,
    name_only_threshold: float = DEFAULT_NAME_ONLY_THRESHOLD,
    name_and_company_threshold: float = DEFAULT_NAME_AND_COMPANY_THRESHOLD,
    two_holders_threshold: float = DEFAULT_TWO_HOLDERS_THRESHOLD,
    train: bool | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> ResolvedContacts:
    """Resolve every contact to a customer id.

    ``train`` None means: use the bundled model where the file's fields fit it, and
    estimate a model on the file otherwise.
    """
    progress(f"standardising {contacts.height:,} contacts")
    started = time.perf_counter()
    records = standardise_records(contacts_as_raw_records(contacts))
    seconds = {"standardise": time.perf_counter() - started}
    must_train = not model_fits(contacts.columns) if train is None else train
    with tempfile.TemporaryDirectory(prefix="c360-model-") as folder:
        model_path = MODEL_PATH
        if must_train:
            progress("estimating a model on this file")
            started = time.perf_counter()
            model_path = train_model(
                mask_shared_identifiers(records),
                Path(folder) / MODEL_PATH.name,
            )
            seconds["train"] = time.perf_counter() - started
        resolution = resolve_records(
            records,
            threshold_match_probability=threshold_match_probability,
            name_only_threshold=name_only_threshold,
            name_and_company_threshold=name_and_company_threshold,
            two_holders_threshold=two_holders_threshold,
            model_path=model_path,
            keep_near_misses=False,
            progress=progress,
        )
    assignments = contacts.select("record_id").join(
        resolution.identity_map.rename({"record_key": "record_id"}),
        on="record_id",
        how="left",
        maintain_order="left",
    )
    return ResolvedContacts(assignments, seconds | resolution.seconds, must_train, records)

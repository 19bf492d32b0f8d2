"""Type and validate raw text rows against a pandera model, splitting accepted from quarantined.

The split is row-exact: every row read ends up either accepted or quarantined, never both
and never neither, which is the invariant the ingestion asset check verifies. Typing is done
here with non-strict polars parsing so a single unparseable value rejects its row, not the
file; the pandera model then checks the typed values.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaErrors

from resolution._read import ROW_NUMBER, RawRead, SourceFileError

QUARANTINE_COLUMNS = {
    "source_table": pl.String,
    "source_file": pl.String,
    "row_number": pl.Int64,
    "field": pl.String,
    "check": pl.String,
    "raw_value": pl.String,
    "raw_record": pl.String,
}
_TIMESTAMP_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%.fZ",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S%.f%:z",
    "%Y-%m-%dT%H:%M:%S%:z",
    "%Y-%m-%d %H:%M:%S",
)
_TRUE = ["true", "t", "yes", "y", "1"]
_FALSE = ["false", "f", "no", "n", "0"]
_WHOLE_RECORD = "<record>"


@dataclass(frozen=True)
class ValidatedRows:
    """Accepted rows typed as the model says, and one quarantine row per failed rule."""

    accepted: pl.DataFrame
    quarantine: pl.DataFrame
    ignored_columns: list[str]

    @property
    def rows_quarantined(self) -> int:
        return self.quarantine.get_column("row_number").n_unique()


def validate_rows(
    raw: RawRead, model: type[pa.DataFrameModel], source_table: str, *, require_all_columns: bool
) -> ValidatedRows:
    """Split ``raw`` into rows the model accepts and rows to quarantine, with reasons.

    ``require_all_columns`` is true for CSV, whose header must carry every column; JSON
    Lines exports omit empty keys, so there only non-nullable columns must appear. Columns
    the model marks not required (added to a source after its first exports) may be absent
    from either; they are then empty.
    """
    schema = model.to_schema()
    frame, ignored = _conform_columns(raw, schema, require_all_columns)
    typed = frame.with_columns(
        _parse(name, column.dtype.type) for name, column in schema.columns.items()
    )
    failures = pl.concat(
        [
            _parse_failures(frame, typed, schema),
            _duplicate_key_failures(frame, schema),
        ]
    )
    failures = pl.concat([failures, _model_failures(typed, failures, model)])
    failures = _with_raw_text(
        failures.unique(subset=["row_number", "field", "check"], maintain_order=True), frame
    )
    rejected = failures.get_column("row_number").unique()
    accepted = typed.filter(~pl.col(ROW_NUMBER).is_in(rejected.implode()))
    quarantine = _quarantine_frame(raw, frame, failures, source_table)
    return ValidatedRows(
        accepted=accepted.select([*schema.columns, ROW_NUMBER]),
        quarantine=quarantine,
        ignored_columns=ignored,
    )


def _conform_columns(
    raw: RawRead, schema: pa.DataFrameSchema, require_all_columns: bool
) -> tuple[pl.DataFrame, list[str]]:
    found = [name for name in raw.frame.columns if name != ROW_NUMBER]
    required = [
        name
        for name, column in schema.columns.items()
        if column.required and (require_all_columns or not column.nullable)
    ]
    missing = [name for name in required if name not in found]
    if missing:
        raise SourceFileError(raw.path, _missing_columns_message(missing, found))
    frame = raw.frame.with_columns(
        pl.lit(None, dtype=pl.String).alias(name) for name in schema.columns if name not in found
    )
    ignored = [name for name in found if name not in schema.columns]
    return frame, ignored


def _missing_columns_message(missing: list[str], found: list[str]) -> str:
    hints = []
    for name in missing:
        close = difflib.get_close_matches(name, found, n=1, cutoff=0.75)
        hints.append(f"'{name}' (found '{close[0]}' instead?)" if close else f"'{name}'")
    message = f"missing column(s) {', '.join(hints)}; found columns {found}"
    if len(found) <= 2 and any(sep in "".join(found) for sep in (";", "\t", "|")):
        message += "; the file does not look comma-separated: re-export it with ',' as delimiter"
    return message


def _parse(name: str, dtype: pl.DataType) -> pl.Expr:
    text = pl.col(name).str.strip_chars()
    if isinstance(dtype, pl.Datetime):
        formats = [
            text.str.to_datetime(fmt, strict=False, time_unit="us", time_zone="UTC")
            for fmt in _TIMESTAMP_FORMATS
        ]
        return pl.coalesce(formats).dt.cast_time_unit("us").alias(name)
    if dtype == pl.Date:
        return text.str.to_date("%Y-%m-%d", strict=False).alias(name)
    if dtype == pl.Boolean:
        lowered = text.str.to_lowercase()
        return (
            pl.when(lowered.is_in(_TRUE))
            .then(True)
            .when(lowered.is_in(_FALSE))
            .then(False)
            .otherwise(None)
            .alias(name)
        )
    if dtype.is_numeric():
        return text.cast(dtype, strict=False).alias(name)
    return pl.col(name)


def _parse_check_name(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.Datetime):
        return "parses_as_timestamp (ISO 8601, e.g. 2025-03-04T10:22:31Z)"
    if dtype == pl.Date:
        return "parses_as_date (YYYY-MM-DD)"
    if dtype == pl.Boolean:
        return "parses_as_boolean (true/false)"
    if dtype.is_integer():
        return "parses_as_integer"
    return "parses_as_number"


def _parse_failures(
    frame: pl.DataFrame, typed: pl.DataFrame, schema: pa.DataFrameSchema
) -> pl.DataFrame:
    parts = [
        pl.DataFrame(
            {
                "row_number": frame.get_column(ROW_NUMBER),
                "field": name,
                "check": _parse_check_name(column.dtype.type),
                "raw_value": frame.get_column(name),
            }
        ).filter(frame.get_column(name).is_not_null() & typed.get_column(name).is_null())
        for name, column in schema.columns.items()
    ]
    return pl.concat([_empty_failures(), *parts])


def _duplicate_key_failures(frame: pl.DataFrame, schema: pa.DataFrameSchema) -> pl.DataFrame:
    """Later copies of a unique key are rejected; the first copy in file order is kept."""
    parts = []
    for name, column in schema.columns.items():
        if not column.unique:
            continue
        key = frame.get_column(name)
        first_seen = frame.group_by(name, maintain_order=True).agg(
            pl.col(ROW_NUMBER).first().alias("_first")
        )
        repeats = (
            frame.select(name, ROW_NUMBER)
            .filter(key.is_not_null() & key.is_duplicated())
            .join(first_seen, on=name)
            .filter(pl.col(ROW_NUMBER) != pl.col("_first"))
        )
        parts.append(
            repeats.select(
                pl.col(ROW_NUMBER).alias("row_number"),
                pl.lit(name).alias("field"),
                pl.format("unique (first seen at row {})", pl.col("_first")).alias("check"),
                pl.col(name).alias("raw_value"),
            )
        )
    return pl.concat([_empty_failures(), *parts])


def _model_failures(
    typed: pl.DataFrame, known: pl.DataFrame, model: type[pa.DataFrameModel]
) -> pl.DataFrame:
    """Failures of the model's own checks, on rows that typed cleanly and are not repeats.

    Rows with a parse failure are left out: their unparsed cells are null and would also
    be reported, misleadingly, as missing values.
    """
    candidates = typed.filter(~pl.col(ROW_NUMBER).is_in(known.get_column("row_number").implode()))
    try:
        model.validate(candidates.select(list(model.to_schema().columns)), lazy=True)
    except SchemaErrors as err:
        cases = err.failure_cases
        schema_level = cases.filter(pl.col("index").is_null())
        if schema_level.height:
            raise RuntimeError(f"{model.__name__}: schema-level failures {schema_level}") from err
        # Repeated keys were rejected above, so pandera's uniqueness check can only flag
        # missing keys here, which not_nullable already reports.
        cases = cases.filter(pl.col("check") != "field_uniqueness")
        row_numbers = candidates.get_column(ROW_NUMBER).gather(cases.get_column("index"))
        return cases.select(
            pl.Series("row_number", row_numbers, dtype=pl.Int64),
            pl.col("column").alias("field"),
            pl.col("check").cast(pl.String),
            pl.col("failure_case").cast(pl.String).alias("raw_value"),
        )
    return _empty_failures()


def _with_raw_text(failures: pl.DataFrame, frame: pl.DataFrame) -> pl.DataFrame:
    """Report each failing value as the text in the file, not as pandera's typed rendering."""
    rows = frame.filter(pl.col(ROW_NUMBER).is_in(failures.get_column("row_number").implode()))
    cells = rows.unpivot(index=ROW_NUMBER, variable_name="field", value_name="raw_text").rename(
        {ROW_NUMBER: "row_number"}
    )
    return (
        failures.join(cells, on=["row_number", "field"], how="left")
        .with_columns(pl.col("raw_text").alias("raw_value"))
        .drop("raw_text")
    )


def _quarantine_frame(
    raw: RawRead, frame: pl.DataFrame, failures: pl.DataFrame, source_table: str
) -> pl.DataFrame:
    record_columns = [name for name in frame.columns if name != ROW_NUMBER]
    records = frame.filter(pl.col(ROW_NUMBER).is_in(failures.get_column("row_number").implode()))
    raw_records = pl.DataFrame(
        {
            "row_number": records.get_column(ROW_NUMBER),
            "raw_record": [
                json.dumps(row, ensure_ascii=False)
                for row in records.select(record_columns).iter_rows(named=True)
            ],
        },
        schema={"row_number": pl.Int64, "raw_record": pl.String},
    )
    value_failures = failures.join(raw_records, on="row_number", how="left")
    read_failures = pl.DataFrame(
        {
            "row_number": [f.row_number for f in raw.failures],
            "field": [_WHOLE_RECORD] * len(raw.failures),
            "check": [f.check for f in raw.failures],
            "raw_value": [None] * len(raw.failures),
            "raw_record": [f.raw_record for f in raw.failures],
        },
        schema={name: dtype for name, dtype in QUARANTINE_COLUMNS.items() if "source" not in name},
    )
    return (
        pl.concat([value_failures.select(read_failures.columns), read_failures])
        .with_columns(
            pl.lit(source_table).alias("source_table"),
            pl.lit(str(raw.path)).alias("source_file"),
        )
        .select(list(QUARANTINE_COLUMNS))
        .sort("row_number", "field")
    )


def _empty_failures() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "row_number": pl.Int64,
            "field": pl.String,
            "check": pl.String,
            "raw_value": pl.String,
        }
    )

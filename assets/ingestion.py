"""One asset per landing file: validated rows into ``raw.<table>``, rejects into quarantine."""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from assets._checks import unusable_file
from assets._metadata import OWNERS, StepTimer, column_schema, markdown_table
from assets.resources import LandingZone, QualityPolicy, Warehouse
from resolution import (
    QUARANTINE_TABLE,
    SOURCE_ROW,
    SOURCE_TABLES,
    SourceFileError,
    SourceFreshness,
    SourceTable,
    ingest_source,
    source_freshness,
    stored_row_counts,
)

ROWS_ACCOUNTED_FOR = "rows_accounted_for"
QUARANTINE_RATE_WITHIN_LIMIT = "quarantine_rate_within_limit"
SOURCE_IS_FRESH = "source_is_fresh"


def build_raw_asset(table: SourceTable) -> dg.AssetsDefinition:
    """The ingestion asset for one landing file."""
    key = dg.AssetKey(["raw", table.name])
    description = (
        f"{table.description}\n\nRead from `{table.relative_path}` in the landing zone, "
        f"validated against `schemas.{table.model.__name__}`. Accepted rows are written to "
        f"`raw.{table.name}`; every rejected row goes to `{QUARANTINE_TABLE}` with its line "
        "number, field, failed check and raw value, so no row is ever silently dropped."
    )
    checks = [
        dg.AssetCheckSpec(
            ROWS_ACCOUNTED_FOR,
            asset=key,
            blocking=True,
            description=(
                "Rows read from the file = rows stored in the table + rows in quarantine, "
                "counted back from DuckDB after the write. Blocking: nothing is resolved "
                "from a load that lost rows."
            ),
        ),
        dg.AssetCheckSpec(
            QUARANTINE_RATE_WITHIN_LIMIT,
            asset=key,
            description="Share of quarantined rows is at most QualityPolicy.max_quarantine_rate.",
        ),
        dg.AssetCheckSpec(
            SOURCE_IS_FRESH,
            asset=key,
            description=(
                f"The newest accepted record ({', '.join(table.timestamp_columns)}) is at most "
                "QualityPolicy.max_source_age_days older than the run: a source that stopped "
                "exporting still loads cleanly, so only its age shows it. Fails when no row "
                "has a timestamp."
            ),
        ),
    ]

    @dg.asset(
        key=key,
        description=description,
        group_name="ingestion",
        owners=OWNERS,
        kinds={"polars", "duckdb"},
        tags={"source_system": table.system},
        check_specs=checks,
    )
    def _ingest(
        context: dg.AssetExecutionContext,
        landing: LandingZone,
        warehouse: Warehouse,
        quality: QualityPolicy,
    ) -> dg.MaterializeResult:
        timer = StepTimer()
        try:
            with warehouse.get_connection() as conn:
                report = ingest_source(conn, landing.directory(), table)
                stored, quarantined = stored_row_counts(conn, table.name)
        except SourceFileError as err:
            raise unusable_file(f"{table.name} not loaded", err) from err
        context.log.info(
            f"{table.name}: read {report.rows_read}, accepted {report.rows_accepted}, "
            f"quarantined {report.rows_quarantined}"
        )
        accounted = stored + quarantined
        freshness = source_freshness(report.accepted, table.timestamp_columns, datetime.now(UTC))
        return dg.MaterializeResult(
            metadata={
                **timer.metadata(),
                "dagster/row_count": stored,
                "rows_read": report.rows_read,
                "rows_quarantined": quarantined,
                "quarantine_rate": report.quarantine_rate,
                "source_file": dg.MetadataValue.path(str(report.source_file)),
                "file_sha256": report.file_sha256,
                "ignored_columns": ", ".join(report.ignored_columns) or "none",
                "dagster/column_schema": column_schema(table.model, {SOURCE_ROW: "int64"}),
                "preview": markdown_table(report.accepted),
                "quarantine_reasons": _reasons_markdown(report.failures_by_check),
            },
            check_results=[
                dg.AssetCheckResult(
                    check_name=ROWS_ACCOUNTED_FOR,
                    passed=accounted == report.rows_read,
                    metadata={
                        "rows_read": report.rows_read,
                        "rows_stored": stored,
                        "rows_quarantined": quarantined,
                        "rows_unaccounted": report.rows_read - accounted,
                    },
                ),
                dg.AssetCheckResult(
                    check_name=QUARANTINE_RATE_WITHIN_LIMIT,
                    passed=report.quarantine_rate <= quality.max_quarantine_rate,
                    severity=dg.AssetCheckSeverity.WARN,
                    metadata={
                        "quarantine_rate": report.quarantine_rate,
                        "max_quarantine_rate": quality.max_quarantine_rate,
                    },
                ),
                _freshness_check(freshness, quality.max_source_age_days),
            ],
        )

    return _ingest


def _freshness_check(freshness: SourceFreshness, max_age_days: int) -> dg.AssetCheckResult:
    """WARN, not a gate: a stale source still leaves the other sources' customers current."""
    metadata: dict[str, object] = {
        "rows": freshness.rows,
        "rows_with_timestamp": freshness.rows_with_timestamp,
        "max_source_age_days": max_age_days,
        "checked_at": freshness.as_of.isoformat(timespec="seconds"),
    }
    age = freshness.age_days
    if age is None:
        description = f"Freshness unknown: {freshness.problem}."
    else:
        metadata |= {
            "newest_record_at": dg.MetadataValue.timestamp(freshness.newest_record_at),
            "age_days": round(age, 2),
        }
        description = f"Newest record is {age:.1f} days old (limit {max_age_days})."
    return dg.AssetCheckResult(
        check_name=SOURCE_IS_FRESH,
        passed=freshness.is_within(max_age_days),
        severity=dg.AssetCheckSeverity.WARN,
        description=description,
        metadata=metadata,
    )


def _reasons_markdown(failures_by_check: dict[str, int]) -> dg.MetadataValue:
    if not failures_by_check:
        return dg.MetadataValue.md("No rows quarantined.")
    frame = pl.DataFrame(
        {"failed rule": list(failures_by_check), "rows": list(failures_by_check.values())}
    )
    return markdown_table(frame, rows=20)


RAW_ASSETS: list[dg.AssetsDefinition] = [build_raw_asset(table) for table in SOURCE_TABLES]

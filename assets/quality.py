"""Report assets: the resolution quality report engineers open after a run."""

from datetime import UTC, datetime

import dagster as dg

from assets._metadata import OWNERS, StepTimer, column_schema, markdown_table
from assets.identity import IDENTITY_MAP
from assets.resources import IdentityPolicy, ReportsFolder, Warehouse
from resolution.quality import HISTORY_TABLE, write_quality_report
from schemas.reports import ResolutionQualityHistory

QUALITY_REPORT = dg.AssetKey(["reports", "resolution_quality_report"])


@dg.asset(
    key=QUALITY_REPORT,
    deps=[IDENTITY_MAP],
    group_name="reports",
    owners=OWNERS,
    kinds={"splink", "duckdb", "html"},
    check_specs=[
        dg.AssetCheckSpec(
            "charts_embedded_offline",
            asset=QUALITY_REPORT,
            description="Every chart on the written page has its inline Vega-Lite spec and no "
            "script or stylesheet loads from the network, so the report draws offline.",
        ),
        dg.AssetCheckSpec(
            "history_grew_by_one_run",
            asset=QUALITY_REPORT,
            description=f"{HISTORY_TABLE} holds exactly one more row than before this run.",
        ),
    ],
)
def resolution_quality_report(
    warehouse: Warehouse, identity: IdentityPolicy, reports: ReportsFolder
) -> dg.MaterializeResult:
    """An offline HTML page saying how well identity resolution did, and how that moves.

    Splink's match-weights and m/u charts for the model in use, the candidate pairs'
    match-probability histogram with the threshold drawn in, the largest customers and the
    most uncertain ones (weakest merges, refused merges) each linked to a Splink cluster
    studio page, source completeness and quarantine scorecards, and the trend of the
    headline numbers, which each run appends to reports.resolution_quality_history.
    """
    timer = StepTimer()
    with warehouse.get_connection() as conn:
        report = write_quality_report(
            conn,
            reports.directory(),
            match_threshold=identity.match_threshold,
            ground_truth_dir=identity.ground_truth_folder(),
            run_at=datetime.now(UTC),
            customers_listed=reports.customers_listed,
        )
    audit = report.audit
    headline = {name: value for name, value in report.headline.items() if value is not None}
    return dg.MaterializeResult(
        metadata={
            **timer.metadata(),
            "dagster/row_count": report.history_rows_after,
            "dagster/table_name": HISTORY_TABLE,
            "dagster/column_schema": column_schema(ResolutionQualityHistory, {}),
            **headline,
            "charts_embedded": audit.charts_embedded,
            "cluster_studio_pages": len(report.studio_pages),
            "report_path": dg.MetadataValue.path(str(report.path)),
            "report_url": dg.MetadataValue.url(report.path.resolve().as_uri()),
            "preview": markdown_table(report.history.sort("run_at", descending=True)),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name="charts_embedded_offline",
                passed=audit.renders_offline,
                metadata={
                    "charts": len(audit.placeholders),
                    "charts_embedded": audit.charts_embedded,
                    "network_sources": len(audit.network_sources),
                },
            ),
            dg.AssetCheckResult(
                check_name="history_grew_by_one_run",
                passed=report.history_rows_after == report.history_rows_before + 1,
                metadata={
                    "rows_before": report.history_rows_before,
                    "rows_after": report.history_rows_after,
                },
            ),
        ],
    )

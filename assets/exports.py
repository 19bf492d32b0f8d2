"""Export assets: account context for sales and support, the feed for marketing.

Each audience receives only the fields ``[audiences]`` in c360.toml allows it. The files
are validated and audited before the exports folder is swapped, so a check that fails here
also means readers still see the previous complete version.
"""

import dagster as dg
import polars as pl

from assets._metadata import OWNERS, StepTimer, markdown_table
from assets.activation import ACTIVATION_TABLES
from assets.profile import PROFILE_TABLES
from assets.resources import ExportsFolder, Warehouse
from resolution.exports import CURRENT, ExportRun, export_account_context

ACCOUNT_CONTEXT = dg.AssetKey(["exports", "account_context"])
_SHOWN = 20


@dg.asset(
    key=ACCOUNT_CONTEXT,
    deps=[*PROFILE_TABLES.values(), *ACTIVATION_TABLES.values()],
    group_name="exports",
    owners=OWNERS,
    kinds={"duckdb", "polars", "html"},
    check_specs=[
        dg.AssetCheckSpec(
            "exports_match_schema",
            asset=ACCOUNT_CONTEXT,
            blocking=True,
            description="Every audience's export frame passes schemas.exports (restricted to "
            "its fields) before any file is written; a failure keeps the previous exports.",
        ),
        dg.AssetCheckSpec(
            "fields_allowed_for_audience",
            asset=ACCOUNT_CONTEXT,
            blocking=True,
            description="Read back from the written files, no CSV header, JSONL key or HTML "
            "label names a field outside its audience's list in c360.toml [audiences].",
        ),
        dg.AssetCheckSpec(
            "files_hold_every_row",
            asset=ACCOUNT_CONTEXT,
            blocking=True,
            description="Read back, each CSV and JSONL holds as many rows as its validated "
            "frame and every exported account has its HTML page.",
        ),
    ],
)
def account_context_exports(
    context: dg.AssetExecutionContext, warehouse: Warehouse, exports: ExportsFolder
) -> dg.MaterializeResult:
    """Per account and per contact, what sales and support need before they call or reply.

    Who the person is, lifecycle stage, owner, products and their status, open and recent
    tickets, the last interactions across channels, consent, and the fields we already
    hold fresh enough not to ask again; as JSONL, spreadsheet-safe CSV and one HTML page
    per account. Marketing gets the personalisation feed cut to its fields. Each audience's
    fields come from the ExportsFolder resource (c360.toml [audiences]).
    """
    timer = StepTimer()
    try:
        policies = exports.policies()
    except ValueError as err:
        raise dg.Failure(description=f"exports resource: {err}") from err
    with warehouse.get_connection() as conn:
        run = export_account_context(conn, policies, exports.directory(), context.run.run_id)
    current = exports.directory() / CURRENT
    return dg.MaterializeResult(
        metadata={
            **timer.metadata(),
            "path": dg.MetadataValue.path(str(current)),
            "published": run.published is not None,
            "version": dg.MetadataValue.path(str(run.published or current.resolve())),
            "files_written": len(run.files),
            "files": dg.MetadataValue.md("\n".join(f"- `{name}`" for name in run.files)),
            "dagster/row_count": sum(run.rows.values()),
            **{f"rows_{name.replace('/', '_')}": count for name, count in run.rows.items()},
            "audiences": markdown_table(_audience_table(run), rows=len(run.rows)),
        },
        check_results=[
            _check("exports_match_schema", run.schema_failures),
            _check("fields_allowed_for_audience", run.fields_outside_policy),
            _check("files_hold_every_row", run.row_mismatches),
        ],
    )


def _check(name: str, problems: tuple[str, ...]) -> dg.AssetCheckResult:
    """Passes when there are no problems; otherwise says which rows or files and why."""
    shown = "\n".join(problems[:_SHOWN]) + (
        f"\n... and {len(problems) - _SHOWN} more" if len(problems) > _SHOWN else ""
    )
    return dg.AssetCheckResult(
        check_name=name,
        passed=not problems,
        description=shown or None,
        metadata={"problems": len(problems), "first_problems": dg.MetadataValue.text(shown)},
    )


def _audience_table(run: ExportRun) -> pl.DataFrame:
    """Rows per audience and export, for the UI."""
    return pl.DataFrame(
        [
            {"audience": name.split("/")[0], "export": name.split("/")[1], "rows": count}
            for name, count in run.rows.items()
        ],
        schema={"audience": pl.String, "export": pl.String, "rows": pl.Int64},
    )


EXPORT_ASSETS = [account_context_exports]

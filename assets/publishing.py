"""The published DuckDB file marketers query: profile and activation tables together.

It depends on every profile and activation asset, whose blocking checks gate it: a table
that failed validation is never published, and the previous file stays in place.
"""

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb

from assets._metadata import OWNERS, StepTimer
from assets.activation import ACTIVATION_TABLES
from assets.profile import PROFILE_TABLES
from assets.resources import PublishedDatabase, Warehouse
from resolution.publishing import publish_database

MARKETING_DATABASE = dg.AssetKey(["published", "marketing_database"])


@dg.asset(
    key=MARKETING_DATABASE,
    deps=[*PROFILE_TABLES.values(), *ACTIVATION_TABLES.values()],
    group_name="published",
    owners=OWNERS,
    kinds={"duckdb"},
    check_specs=[
        dg.AssetCheckSpec(
            "published_matches_warehouse",
            asset=MARKETING_DATABASE,
            description="Reopened after the swap, the published file holds exactly the rows "
            "of the warehouse's profile tables.",
        )
    ],
)
def marketing_database(
    context: dg.AssetExecutionContext, warehouse: Warehouse, published: PublishedDatabase
) -> dg.MaterializeResult:
    """The DuckDB file marketers query: profiles, lineage, lifecycle, accounts, activation.

    Built in a new file and renamed over the previous one, so a query running during a
    pipeline run sees the previous complete version and a failed run leaves it in place.
    """
    timer = StepTimer()
    target = Path(published.path)
    with warehouse.get_connection() as conn:
        counts = publish_database(conn, target, datetime.now(UTC), context.run.run_id)
    with duckdb.connect(str(target), read_only=True) as reader:
        reread = {
            name: int(reader.sql(f"SELECT count(*) FROM main.{name}").fetchall()[0][0])
            for name in counts
        }
    return dg.MaterializeResult(
        metadata={
            **timer.metadata(),
            "path": dg.MetadataValue.path(str(target)),
            "dagster/row_count": counts["customer_profile"],
            **{f"rows_{name}": count for name, count in counts.items()},
        },
        check_results=[
            dg.AssetCheckResult(
                check_name="published_matches_warehouse",
                passed=reread == counts,
                metadata={"published": str(reread), "warehouse": str(counts)},
            )
        ],
    )

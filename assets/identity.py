"""Identity assets: standardised identity records, then customers with stable ids."""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from assets._checks import schema_check
from assets._metadata import OWNERS, StepTimer, column_schema, markdown_table
from assets.ingestion import RAW_ASSETS
from assets.resources import IdentityPolicy, Warehouse
from resolution.identity import (
    cluster_size_histogram,
    dangling_customer_ids,
    read_customer_id_history,
    read_identity_sources,
    read_identity_sources_table,
    read_previous_identity_map,
    resolution_metrics,
    resolve_records,
    write_identity_sources,
    write_identity_tables,
)
from schemas import IdentityMap, IdentityRecords, SourceIdentityMap

IDENTITY_RECORDS = dg.AssetKey(["identity", "identity_records"])
IDENTITY_MAP = dg.AssetKey(["identity", "identity_map"])
PREVIOUS_IDS_RESOLVE = "previous_customer_ids_resolve"


@dg.asset(
    key=IDENTITY_RECORDS,
    deps=[asset.key for asset in RAW_ASSETS],
    group_name="identity",
    owners=OWNERS,
    kinds={"polars", "duckdb"},
    check_specs=[
        dg.AssetCheckSpec(
            "records_match_schema",
            asset=IDENTITY_RECORDS,
            blocking=True,
            description="identity.identity_records passes schemas.IdentityRecords.",
        )
    ],
)
def identity_records(warehouse: Warehouse) -> dg.MaterializeResult:
    """Every source's people in one standardised shape, ready to link.

    Names transliterated and nickname-folded, emails validated and folded (gmail dots,
    +tags), role and placeholder addresses and invalid phones removed, phones in E.164,
    postcodes per country. Email addresses and phones carried by different people (family
    mailboxes, household landlines, switchboards) are flagged shared so they never link
    two people on their own. Also writes identity.record_membership (every source row to
    its record) and identity.stated_links (cookies the sources tie to a person).
    """
    timer = StepTimer()
    with warehouse.get_connection() as conn:
        sources = read_identity_sources(conn)
        write_identity_sources(conn, sources)
    records = sources.records
    per_source = records.group_by("source_system").len().sort("source_system")
    metadata: dict[str, object] = {
        "dagster/row_count": records.height,
        "source_rows_mapped": sources.membership.height,
        "stated_links": sources.cookie_links.height,
        "share_with_email": _share(records, "email_key"),
        "share_with_phone": _share(records, "phone"),
        "shared_emails": int(records.filter("email_is_shared")["email_key"].n_unique()),
        "shared_phones": int(records.filter("phone_is_shared")["phone"].n_unique()),
        "dagster/column_schema": column_schema(IdentityRecords, {}),
        "preview": markdown_table(records.drop("observed_at")),
    }
    for source, count in per_source.iter_rows():
        metadata[f"records_{source}"] = count
    return dg.MaterializeResult(
        metadata={**metadata, **timer.metadata()},
        check_results=[schema_check("records_match_schema", [(IdentityRecords, records)])],
    )


@dg.asset(
    key=IDENTITY_MAP,
    deps=[IDENTITY_RECORDS],
    group_name="identity",
    owners=OWNERS,
    kinds={"splink", "duckdb"},
    check_specs=[
        dg.AssetCheckSpec(
            "cluster_size_within_bound",
            asset=IDENTITY_MAP,
            blocking=True,
            description="No customer holds more records than IdentityPolicy.max_cluster_size "
            "(an over-merge through a shared identifier shows up as a giant customer).",
        ),
        dg.AssetCheckSpec(
            "one_customer_id_per_record",
            asset=IDENTITY_MAP,
            blocking=True,
            description="identity_map and source_identity_map pass their pandera models: every "
            "record has exactly one customer id.",
        ),
        dg.AssetCheckSpec(
            PREVIOUS_IDS_RESOLVE,
            asset=IDENTITY_MAP,
            blocking=True,
            description="Every customer id of the previous run still names a customer or is "
            "mapped in identity.customer_id_history (read back after the write). Exports and "
            "CRM fields hold last run's ids; one that leads nowhere (say, all its records "
            "vanished from the sources) must be explained before anything is published.",
        ),
    ],
)
def identity_map(warehouse: Warehouse, identity: IdentityPolicy) -> dg.MaterializeResult:
    """One customer id per real person, stable across runs.

    Deterministic links (same personal email, a cookie seen on a form or an email click),
    then Splink links at or above the match threshold, clustered strongest first with a
    guard that refuses any union of two different birth dates, of given names that
    cannot be one person's (twins, households, namesakes), or of two CRM contacts a CRM
    user marked as different people. Existing customers keep their
    ids; merges and splits are appended to identity.customer_id_history. Every scored
    candidate pair is kept in identity.candidate_pairs.
    """
    timer = StepTimer()
    with warehouse.get_connection() as conn:
        sources = read_identity_sources_table(conn)
        previous = read_previous_identity_map(conn)
        resolution = resolve_records(
            sources.records,
            sources.cookie_links,
            previous,
            threshold_match_probability=identity.match_threshold,
            name_only_threshold=identity.name_only_threshold,
            name_and_company_threshold=identity.name_and_company_threshold,
            two_holders_threshold=identity.two_holders_threshold,
            max_personal_emails=identity.max_personal_emails,
        )
        source_map = write_identity_tables(conn, resolution, sources.membership, datetime.now(UTC))
        history = read_customer_id_history(conn)
    dangling = dangling_customer_ids(previous, resolution.identity_map, history)
    previous_ids = 0 if previous is None else previous.get_column("customer_id").n_unique()
    metrics = resolution_metrics(resolution)
    metadata: dict[str, object] = {
        "dagster/row_count": resolution.identity_map.height,
        **metrics,
        "cluster_sizes": markdown_table(cluster_size_histogram(resolution), rows=10),
        "links_by_rule": markdown_table(
            resolution.links.group_by("rule").len().sort("len", descending=True), rows=10
        ),
    }
    truth_dir = identity.ground_truth_folder()
    if truth_dir is not None:
        scores = resolution.scored(sources.membership, truth_dir)
        metadata |= {
            "pairwise_precision": scores.pairwise_precision,
            "pairwise_recall": scores.pairwise_recall,
            "recall_ceiling": scores.recall_ceiling,
            "pairwise_f1": scores.pairwise_f1,
            "bcubed_f1": scores.bcubed_f1,
            "true_people": scores.true_people,
            "hard_negative_pairs_merged": scores.hard_negative_pairs_merged,
            "recall_by_source_pair": markdown_table(
                pl.DataFrame(
                    {
                        "sources": list(scores.pairwise_recall_by_source_pair),
                        "recall": list(scores.pairwise_recall_by_source_pair.values()),
                    }
                ),
                rows=15,
            ),
        }
    largest = int(metrics["largest_customer_records"])
    return dg.MaterializeResult(
        metadata={**metadata, **timer.metadata()},
        check_results=[
            dg.AssetCheckResult(
                check_name="cluster_size_within_bound",
                passed=largest <= identity.max_cluster_size,
                metadata={"largest_customer_records": largest, "bound": identity.max_cluster_size},
            ),
            schema_check(
                "one_customer_id_per_record",
                [(IdentityMap, resolution.identity_map), (SourceIdentityMap, source_map)],
            ),
            dg.AssetCheckResult(
                check_name=PREVIOUS_IDS_RESOLVE,
                passed=dangling.height == 0,
                metadata={
                    "previous_customer_ids": previous_ids,
                    "dangling_customer_ids": dangling.height,
                    "dangling": markdown_table(dangling, rows=10),
                },
            ),
        ],
    )


def _share(records: pl.DataFrame, column: str) -> float:
    return float(records.get_column(column).is_not_null().mean() or 0.0)

"""Activation assets: the personalisation feed and its suppressions, known fields, form
prefill, and redundant requests (the KPI c360 exists to drive down).

Each table is validated against its pandera model as a blocking check, so a failed
validation stops publishing and exports and the check's metadata says which rows and why.
"""

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pandera.polars as pa
import polars as pl

from assets._checks import schema_check, unusable_file
from assets._metadata import OWNERS, StepTimer, column_schema, markdown_table
from assets.profile import ERASED_CUSTOMERS, PROFILE_TABLES
from assets.resources import ActivationRules, Warehouse
from resolution import SourceFileError
from resolution.activation import (
    ACTIVATION_TABLE_DESCRIPTIONS,
    form_prefill,
    known_fields,
    personalization_feed,
    read_forms,
    redundant_request_counts,
    redundant_requests,
    suppressions,
    write_activation_table,
)
from schemas.activation import (
    FormPrefill,
    KnownFields,
    PersonalizationFeed,
    RedundantRequests,
    Suppressions,
)

ACTIVATION_TABLES = {
    name: dg.AssetKey(["activation", name]) for name in ACTIVATION_TABLE_DESCRIPTIONS
}
_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "personalization_feed": PersonalizationFeed,
    "suppressions": Suppressions,
    "known_fields": KnownFields,
    "redundant_requests": RedundantRequests,
    "form_prefill": FormPrefill,
}


def _spec_kwargs(
    name: str, deps: list[dg.AssetKey], *checks: dg.AssetCheckSpec
) -> dict[str, object]:
    """Decorator arguments every activation asset shares, with its schema check."""
    key = ACTIVATION_TABLES[name]
    return {
        "key": key,
        "deps": deps,
        "group_name": "activation",
        "owners": OWNERS,
        "kinds": {"duckdb", "polars"},
        "check_specs": [
            dg.AssetCheckSpec(
                "matches_schema",
                asset=key,
                blocking=True,
                description=f"activation.{name} passes schemas.{_MODELS[name].__name__}.",
            ),
            *checks,
        ],
    }


def _stored(
    warehouse: Warehouse,
    name: str,
    frame: pl.DataFrame,
    metadata: dict[str, object],
    timer: StepTimer,
    checks: list[dg.AssetCheckResult] | None = None,
) -> dg.MaterializeResult:
    """Write ``activation.<name>`` and report it with its schema check."""
    with warehouse.get_connection() as conn:
        write_activation_table(conn, name, frame)
    return dg.MaterializeResult(
        metadata={
            **timer.metadata(),
            "dagster/row_count": frame.height,
            "dagster/column_schema": column_schema(_MODELS[name], {}),
            "preview": markdown_table(frame),
            **metadata,
        },
        check_results=[schema_check("matches_schema", [(_MODELS[name], frame)]), *(checks or [])],
    )


@dg.asset(
    description=ACTIVATION_TABLE_DESCRIPTIONS["known_fields"],
    **_spec_kwargs("known_fields", [PROFILE_TABLES["profile_field_lineage"]]),
)
def known_fields_asset(warehouse: Warehouse, activation_rules: ActivationRules):
    timer = StepTimer()
    with warehouse.get_connection() as conn:
        known = known_fields(
            conn, datetime.now(UTC), activation_rules.policy().known_field_max_age_days
        )
    per_field = known.group_by("field").agg(pl.col("known").mean()).sort("field")
    return _stored(
        warehouse,
        "known_fields",
        known,
        {f"share_known_{field}": float(share) for field, share in per_field.iter_rows()},
        timer,
    )


@dg.asset(
    description=ACTIVATION_TABLE_DESCRIPTIONS["redundant_requests"],
    **_spec_kwargs("redundant_requests", [PROFILE_TABLES["customer_profile"]]),
)
def redundant_requests_asset(warehouse: Warehouse):
    timer = StepTimer()
    with warehouse.get_connection() as conn:
        redundant = redundant_requests(conn)
    counts = redundant_request_counts(redundant)
    metadata: dict[str, object] = {"redundant_requests": redundant.height}
    for source, requests in counts.group_by("source_table").agg(pl.col("requests").sum()).rows():
        metadata[f"redundant_requests_{source}"] = int(requests)
    for field, requests in counts.group_by("field").agg(pl.col("requests").sum()).rows():
        metadata[f"redundant_requests_field_{field}"] = int(requests)
    by_month = counts.group_by("month").agg(pl.col("requests").sum()).sort("month")
    metadata["by_month"] = markdown_table(by_month.reverse(), rows=12)
    return _stored(warehouse, "redundant_requests", redundant, metadata, timer)


@dg.asset(
    description=ACTIVATION_TABLE_DESCRIPTIONS["suppressions"],
    **_spec_kwargs("suppressions", [PROFILE_TABLES["customer_profile"], ERASED_CUSTOMERS]),
)
def suppressions_asset(warehouse: Warehouse, activation_rules: ActivationRules):
    timer = StepTimer()
    with warehouse.get_connection() as conn:
        suppressed = suppressions(conn, activation_rules.policy())
    reasons = suppressed.group_by("reason").len().sort("reason")
    return _stored(
        warehouse,
        "suppressions",
        suppressed,
        {
            "suppressed_customers": suppressed["customer_id"].drop_nulls().n_unique(),
            **{f"reason_{reason}": count for reason, count in reasons.iter_rows()},
        },
        timer,
    )


@dg.asset(
    description=ACTIVATION_TABLE_DESCRIPTIONS["personalization_feed"],
    **_spec_kwargs(
        "personalization_feed",
        [ACTIVATION_TABLES["suppressions"], PROFILE_TABLES["customer_products"]],
        dg.AssetCheckSpec(
            "no_suppressed_customer_in_feed",
            asset=ACTIVATION_TABLES["personalization_feed"],
            blocking=True,
            description="No customer listed in activation.suppressions is in the feed.",
        ),
    ),
)
def personalization_feed_asset(warehouse: Warehouse, activation_rules: ActivationRules):
    timer = StepTimer()
    with warehouse.get_connection() as conn:
        suppressed = conn.sql("SELECT * FROM activation.suppressions").pl()
        feed = personalization_feed(conn, suppressed, activation_rules.policy(), datetime.now(UTC))
    leaked = feed.join(suppressed.drop_nulls("customer_id"), on="customer_id", how="semi")
    segments = feed.group_by("segment").len().sort("segment")
    channels = feed.group_by("preferred_channel").len().sort("preferred_channel")
    return _stored(
        warehouse,
        "personalization_feed",
        feed,
        {
            **{f"segment_{segment}": count for segment, count in segments.iter_rows()},
            **{f"channel_{channel}": count for channel, count in channels.iter_rows()},
        },
        timer,
        [
            dg.AssetCheckResult(
                check_name="no_suppressed_customer_in_feed",
                passed=leaked.height == 0,
                metadata={
                    "suppressed_in_feed": leaked.height,
                    "examples": str(leaked["customer_id"].head(5).to_list()),
                },
            )
        ],
    )


@dg.asset(
    description=ACTIVATION_TABLE_DESCRIPTIONS["form_prefill"],
    **_spec_kwargs("form_prefill", [ACTIVATION_TABLES["known_fields"]]),
)
def form_prefill_asset(warehouse: Warehouse, activation_rules: ActivationRules):
    timer = StepTimer()
    try:
        forms = read_forms(Path(activation_rules.forms_dir))
    except SourceFileError as err:
        raise unusable_file("form definition not read", err) from err
    with warehouse.get_connection() as conn:
        known = conn.sql("SELECT * FROM activation.known_fields").pl()
        prefill = form_prefill(conn, known, forms)
    actions = prefill.group_by("action").len().sort("action")
    return _stored(
        warehouse,
        "form_prefill",
        prefill,
        {"forms": len(forms), **{f"fields_to_{a}": n for a, n in actions.iter_rows()}},
        timer,
    )


ACTIVATION_ASSETS = [
    known_fields_asset,
    redundant_requests_asset,
    suppressions_asset,
    personalization_feed_asset,
    form_prefill_asset,
]

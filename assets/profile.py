"""Profile assets: erasure, then the golden profile and its companion tables.

The profile tables are built together in one step (they share one pass over the resolved
warehouse) but appear as separate assets, each with its own blocking schema check, so
nothing downstream (activation, publishing) runs on a profile that failed validation.
"""

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl

from assets._checks import schema_check, unusable_file
from assets._metadata import OWNERS, StepTimer, column_schema, markdown_table
from assets.identity import IDENTITY_MAP
from assets.resources import Governance, ProfileRules, Warehouse
from resolution import SourceFileError
from resolution.profile import (
    TABLE_DESCRIPTIONS,
    build_profiles,
    erased_customers,
    erasure_salt,
    lineage_gaps,
    read_erasure_requests,
    record_erasure_requests,
    requests_not_honoured,
    write_profile_tables,
)
from schemas.profile import (
    Account,
    CustomerProducts,
    CustomerProfile,
    LifecycleHistory,
    ProfileFieldLineage,
)

ERASED_CUSTOMERS = dg.AssetKey(["governance", "erased_customers"])
PROFILE_TABLES = {name: dg.AssetKey(["profile", name]) for name in TABLE_DESCRIPTIONS}
_MODELS = {
    "customer_profile": CustomerProfile,
    "profile_field_lineage": ProfileFieldLineage,
    "lifecycle_history": LifecycleHistory,
    "customer_products": CustomerProducts,
    "account": Account,
}


@dg.asset(
    key=ERASED_CUSTOMERS,
    deps=[IDENTITY_MAP],
    group_name="governance",
    owners=OWNERS,
    kinds={"duckdb"},
    check_specs=[
        dg.AssetCheckSpec(
            "every_request_erased",
            asset=ERASED_CUSTOMERS,
            blocking=True,
            description="Every person on the erasure list who is in this run's data is among "
            "the erased customers, so no profile output can contain them.",
        )
    ],
)
def erased_customers_asset(warehouse: Warehouse, governance: Governance) -> dg.MaterializeResult:
    """Customers to leave out of every output: the erasure list and every earlier request.

    Each request's identifiers are kept only as salted hashes in
    governance.erasure_tombstones, so the list file can be deleted once processed and
    the same person arriving again in next week's exports is still left out.
    """
    timer = StepTimer()
    try:
        requests = read_erasure_requests(Path(governance.erasure_list))
    except SourceFileError as err:
        raise unusable_file("erasure list not read, nobody erased this run", err) from err
    with warehouse.get_connection() as conn:
        salt = erasure_salt(conn, governance.erasure_salt)
        added = record_erasure_requests(conn, requests, salt, datetime.now(UTC))
        erased = erased_customers(conn, salt)
        conn.register("_c360_erased", erased)
        conn.execute(
            "CREATE OR REPLACE TABLE governance.erased_customers AS SELECT * FROM _c360_erased"
        )
        conn.unregister("_c360_erased")
        missed = requests_not_honoured(conn, requests, erased)
    return dg.MaterializeResult(
        metadata={
            **timer.metadata(),
            "dagster/row_count": erased.height,
            "erasure_requests": requests.height,
            "tombstones_added": added,
        },
        check_results=[
            dg.AssetCheckResult(
                check_name="every_request_erased",
                passed=missed == 0,
                metadata={"requests_still_present": missed},
            )
        ],
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            key,
            deps=[IDENTITY_MAP, ERASED_CUSTOMERS],
            description=TABLE_DESCRIPTIONS[name],
            group_name="profile",
            owners=OWNERS,
            kinds={"duckdb", "polars"},
        )
        for name, key in PROFILE_TABLES.items()
    ],
    check_specs=[
        *(
            dg.AssetCheckSpec(
                "matches_schema",
                asset=key,
                blocking=True,
                description=f"profile.{name} passes schemas.{_MODELS[name].__name__}.",
            )
            for name, key in PROFILE_TABLES.items()
        ),
        dg.AssetCheckSpec(
            "lineage_complete",
            asset=PROFILE_TABLES["profile_field_lineage"],
            blocking=True,
            description="Every profile value has exactly one lineage row that holds the same "
            "value, and no lineage row lacks a profile value.",
        ),
        dg.AssetCheckSpec(
            "one_profile_per_customer",
            asset=PROFILE_TABLES["customer_profile"],
            blocking=True,
            description="The profile has one row for every resolved customer who is not erased: "
            "a join that drops or duplicates customers fails here.",
        ),
    ],
)
def customer_profiles(warehouse: Warehouse, profile_rules: ProfileRules):
    """One golden profile per customer, with field lineage, lifecycle, products and accounts.

    Survivorship (source trust, recency, validity, agreement) and lifecycle rules come from
    the ProfileRules resource (c360.toml [survivorship] and [lifecycle]). Consent is the
    latest explicit choice across every source; an opt-out anywhere suppresses the person
    everywhere.
    """
    timer = StepTimer()
    with warehouse.get_connection() as conn:
        erased = conn.sql("SELECT customer_id FROM governance.erased_customers").pl()
        tables = build_profiles(conn, profile_rules.policy(), erased)
        write_profile_tables(conn, tables)
        expected = _customers_not_erased(conn)
    profile, lineage = tables.customer_profile, tables.profile_field_lineage
    gaps = lineage_gaps(profile, lineage)
    extra: dict[str, dict[str, object]] = {
        "customer_profile": _profile_metadata(profile),
        "profile_field_lineage": {
            f"chosen_by_{rule}": count
            for rule, count in lineage.group_by("rule").len().sort("rule").iter_rows()
        },
        "lifecycle_history": {
            f"customers_{stage}": count
            for stage, count in profile.group_by("lifecycle_stage")
            .len()
            .sort("lifecycle_stage")
            .iter_rows()
        },
        "account": {
            "accounts_with_contacts": int((tables.account["contacts"] > 0).sum()),
            "open_tickets": int(tables.account["open_tickets"].sum()),
        },
        "customer_products": {
            "active_subscriptions": int(tables.customer_products["is_active"].sum())
        },
    }
    step_seconds = timer.metadata()  # the tables are built together: one step time
    for name, key in PROFILE_TABLES.items():
        frame: pl.DataFrame = getattr(tables, name)
        checks = [schema_check("matches_schema", [(_MODELS[name], frame)], key)]
        if name == "profile_field_lineage":
            checks.append(
                dg.AssetCheckResult(
                    check_name="lineage_complete",
                    asset_key=key,
                    passed=gaps.height == 0,
                    metadata={
                        "gaps": gaps.height,
                        "examples": str(gaps.head(5).rows()),
                    },
                )
            )
        if name == "customer_profile":
            checks.append(
                dg.AssetCheckResult(
                    check_name="one_profile_per_customer",
                    asset_key=key,
                    passed=profile.height == expected and profile["customer_id"].is_unique().all(),
                    metadata={"profiles": profile.height, "customers_not_erased": expected},
                )
            )
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                **step_seconds,
                "dagster/row_count": frame.height,
                "dagster/column_schema": column_schema(_MODELS[name], {}),
                "preview": markdown_table(frame),
                **extra[name],
            },
            check_results=checks,
        )


def _customers_not_erased(conn: duckdb.DuckDBPyConnection) -> int:
    return int(
        conn.sql(
            "SELECT count(DISTINCT customer_id) FROM identity.identity_map "
            "WHERE customer_id NOT IN (SELECT customer_id FROM governance.erased_customers)"
        ).fetchall()[0][0]
    )


def _profile_metadata(profile: pl.DataFrame) -> dict[str, object]:
    def share(column: str) -> float:
        return float(profile.get_column(column).is_not_null().mean() or 0.0)

    return {
        "customers": profile.height,
        "suppressed": int(profile["is_suppressed"].sum()),
        "undeliverable_emails": int((~profile["email_deliverable"].fill_null(True)).sum()),
        "share_with_email": share("email"),
        "share_with_phone": share("phone"),
        "share_with_account": share("account_id"),
        "customers_owning_products": int((profile["products_owned"].list.len() > 0).sum()),
    }

"""Lifecycle stage and its history, from dated evidence in the events and the CRM.

Each piece of evidence says "by this date the person had reached this stage". Walking a
customer's evidence in date order, a transition is recorded whenever a higher stage is
reached; lower or repeated evidence changes nothing, so a stale CRM stage cannot move a
customer backwards. The rules (which forms make a subscriber or a marketing-qualified
lead, how many email clicks qualify) come from ``LifecyclePolicy``.
"""

from __future__ import annotations

import duckdb
import polars as pl

from resolution.profile._activity import ACTIVITY_TABLE
from resolution.profile._policy import LIFECYCLE_STAGES, LifecyclePolicy

ACTIVE_SUBSCRIPTION_STATUSES = ("active", "trialing", "past_due")

CRM_STAGES = {
    "subscriber": "subscriber",
    "lead": "lead",
    "marketingqualifiedlead": "marketing_qualified",
    "salesqualifiedlead": "sales_qualified",
    "opportunity": "opportunity",
    "customer": "customer",
}
"""The CRM's lifecycle vocabulary in c360's stages; the CRM's ``other`` says nothing."""

_EVIDENCE_SQL = f"""
WITH crm_stage AS (
    SELECT * FROM (VALUES {", ".join(f"('{k}', '{v}')" for k, v in CRM_STAGES.items())})
        AS t(crm_stage, stage)
),
owner AS (
    SELECT source_table, source_record_id, customer_id
    FROM identity.source_identity_map WHERE customer_id IS NOT NULL
),
contact_customer AS (
    SELECT c.contact_id, c.account_id, o.customer_id
    FROM raw.crm_contacts c
    JOIN owner o ON o.source_table = 'crm_contacts' AND o.source_record_id = c.contact_id
),
clicks AS (
    SELECT customer_id, source_table, source_record_id, occurred_at,
           row_number() OVER (PARTITION BY customer_id ORDER BY occurred_at, source_record_id)
               AS nth
    FROM {ACTIVITY_TABLE} WHERE channel = 'email' AND kind = 'click'
),
held AS (
    SELECT cc.customer_id, s.* FROM raw.crm_subscriptions s
    JOIN contact_customer cc ON cc.contact_id = s.contact_id
    UNION
    SELECT cc.customer_id, s.* FROM raw.crm_subscriptions s
    JOIN contact_customer cc ON cc.account_id = s.account_id AND s.contact_id IS NULL
)
SELECT customer_id, 'anonymous' AS stage, 'first_web_visit' AS rule, source_table,
       source_record_id, occurred_at AS reached_at
FROM {ACTIVITY_TABLE} WHERE channel = 'web' AND kind = 'page_view'
UNION ALL
SELECT customer_id, 'subscriber', 'email_subscription', source_table, source_record_id,
       occurred_at
FROM {ACTIVITY_TABLE}
WHERE channel = 'email' AND kind IN ('subscription_subscribed', 'subscription_unsubscribed',
                                     'subscription_cleaned')
UNION ALL
SELECT customer_id,
       CASE WHEN list_contains($subscriber_forms, detail) THEN 'subscriber'
            WHEN list_contains($qualifying_forms, detail) THEN 'marketing_qualified'
            ELSE 'lead' END,
       'form:' || detail, source_table, source_record_id, occurred_at
FROM {ACTIVITY_TABLE} WHERE channel = 'web' AND kind = 'form_submit'
UNION ALL
SELECT customer_id, 'marketing_qualified', 'email_clicks>=' || $clicks, source_table,
       source_record_id, occurred_at
FROM clicks WHERE nth = $clicks
UNION ALL
SELECT o.customer_id, s.stage, 'crm_lifecycle_stage:' || c.lifecycle_stage, 'crm_contacts',
       c.contact_id, coalesce(c.updated_at, c.created_at)
FROM raw.crm_contacts c JOIN crm_stage s ON s.crm_stage = c.lifecycle_stage
JOIN owner o ON o.source_table = 'crm_contacts' AND o.source_record_id = c.contact_id
UNION ALL
SELECT o.customer_id, 'opportunity', 'crm_lead_status:OPEN_DEAL', 'crm_contacts', c.contact_id,
       coalesce(c.updated_at, c.created_at)
FROM raw.crm_contacts c
JOIN owner o ON o.source_table = 'crm_contacts' AND o.source_record_id = c.contact_id
WHERE c.lead_status = 'OPEN_DEAL'
UNION ALL
SELECT customer_id, 'customer', 'subscription_started', 'crm_subscriptions', subscription_id,
       CAST(start_date AS TIMESTAMPTZ)
FROM held
UNION ALL
SELECT customer_id, 'churned', 'every_subscription_ended', 'crm_subscriptions',
       arg_max(subscription_id, end_date), CAST(max(end_date) AS TIMESTAMPTZ)
FROM held
GROUP BY customer_id
HAVING NOT bool_or(list_contains($active, status)) AND count(end_date) = count(*)
"""


def lifecycle_history(conn: duckdb.DuckDBPyConnection, policy: LifecyclePolicy) -> pl.DataFrame:
    """Each customer's stage transitions, oldest first, with the evidence for each.

    Columns: customer_id, stage, previous_stage, entered_at, rule, source_table,
    source_record_id. A customer's current stage is its latest transition.
    """
    evidence = conn.sql(
        _EVIDENCE_SQL,
        params={
            "subscriber_forms": list(policy.subscriber_forms),
            "qualifying_forms": list(policy.marketing_qualified_forms),
            "clicks": policy.marketing_qualified_email_clicks,
            "active": list(ACTIVE_SUBSCRIPTION_STATUSES),
        },
    ).pl()
    rank = {stage: position for position, stage in enumerate(LIFECYCLE_STAGES)}
    ordered = evidence.with_columns(
        pl.col("stage").replace_strict(rank, return_dtype=pl.Int8).alias("rank")
    ).sort("customer_id", "reached_at", "rank", "source_record_id", nulls_last=True)
    reached_before = pl.col("rank").cum_max().shift(1).over("customer_id").fill_null(-1)
    transitions = ordered.filter(pl.col("rank") > reached_before)
    return transitions.select(
        "customer_id",
        "stage",
        pl.col("stage").shift(1).over("customer_id").alias("previous_stage"),
        pl.col("reached_at").alias("entered_at"),
        "rule",
        "source_table",
        "source_record_id",
    )


def current_stage(history: pl.DataFrame) -> pl.DataFrame:
    """customer_id, lifecycle_stage and the date it was entered: the latest transition."""
    return history.group_by("customer_id").agg(
        pl.col("stage").last().alias("lifecycle_stage"),
        pl.col("entered_at").last().alias("lifecycle_stage_entered_at"),
    )

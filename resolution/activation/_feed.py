"""Who marketing may contact, and what to say to each of them.

Suppression comes first: a customer with any reason not to be contacted (an opt-out in any
source, no opt-in where one is required, no deliverable email, an open urgent ticket) is
left out of the feed and listed in ``suppressions`` with every reason that applies, and
each erasure tombstone is listed too (by hash, as nothing else of the person remains).
The feed's segment, channel, topics and next product are derived from the profile and
the activity table, as of a reference time, so a rerun on the same data gives the same feed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import polars as pl

from resolution.activation._policy import MARKETING_CHANNELS, ActivationPolicy
from resolution.profile import TOMBSTONES_TABLE, ensure_tombstones_table

_SUPPRESSIONS_SQL = f"""
WITH reasons AS (
    SELECT customer_id, consent_choice AS reason,
           consent_source_table || ':' || consent_source_record_id AS detail,
           consent_changed_at AS since
    FROM profile.customer_profile WHERE consent_choice IN ('unsubscribed', 'do_not_contact')
    UNION ALL
    SELECT customer_id, 'no_consent', 'no explicit opt-in in any source', NULL
    FROM profile.customer_profile WHERE $require_opt_in AND consent_status = 'unknown'
    UNION ALL
    SELECT customer_id, 'undeliverable',
           CASE WHEN email IS NULL THEN 'no email address' ELSE 'hard bounce: ' || email END,
           NULL
    FROM profile.customer_profile WHERE email IS NULL OR NOT email_deliverable
    UNION ALL
    SELECT customer_id, 'open_urgent_ticket', source_table || ':' || source_record_id,
           occurred_at
    FROM profile.activity
    WHERE channel = 'support' AND kind IN ('ticket_new', 'ticket_open', 'ticket_pending')
      AND list_contains($urgent, detail)
)
SELECT customer_id, reason, detail, since, NULL AS erasure_tombstone FROM reasons
UNION ALL
SELECT NULL, 'erased', 'erasure request', erased_at, identifier_hash
FROM {TOMBSTONES_TABLE}
ORDER BY customer_id NULLS LAST, reason, detail
"""

_FEED_SQL = """
WITH contactable AS (
    SELECT * FROM profile.customer_profile
    WHERE customer_id NOT IN (SELECT customer_id FROM _c360_suppressed)
),
channel_use AS (
    SELECT customer_id, channel,
           count(*) FILTER (WHERE occurred_at >= $window_start) AS recent_interactions,
           max(occurred_at) AS last_interaction_at
    FROM profile.activity
    WHERE list_contains($channels, channel)
      AND (channel <> 'email' OR kind IN ('open', 'click'))
    GROUP BY customer_id, channel
),
preferred AS (
    SELECT customer_id, channel AS preferred_channel FROM channel_use
    QUALIFY row_number() OVER (
        PARTITION BY customer_id
        ORDER BY recent_interactions DESC, last_interaction_at DESC NULLS LAST, channel
    ) = 1
),
topic_scores AS (
    SELECT customer_id, topic,
           sum(pow(0.5, greatest(date_diff('day', occurred_at, $now), 0) / $half_life)) AS score,
           max(occurred_at) AS last_seen_at
    FROM profile.activity
    WHERE topic IS NOT NULL AND occurred_at <= $now
      AND ((channel = 'web' AND kind = 'page_view') OR (channel = 'email' AND kind = 'click'))
    GROUP BY customer_id, topic
),
topics AS (
    SELECT customer_id,
           list(topic ORDER BY score DESC, topic)[1:3] AS topics,
           arg_max(last_seen_at, score) AS top_topic_last_seen_at
    FROM topic_scores GROUP BY customer_id
),
owned AS (
    SELECT DISTINCT customer_id, product FROM profile.customer_products WHERE is_active
),
popularity AS (SELECT product, count(*) AS owners FROM owned GROUP BY product),
together AS (
    SELECT a.product AS owned_product, b.product AS other_product, count(*) AS owners
    FROM owned a JOIN owned b ON a.customer_id = b.customer_id AND a.product <> b.product
    GROUP BY ALL
),
next_product AS (
    SELECT c.customer_id, p.product AS next_product
    FROM contactable c CROSS JOIN popularity p
    LEFT JOIN owned o ON o.customer_id = c.customer_id AND o.product = p.product
    LEFT JOIN owned mine ON mine.customer_id = c.customer_id
    LEFT JOIN together t ON t.owned_product = mine.product AND t.other_product = p.product
    WHERE o.product IS NULL
    GROUP BY c.customer_id, p.product, p.owners
    QUALIFY row_number() OVER (
        PARTITION BY c.customer_id
        ORDER BY coalesce(sum(t.owners), 0) DESC, p.owners DESC, p.product
    ) = 1
)
SELECT c.customer_id, c.email, c.first_name, c.last_name, c.company, c.job_title, c.country,
       CASE
           WHEN c.lifecycle_stage = 'customer' AND c.last_seen_at >= $window_start
               THEN 'active_customer'
           WHEN c.lifecycle_stage = 'customer' THEN 'customer_at_risk'
           WHEN c.lifecycle_stage = 'churned' THEN 'win_back'
           WHEN c.lifecycle_stage IN ('sales_qualified', 'opportunity') THEN 'in_sales_process'
           WHEN c.lifecycle_stage = 'marketing_qualified' THEN 'marketing_qualified'
           ELSE 'nurture'
       END AS segment,
       c.lifecycle_stage, coalesce(pr.preferred_channel, 'email') AS preferred_channel,
       coalesce(t.topics, []) AS topics, t.top_topic_last_seen_at, c.products_owned,
       n.next_product, c.account_name, c.account_owner_name,
       to_json({
           first_name: coalesce(c.first_name, 'there'),
           company: c.company,
           account_owner: c.account_owner_name,
           top_topic: t.topics[1],
           next_product: n.next_product
       })::VARCHAR AS personalization_tokens
FROM contactable c
LEFT JOIN preferred pr USING (customer_id)
LEFT JOIN topics t USING (customer_id)
LEFT JOIN next_product n USING (customer_id)
ORDER BY c.customer_id
"""


def suppressions(conn: duckdb.DuckDBPyConnection, policy: ActivationPolicy) -> pl.DataFrame:
    """Every reason each customer may not be contacted, plus one row per erasure tombstone.

    Columns: customer_id (null for erasures), reason, detail, since, erasure_tombstone.
    """
    ensure_tombstones_table(conn)
    return conn.sql(
        _SUPPRESSIONS_SQL,
        params={
            "require_opt_in": policy.require_opt_in,
            "urgent": list(policy.urgent_ticket_priorities),
        },
    ).pl()


def personalization_feed(
    conn: duckdb.DuckDBPyConnection,
    suppressed: pl.DataFrame,
    policy: ActivationPolicy,
    reference_time: datetime,
) -> pl.DataFrame:
    """One row per contactable customer: segment, channel, topics, products, tokens."""
    conn.register(
        "_c360_suppressed",
        suppressed.filter(pl.col("customer_id").is_not_null()).select("customer_id").unique(),
    )
    try:
        return conn.sql(
            _FEED_SQL,
            params={
                "now": reference_time,
                "window_start": reference_time - timedelta(days=policy.engagement_window_days),
                "half_life": float(policy.topic_half_life_days),
                "channels": list(MARKETING_CHANNELS),
            },
        ).pl()
    finally:
        conn.unregister("_c360_suppressed")

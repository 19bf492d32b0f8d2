"""What each customer did, in every channel, as dated rows.

Engagement counts, first and last seen, and lifecycle evidence all read this one table,
so they cannot disagree about what happened. Rows reach customers through
``identity.source_identity_map``: an event belongs to whoever its record resolved to.

Columns: customer_id, channel (web, email, social, support, crm), kind (the event type),
detail (form id, campaign id, platform, ticket priority or CRM stage), topic (page or
campaign topic, ticket subject), occurred_at, source_table, source_record_id.
"""

from __future__ import annotations

import duckdb

ACTIVITY_TABLE = "profile.activity"

_ACTIVITY_SQL = f"""
CREATE OR REPLACE TABLE {ACTIVITY_TABLE} AS
WITH owner AS (
    SELECT source_table, source_record_id, customer_id
    FROM identity.source_identity_map WHERE customer_id IS NOT NULL
)
SELECT o.customer_id, 'web' AS channel, w.event_type AS kind, w.form_id AS detail,
       w.page_topic AS topic, w."timestamp" AS occurred_at, 'web_events' AS source_table,
       w.event_id AS source_record_id
FROM raw.web_events w
JOIN owner o ON o.source_table = 'web_events' AND o.source_record_id = w.event_id
UNION ALL
SELECT o.customer_id, 'email', e.event_type, e.campaign_id, e.campaign_topic, e."timestamp",
       'email_events', e.event_id
FROM raw.email_events e
JOIN owner o ON o.source_table = 'email_events' AND o.source_record_id = e.event_id
UNION ALL
SELECT o.customer_id, 'email', 'subscription_' || s.status, NULL, NULL,
       coalesce(s.opt_in_at, s.last_changed_at), 'email_subscribers', s.subscriber_id
FROM raw.email_subscribers s
JOIN owner o ON o.source_table = 'email_subscribers' AND o.source_record_id = s.subscriber_id
UNION ALL
SELECT o.customer_id, 'social', i.interaction_type, i.platform, NULL, i."timestamp",
       'social_interactions', i.interaction_id
FROM raw.social_interactions i
JOIN owner o ON o.source_table = 'social_interactions' AND o.source_record_id = i.interaction_id
UNION ALL
SELECT o.customer_id, 'support', 'ticket_' || t.status, t.priority, t.subject, t.created_at,
       'support_tickets', t.ticket_id
FROM raw.support_tickets t
JOIN owner o ON o.source_table = 'support_tickets' AND o.source_record_id = t.ticket_id
UNION ALL
SELECT o.customer_id, 'crm', 'contact_created', c.lifecycle_stage, NULL, c.created_at,
       'crm_contacts', c.contact_id
FROM raw.crm_contacts c
JOIN owner o ON o.source_table = 'crm_contacts' AND o.source_record_id = c.contact_id
"""

ENGAGEMENT_SQL = f"""
SELECT customer_id,
       count(*) FILTER (WHERE channel = 'web') AS web_interactions,
       max(occurred_at) FILTER (WHERE channel = 'web') AS web_last_interaction_at,
       count(*) FILTER (WHERE channel = 'email' AND kind IN ('open', 'click'))
           AS email_interactions,
       max(occurred_at) FILTER (WHERE channel = 'email' AND kind IN ('open', 'click'))
           AS email_last_interaction_at,
       count(*) FILTER (WHERE channel = 'social') AS social_interactions,
       max(occurred_at) FILTER (WHERE channel = 'social') AS social_last_interaction_at,
       count(*) FILTER (WHERE channel = 'support') AS support_interactions,
       max(occurred_at) FILTER (WHERE channel = 'support') AS support_last_interaction_at,
       min(occurred_at) AS first_seen_at, max(occurred_at) AS last_seen_at
FROM {ACTIVITY_TABLE}
GROUP BY customer_id
"""
"""Per-channel engagement: counts and last interaction (email counts opens and clicks,
not sends, since a send says nothing about the person)."""


def build_activity(conn: duckdb.DuckDBPyConnection) -> None:
    """(Re)build ``profile.activity`` from the raw tables and the source identity map."""
    conn.execute("CREATE SCHEMA IF NOT EXISTS profile")
    conn.execute(_ACTIVITY_SQL)

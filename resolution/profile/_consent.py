"""Consent: the latest explicit choice across every source, applied to every channel.

A person who unsubscribes from the email platform must not be called by sales because the
CRM record still says nothing; so choices are collected from all sources after identity
resolution, per customer, and recomputed every run (records that merged only in this run
share their choices at once). A choice is explicit when the person made it: a subscription
or unsubscription, a newsletter form, a do-not-contact flag in the CRM. Hard bounces are
not choices; they make an address undeliverable (see ``undeliverable_emails``).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import polars as pl

_CHOICES_SQL = """
WITH owner AS (
    SELECT source_table, source_record_id, customer_id
    FROM identity.source_identity_map WHERE customer_id IS NOT NULL
),
choices AS (
    SELECT o.customer_id, 'opted_in' AS choice, 'email_subscribers' AS source_table,
           s.subscriber_id AS source_record_id,
           coalesce(s.last_changed_at, s.opt_in_at) AS chosen_at
    FROM raw.email_subscribers s
    JOIN owner o ON o.source_table = 'email_subscribers' AND o.source_record_id = s.subscriber_id
    WHERE s.status = 'subscribed'
    UNION ALL
    SELECT o.customer_id, 'unsubscribed', 'email_subscribers', s.subscriber_id,
           coalesce(s.last_changed_at, s.opt_in_at)
    FROM raw.email_subscribers s
    JOIN owner o ON o.source_table = 'email_subscribers' AND o.source_record_id = s.subscriber_id
    WHERE s.status = 'unsubscribed'
    UNION ALL
    SELECT o.customer_id, 'unsubscribed', 'email_events', e.event_id, e."timestamp"
    FROM raw.email_events e
    JOIN owner o ON o.source_table = 'email_events' AND o.source_record_id = e.event_id
    WHERE e.event_type = 'unsubscribe'
    UNION ALL
    SELECT o.customer_id, 'do_not_contact', 'crm_contacts', c.contact_id,
           coalesce(c.updated_at, c.created_at)
    FROM raw.crm_contacts c
    JOIN owner o ON o.source_table = 'crm_contacts' AND o.source_record_id = c.contact_id
    WHERE c.email_opt_out
    UNION ALL
    SELECT o.customer_id, 'opted_in', 'web_events', w.event_id, w."timestamp"
    FROM raw.web_events w
    JOIN owner o ON o.source_table = 'web_events' AND o.source_record_id = w.event_id
    WHERE w.event_type = 'form_submit' AND list_contains($subscription_forms, w.form_id)
)
SELECT customer_id,
       CASE WHEN choice = 'opted_in' THEN 'opted_in' ELSE 'opted_out' END AS consent_status,
       choice AS consent_choice, source_table AS consent_source_table,
       source_record_id AS consent_source_record_id, chosen_at AS consent_changed_at,
       choice <> 'opted_in' AS is_suppressed
FROM choices
QUALIFY row_number() OVER (
    PARTITION BY customer_id
    ORDER BY chosen_at DESC NULLS LAST, choice = 'opted_in', source_table, source_record_id
) = 1
"""


def consent_by_customer(
    conn: duckdb.DuckDBPyConnection, subscription_forms: Sequence[str]
) -> pl.DataFrame:
    """Each customer's latest explicit choice; customers who never chose are absent.

    Simultaneous choices resolve to the opt-out, the safe side.
    """
    return conn.sql(_CHOICES_SQL, params={"subscription_forms": list(subscription_forms)}).pl()

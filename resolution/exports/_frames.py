"""The account-context frames, built once from the warehouse, then cut per audience.

Everything is read from the profile and activation tables, which already leave erased
people out; raw.support_tickets is reached only through ``profile.activity``, so a
ticket of an erased person (still in raw) is never joined to anyone.
"""

from __future__ import annotations

import duckdb
import polars as pl

from resolution.exports._policy import AudiencePolicy
from resolution.profile import LIFECYCLE_STAGES, OPEN_TICKET_STATUSES

RECENT_TICKETS = 5
"""Tickets listed as recent, newest first, whatever their status."""
LAST_INTERACTIONS = 10
"""Interactions listed across channels, newest first: enough to open a call with."""

_ACCOUNT_STAGE_RANK = [stage for stage in LIFECYCLE_STAGES if stage != "churned"]
_ACCOUNT_STAGE_RANK.insert(_ACCOUNT_STAGE_RANK.index("customer"), "churned")
"""An account is at its most advanced contact's stage, where any current customer counts
for more than a churned one: one churned contact does not make a paying account churned."""

_TICKETS = """
tickets AS (
    SELECT a.customer_id,
           {ticket_id: t.ticket_id, created_at: t.created_at, status: t.status,
            priority: t.priority, subject: t.subject, solved_at: t.solved_at} AS ticket,
           t.created_at, t.status IN $open_statuses AS is_open
    FROM profile.activity a
    JOIN raw.support_tickets t ON t.ticket_id = a.source_record_id
    WHERE a.source_table = 'support_tickets'
)"""

_INTERACTION = (
    "{occurred_at: occurred_at, channel: channel, kind: kind, detail: detail, topic: topic}"
)
_INTERACTION_ORDER = "occurred_at DESC NULLS LAST, source_table, source_record_id"
_PRODUCT = "{product: product, status: status, start_date: start_date, end_date: end_date}"
_PRODUCT_ORDER = "is_active DESC, start_date DESC, subscription_id"

_CONTACTS_SQL = f"""
WITH {_TICKETS},
ticket_lists AS (
    SELECT customer_id,
           list(ticket ORDER BY created_at DESC) FILTER (WHERE is_open) AS open_tickets,
           list(ticket ORDER BY created_at DESC)[1:$recent_tickets] AS recent_tickets
    FROM tickets GROUP BY customer_id
),
interactions AS (
    SELECT customer_id,
           list({_INTERACTION} ORDER BY {_INTERACTION_ORDER})[1:$interactions]
               AS last_interactions
    FROM profile.activity GROUP BY customer_id
),
products AS (
    SELECT customer_id, list({_PRODUCT} ORDER BY {_PRODUCT_ORDER}) AS products
    FROM profile.customer_products GROUP BY customer_id
),
history AS (
    SELECT customer_id,
           list({{stage: stage, entered_at: entered_at}} ORDER BY entered_at NULLS FIRST)
               AS lifecycle_history
    FROM profile.lifecycle_history GROUP BY customer_id
),
reasons AS (
    SELECT customer_id, list(DISTINCT reason ORDER BY reason) AS suppression_reasons
    FROM activation.suppressions WHERE customer_id IS NOT NULL GROUP BY customer_id
),
known AS (
    SELECT customer_id, list(field ORDER BY field) FILTER (WHERE known AND fresh) AS do_not_ask
    FROM activation.known_fields GROUP BY customer_id
)
SELECT p.customer_id, p.first_name, p.last_name, p.email, p.phone,
       nullif(concat_ws(', ', p.street, p.city, p.postcode), '') AS postal_address,
       p.country, p.company, p.job_title, p.birth_date,
       p.lifecycle_stage, p.lifecycle_stage_entered_at,
       coalesce(h.lifecycle_history, []) AS lifecycle_history,
       p.account_id, p.account_name, p.account_owner_name, p.account_owner_email,
       coalesce(pr.products, []) AS products,
       coalesce(t.open_tickets, []) AS open_tickets,
       coalesce(t.recent_tickets, []) AS recent_tickets,
       coalesce(i.last_interactions, []) AS last_interactions,
       p.consent_status, p.consent_choice, p.consent_changed_at, p.is_suppressed,
       coalesce(r.suppression_reasons, []) AS suppression_reasons,
       coalesce(k.do_not_ask, []) AS do_not_ask
FROM profile.customer_profile p
LEFT JOIN history h USING (customer_id)
LEFT JOIN products pr USING (customer_id)
LEFT JOIN ticket_lists t USING (customer_id)
LEFT JOIN interactions i USING (customer_id)
LEFT JOIN reasons r USING (customer_id)
LEFT JOIN known k USING (customer_id)
ORDER BY p.customer_id
"""

_ACCOUNTS_SQL = f"""
WITH {_TICKETS},
members AS (
    SELECT customer_id, account_id, lifecycle_stage
    FROM profile.customer_profile WHERE account_id IS NOT NULL
),
stages AS (
    SELECT account_id,
           arg_max(lifecycle_stage, list_position($stage_rank, lifecycle_stage))
               AS lifecycle_stage
    FROM members GROUP BY account_id
),
products AS (
    SELECT account_id, list({_PRODUCT} ORDER BY {_PRODUCT_ORDER}) AS products
    FROM (
        SELECT DISTINCT subscription_id, account_id, product, status, start_date, end_date,
               is_active
        FROM profile.customer_products
    )
    GROUP BY account_id
),
ticket_lists AS (
    SELECT m.account_id,
           list(t.ticket ORDER BY t.created_at DESC) FILTER (WHERE t.is_open) AS open_tickets,
           list(t.ticket ORDER BY t.created_at DESC)[1:$recent_tickets] AS recent_tickets
    FROM tickets t JOIN members m USING (customer_id) GROUP BY m.account_id
),
interactions AS (
    SELECT m.account_id,
           list({_INTERACTION} ORDER BY {_INTERACTION_ORDER})[1:$interactions]
               AS last_interactions
    FROM profile.activity JOIN members m USING (customer_id) GROUP BY m.account_id
)
SELECT a.account_id, a.name, a.domain, a.industry, a.employee_count, a.billing_country,
       a.owner_name, a.owner_email, s.lifecycle_stage, a.contact_customer_ids,
       coalesce(pr.products, []) AS products,
       coalesce(t.open_tickets, []) AS open_tickets,
       coalesce(t.recent_tickets, []) AS recent_tickets,
       coalesce(i.last_interactions, []) AS last_interactions
FROM profile.account a
LEFT JOIN stages s USING (account_id)
LEFT JOIN products pr USING (account_id)
LEFT JOIN ticket_lists t USING (account_id)
LEFT JOIN interactions i USING (account_id)
ORDER BY a.account_id
"""


def context_frames(conn: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """Every export kind with every field: ``contacts``, ``accounts``, ``feed`` and
    ``form_prefill``."""
    params = {
        "open_statuses": list(OPEN_TICKET_STATUSES),
        "recent_tickets": RECENT_TICKETS,
        "interactions": LAST_INTERACTIONS,
    }
    return {
        "contacts": conn.sql(_CONTACTS_SQL, params=params).pl(),
        "accounts": conn.sql(
            _ACCOUNTS_SQL, params={**params, "stage_rank": _ACCOUNT_STAGE_RANK}
        ).pl(),
        "feed": conn.sql("SELECT * FROM activation.personalization_feed ORDER BY customer_id").pl(),
        "form_prefill": conn.sql(
            "SELECT * FROM activation.form_prefill ORDER BY form_id, customer_id, form_field"
        ).pl(),
    }


def audience_frames(
    frames: dict[str, pl.DataFrame], policy: AudiencePolicy
) -> dict[str, pl.DataFrame]:
    """The kinds this audience gets, each cut to its allowed fields in the listed order.

    ``do_not_ask`` keeps only fields the audience may hold: an audience not allowed a
    field must not collect it either, so telling it the field is known would only leak
    that the profile holds it.
    """
    cut: dict[str, pl.DataFrame] = {}
    for kind, frame in frames.items():
        allowed = list(policy.allowed(kind))
        if not allowed:
            continue
        selected = frame.select(allowed)
        if "do_not_ask" in allowed:
            selected = selected.with_columns(
                pl.col("do_not_ask").list.eval(pl.element().filter(pl.element().is_in(allowed)))
            )
        cut[kind] = selected
    return cut

"""Who a person works for, who owns that account, and what they have bought.

The CRM's own contact-to-account link comes first. Where the CRM is silent, a work email
domain that matches an account's domain attributes the person to it; free-mail domains
(gmail.com, yahoo.co.uk, ...) never do, or every Gmail user would join one account.
Products are the subscriptions held by the person's CRM contacts, plus account-wide
subscriptions (no contact) of the account the CRM puts them in.
"""

from __future__ import annotations

import duckdb
import polars as pl

from resolution.profile._lifecycle import ACTIVE_SUBSCRIPTION_STATUSES

_CUSTOMER_ACCOUNT_SQL = """
WITH crm AS (
    SELECT m.customer_id, c.account_id, coalesce(c.updated_at, c.created_at) AS seen_at,
           'crm_contact' AS account_rule, 1 AS priority
    FROM raw.crm_contacts c
    JOIN identity.source_identity_map m
      ON m.source_table = 'crm_contacts' AND m.source_record_id = c.contact_id
    JOIN raw.crm_accounts a USING (account_id)
    WHERE m.customer_id IS NOT NULL
),
domain AS (
    SELECT m.customer_id, a.account_id, r.observed_at AS seen_at,
           'work_email_domain' AS account_rule, 2 AS priority
    FROM identity.identity_records r
    JOIN identity.identity_map m USING (record_key)
    JOIN raw.crm_accounts a ON lower(a.domain) = r.email_domain
    WHERE NOT r.email_is_freemail AND r.email_domain IS NOT NULL
),
votes AS (
    SELECT customer_id, account_id, account_rule, priority, count(*) AS records,
           max(seen_at) AS latest
    FROM (SELECT * FROM crm UNION ALL SELECT * FROM domain)
    GROUP BY ALL
)
SELECT customer_id, account_id, account_rule FROM votes
QUALIFY row_number() OVER (
    PARTITION BY customer_id ORDER BY priority, records DESC, latest DESC NULLS LAST, account_id
) = 1
"""

_CUSTOMER_PRODUCTS_SQL = """
WITH contact_customer AS (
    SELECT c.contact_id, c.account_id, m.customer_id
    FROM raw.crm_contacts c
    JOIN identity.source_identity_map m
      ON m.source_table = 'crm_contacts' AND m.source_record_id = c.contact_id
    WHERE m.customer_id IS NOT NULL
)
SELECT DISTINCT cc.customer_id, s.subscription_id, s.account_id, s.product, s.status,
       s.start_date, s.end_date, s.amount, s.currency, 'contact' AS held_by
FROM raw.crm_subscriptions s JOIN contact_customer cc ON cc.contact_id = s.contact_id
UNION
SELECT DISTINCT cc.customer_id, s.subscription_id, s.account_id, s.product, s.status,
       s.start_date, s.end_date, s.amount, s.currency, 'account' AS held_by
FROM raw.crm_subscriptions s
JOIN contact_customer cc ON cc.account_id = s.account_id AND s.contact_id IS NULL
"""


def customer_accounts(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """customer_id, account_id and the rule that attributed it (crm_contact or domain)."""
    return conn.sql(_CUSTOMER_ACCOUNT_SQL).pl()


def customer_products(conn: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every subscription a customer holds, personally or through their CRM account."""
    return (
        conn.sql(_CUSTOMER_PRODUCTS_SQL)
        .pl()
        .with_columns(pl.col("status").is_in(ACTIVE_SUBSCRIPTION_STATUSES).alias("is_active"))
    )

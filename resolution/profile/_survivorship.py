"""Choose each profile field's value from the candidates, and say why.

Rules come from ``SurvivorshipPolicy`` and are applied in the order a field lists them;
the first rule that tells the winning value from the runner-up is recorded as the rule
that chose it. Values are compared in their standardised form, so ``Bob``/``Robert`` or
two spellings of one phone count as agreement, not as a conflict. Ties that no rule breaks
fall to the smallest standardised value and record key, so a re-run chooses the same.
"""

from __future__ import annotations

import duckdb
import polars as pl

from resolution.profile._policy import PROFILE_FIELDS, SurvivorshipPolicy

_RULE_ORDER = {
    "valid": "valid DESC",
    "trust": "trust_rank ASC",
    "recent": "observed_at DESC NULLS LAST",
    "agreement": "agreeing DESC",
}
_RULE_KEY = {
    "valid": "valid",
    "trust": "trust_rank",
    "recent": "observed_at",
    "agreement": "agreeing",
}


def choose_field_values(
    conn: duckdb.DuckDBPyConnection, observations: pl.DataFrame, policy: SurvivorshipPolicy
) -> pl.DataFrame:
    """One row per customer and field: the surviving value with its lineage.

    Most customers have one record per field, and a lone value needs no rules: only the
    contested (customer, field) pairs go through the ranking.

    Columns: customer_id, field, value, match_value, record_key, source_system,
    source_table, source_record_id, observed_at, rule, agreeing_records,
    disagreeing_records, candidate_values.
    """
    trust = pl.DataFrame(
        [
            {"field": name, "source_system": source, "trust_rank": rank}
            for name in PROFILE_FIELDS
            for rank, source in enumerate(policy.trust_order_for(name), start=1)
        ],
        schema={"field": pl.String, "source_system": pl.String, "trust_rank": pl.Int32},
    )
    counted = observations.with_columns(pl.len().over("customer_id", "field").alias("observations"))
    single = counted.filter(pl.col("observations") == 1)
    conn.register("_c360_observations", counted.filter(pl.col("observations") > 1))
    conn.register("_c360_trust", trust)
    try:
        contested = conn.sql(
            " UNION ALL ".join(_field_sql(name, policy.rules_for(name)) for name in PROFILE_FIELDS)
        ).pl()
    finally:
        conn.unregister("_c360_observations")
        conn.unregister("_c360_trust")
    return pl.concat(
        [
            single.select(
                *contested.columns[:9],
                pl.lit("only_value").alias("rule"),
                pl.lit(1, dtype=pl.Int64).alias("agreeing_records"),
                pl.lit(0, dtype=pl.Int64).alias("disagreeing_records"),
                pl.lit(1, dtype=pl.Int64).alias("candidate_values"),
            ),
            contested,
        ]
    )


def with_source_agreement(choices: pl.DataFrame, observations: pl.DataFrame) -> pl.DataFrame:
    """Add how many source systems hold the chosen value, and how many hold another one.

    Records can repeat one source (five support tickets); the business question is whether
    the CRM, the email platform and the web agree, so sources are counted once each. A
    source holding both the chosen and another value counts on both sides.
    """
    winners = choices.select("customer_id", "field", pl.col("match_value").alias("chosen"))
    sides = (
        observations.join(winners, on=["customer_id", "field"])
        .with_columns((pl.col("match_value") == pl.col("chosen")).alias("agrees"))
        .group_by("customer_id", "field")
        .agg(
            pl.col("source_system").filter("agrees").n_unique().alias("agreeing_sources"),
            pl.col("source_system")
            .filter(~pl.col("agrees"))
            .n_unique()
            .alias("disagreeing_sources"),
        )
    )
    return choices.join(sides, on=["customer_id", "field"], how="left")


def _field_sql(field_name: str, rules: tuple[str, ...] | list[str]) -> str:
    """The survivorship query for one field; rule names are validated by the policy."""
    order = ", ".join(_RULE_ORDER[rule] for rule in rules)
    deciding = " ".join(
        f"WHEN w.{_RULE_KEY[rule]} IS DISTINCT FROM r.{_RULE_KEY[rule]} THEN '{rule}'"
        for rule in rules
    )
    return f"""
    (WITH candidates AS (
        SELECT o.*, t.trust_rank,
               count(*) OVER (PARTITION BY customer_id, match_value) AS agreeing
        FROM _c360_observations o JOIN _c360_trust t USING (field, source_system)
        WHERE o.field = '{field_name}'
    ),
    per_value AS (
        SELECT * FROM candidates
        QUALIFY row_number() OVER (
            PARTITION BY customer_id, match_value
            ORDER BY {order}, valid DESC, trust_rank, observed_at DESC NULLS LAST, record_key
        ) = 1
    ),
    ranked AS (
        SELECT *,
               row_number() OVER (
                   PARTITION BY customer_id ORDER BY {order}, match_value, record_key
               ) AS position,
               count(*) OVER (PARTITION BY customer_id) AS candidate_values
        FROM per_value
    )
    SELECT w.customer_id, w.field, w.value, w.match_value, w.record_key, w.source_system,
           w.source_table, w.source_record_id, w.observed_at,
           CASE WHEN r.customer_id IS NULL THEN 'only_value' {deciding} ELSE 'tie_break' END
               AS rule,
           w.agreeing AS agreeing_records, w.observations - w.agreeing AS disagreeing_records,
           w.candidate_values
    FROM ranked w LEFT JOIN ranked r ON r.customer_id = w.customer_id AND r.position = 2
    WHERE w.position = 1)
    """

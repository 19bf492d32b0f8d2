"""Why two records were, or were not, given one customer id; and a customer's evidence.

An engineer asked "why is this person merged with that one?" gets the answer the run used:
the deterministic rule that fired, Splink's match weight field by field (its waterfall),
the guard that refused a link, and the chain of links that joined two records indirectly.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from resolution.identity._links import mask_shared_identifiers
from resolution.identity._splink_model import (
    MODEL_PATH,
    database_api,
    linker_for,
    splink_input,
    term_frequencies,
    use_term_frequencies,
)


@dataclass(frozen=True)
class FieldWeight:
    """One comparison's verdict on a pair: the level reached and the weight it adds."""

    field: str
    level: str
    match_weight: float


@dataclass(frozen=True)
class PairExplanation:
    """Everything the run knew about one pair of records."""

    left: dict[str, object]
    right: dict[str, object]
    customer_ids: tuple[str | None, str | None]
    deterministic_rules: list[str]
    match_weight: float
    match_probability: float
    field_weights: list[FieldWeight]
    refused_because: str | None
    path: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def same_customer(self) -> bool:
        return self.customer_ids[0] is not None and self.customer_ids[0] == self.customer_ids[1]


def explain_pair(
    records: pl.DataFrame,
    links: pl.DataFrame,
    refused_links: pl.DataFrame,
    identity_map: pl.DataFrame,
    keys: tuple[str, str],
    *,
    model_path: Path = MODEL_PATH,
    waterfall_html: Path | None = None,
) -> PairExplanation:
    """Explain the pair ``keys`` from a run's stored records, links and identity map."""
    missing = [k for k in keys if records.filter(pl.col("record_key") == k).is_empty()]
    if missing:
        raise KeyError(
            f"unknown record key(s) {missing}; keys look like 'crm_contacts:CON-0000001'"
        )
    ids = dict(identity_map.filter(pl.col("record_key").is_in(list(keys))).rows())
    direct = links.filter(_pair_filter(keys))
    refused = refused_links.filter(_pair_filter(keys))
    scored = _score(records, keys, model_path, waterfall_html)
    return PairExplanation(
        left=_fields(records, keys[0]),
        right=_fields(records, keys[1]),
        customer_ids=(ids.get(keys[0]), ids.get(keys[1])),
        deterministic_rules=sorted(set(direct.filter(pl.col("rule") != "splink")["rule"])),
        match_weight=scored["match_weight"],
        match_probability=scored["match_probability"],
        field_weights=scored["fields"],
        refused_because=refused["refused_because"][0] if refused.height else None,
        path=_path(links, refused_links, identity_map, keys)
        if ids.get(keys[0]) == ids.get(keys[1])
        else [],
    )


def _pair_filter(keys: tuple[str, str]) -> pl.Expr:
    a, b = keys
    return ((pl.col("record_key_l") == a) & (pl.col("record_key_r") == b)) | (
        (pl.col("record_key_l") == b) & (pl.col("record_key_r") == a)
    )


def _fields(records: pl.DataFrame, key: str) -> dict[str, object]:
    row = records.filter(pl.col("record_key") == key).row(0, named=True)
    return {name: value for name, value in row.items() if value is not None}


def _score(
    records: pl.DataFrame, keys: tuple[str, str], model_path: Path, waterfall_html: Path | None
) -> dict:
    """Splink's score of the pair, with the model and name frequencies the run used."""
    masked = mask_shared_identifiers(records)
    pair = [masked.filter(pl.col("record_key") == key) for key in keys]
    if any(part.is_empty() for part in pair):
        return {"match_weight": float("-inf"), "match_probability": 0.0, "fields": []}
    with database_api() as db_api:
        # Only the pair is registered; name frequencies still come from the whole run.
        linker = linker_for(
            db_api, pl.concat(pair), model_path, explainable=True, population=masked.height
        )
        use_term_frequencies(linker, db_api, term_frequencies(masked, model_path))
        left, right = (
            db_api.register(splink_input(part), table_name=f"explain_{side}")
            for side, part in zip(("left", "right"), pair, strict=True)
        )
        result = linker.inference.score_pair(left, right).as_record_list()[0]
        if waterfall_html is not None:
            chart = linker.visualisations.waterfall_chart([result], filter_nulls=False)
            chart.save(str(waterfall_html), inline=True)
    labels = _level_labels(model_path)
    fields = []
    for name, levels in labels.items():
        if f"mw_{name}" not in result:
            continue
        level = levels.get(int(result[f"gamma_{name}"]), "?")
        fields.append(FieldWeight(name, level, float(result[f"mw_{name}"])))
        adjustment = result.get(f"mw_tf_adj_{name}")
        if adjustment:
            fields.append(FieldWeight(name, "term-frequency adjustment", float(adjustment)))
    return {
        "match_weight": float(result["match_weight"]),
        "match_probability": float(result["match_probability"]),
        "fields": fields,
    }


def _level_labels(model_path: Path) -> dict[str, dict[int, str]]:
    """Comparison -> gamma value -> level label, as Splink numbers levels (null = -1)."""
    model = json.loads(model_path.read_text())
    labels: dict[str, dict[int, str]] = {}
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        non_null = [level for level in levels if not level.get("is_null_level")]
        names = {-1: "missing on one side"}
        for position, level in enumerate(non_null):
            names[len(non_null) - 1 - position] = level.get(
                "label_for_charts", level["sql_condition"]
            )
        labels[comparison["output_column_name"]] = names
    return labels


def _path(
    links: pl.DataFrame,
    refused_links: pl.DataFrame,
    identity_map: pl.DataFrame,
    keys: tuple[str, str],
) -> list[tuple[str, str, str]]:
    """The shortest chain of accepted links joining two records of one customer."""
    customer = dict(identity_map.rows()).get(keys[0])
    members = identity_map.filter(pl.col("customer_id") == customer)["record_key"]
    accepted = links.join(
        refused_links.select("record_key_l", "record_key_r"),
        on=["record_key_l", "record_key_r"],
        how="anti",
    ).filter(
        pl.col("record_key_l").is_in(members.implode())
        & pl.col("record_key_r").is_in(members.implode())
    )
    neighbours: dict[str, list[tuple[str, str]]] = {}
    for left, right, rule in accepted.select("record_key_l", "record_key_r", "rule").iter_rows():
        neighbours.setdefault(left, []).append((right, rule))
        neighbours.setdefault(right, []).append((left, rule))
    previous: dict[str, tuple[str, str]] = {}
    queue, seen = deque([keys[0]]), {keys[0]}
    while queue:
        node = queue.popleft()
        if node == keys[1]:
            break
        for other, rule in neighbours.get(node, []):
            if other not in seen:
                seen.add(other)
                previous[other] = (node, rule)
                queue.append(other)
    chain, node = [], keys[1]
    while node in previous:
        before, rule = previous[node]
        chain.append((before, node, rule))
        node = before
    return list(reversed(chain))


def write_cluster_studio(
    records: pl.DataFrame,
    identity_map: pl.DataFrame,
    customer_id: str,
    out_html: Path,
    *,
    model_path: Path = MODEL_PATH,
) -> Path:
    """Splink's cluster studio for one customer: its records and every scored pair among them."""
    members = identity_map.filter(pl.col("customer_id") == customer_id)
    if members.is_empty():
        raise KeyError(f"unknown customer id {customer_id!r}")
    masked = mask_shared_identifiers(records)
    with database_api() as db_api:
        customer_records = masked.join(members, on="record_key").pipe(splink_input)
        pair_linker = linker_for(
            db_api,
            customer_records,
            model_path,
            table_name="customer_records",
            explainable=True,
            population=masked.height,
        )
        use_term_frequencies(pair_linker, db_api, term_frequencies(masked, model_path))
        predictions = pair_linker.inference.predict()
        clustered = db_api.register(
            customer_records.with_columns(pl.lit(customer_id).alias("cluster_id")),
            table_name="customer_cluster",
        )
        pair_linker.visualisations.cluster_studio_dashboard(
            predictions, clustered, str(out_html), cluster_ids=[customer_id], overwrite=True
        )
    return out_html

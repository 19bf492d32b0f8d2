"""Write the resolution quality report: is identity resolution doing its job, and is it
doing it better or worse than last time?

One page answers the questions an engineer asks after a run: what the model believes
(Splink's match weights and m/u parameters), where the threshold cuts the scored pairs,
which customers to check first (the largest, the weakest merges, the merges the guard
refused; each opens in Splink's cluster studio), how complete and clean each source is, and
how the headline numbers moved across runs.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from resolution.identity import (
    IDENTITY_SCHEMA,
    MODEL_PATH,
    IdentitySources,
    read_identity_sources_table,
    score_against_ground_truth,
)
from resolution.identity._explain import write_cluster_studio
from resolution.quality._charts import (
    history_spec,
    model_charts,
    probability_histogram_spec,
)
from resolution.quality._page import (
    Chart,
    ReportAudit,
    Section,
    Table,
    audit_report,
    render_page,
    share,
)
from resolution.quality._tables import (
    HISTORY_COLUMNS,
    HISTORY_TABLE,
    REDUNDANT_REQUESTS_COLUMNS,
    append_history,
    customer_profiles,
    field_completeness,
    headline,
    largest_customers,
    probability_histogram,
    quarantine_counts,
    read_history,
    redundant_requests,
    refused_merges,
    weakest_merges,
)

REPORT_FILE = "resolution_quality.html"
STUDIO_FOLDER = "resolution_quality_clusters"
"""Cluster-studio pages the report links to, beside it; replaced on every run."""
DEFAULT_CUSTOMERS_LISTED = 5
"""Customers per table: each gets a cluster-studio page, which costs a small Splink run."""


@dataclass(frozen=True)
class QualityReport:
    """Where the report went, the numbers it led with (and the history it charted, this run
    included), and what was checked on the page."""

    path: Path
    headline: dict[str, float | None]
    studio_pages: dict[str, Path]
    history: pl.DataFrame
    history_rows_before: int
    history_rows_after: int
    audit: ReportAudit


def write_quality_report(
    conn: duckdb.DuckDBPyConnection,
    reports_dir: Path,
    *,
    match_threshold: float,
    ground_truth_dir: Path | None,
    run_at: datetime,
    customers_listed: int = DEFAULT_CUSTOMERS_LISTED,
    model_path: Path = MODEL_PATH,
) -> QualityReport:
    """Write ``reports_dir/resolution_quality.html`` and its cluster-studio pages, and append
    this run's headline numbers to reports.resolution_quality_history.

    The page is written before the history row is appended, so a page that failed to render
    never leaves a row behind; the page's trend already includes this run.
    """
    sources = read_identity_sources_table(conn)
    identity_map = conn.sql(
        f"SELECT record_key, customer_id FROM {IDENTITY_SCHEMA}.identity_map"
    ).pl()
    numbers = headline(conn).as_dict()
    numbers |= _pairwise_scores(conn, sources, identity_map, ground_truth_dir)
    row = pl.DataFrame([{"run_at": run_at, **numbers}], schema=HISTORY_COLUMNS)
    history = pl.concat([read_history(conn), row])

    customer_tables = _customer_tables(conn, customers_listed)
    listed = sorted({cid for frame in customer_tables for cid in frame["customer_id"]})
    studio_dir = reports_dir / STUDIO_FOLDER
    shutil.rmtree(studio_dir, ignore_errors=True)
    studio_dir.mkdir(parents=True)
    studio_pages = {
        cid: write_cluster_studio(
            sources.records, identity_map, cid, studio_dir / f"{cid}.html", model_path=model_path
        )
        for cid in listed
    }
    links = {cid: f"{STUDIO_FOLDER}/{page.name}" for cid, page in studio_pages.items()}

    sections = [
        _model_section(sources.records, model_path),
        _threshold_section(conn, match_threshold),
        _customers_section(customer_tables, links),
        _scorecard_section(conn, sources.records, model_path),
        _trend_section(history),
    ]
    page = render_page(
        "Resolution quality report", run_at, _cards(numbers, match_threshold), sections
    )
    path = reports_dir / REPORT_FILE
    partial = path.with_suffix(".html.partial")
    partial.write_text(page, encoding="utf-8")
    os.replace(partial, path)
    before, after = append_history(conn, row)
    return QualityReport(
        path=path,
        headline=numbers,
        studio_pages=studio_pages,
        history=history,
        history_rows_before=before,
        history_rows_after=after,
        audit=audit_report(path),
    )


def _pairwise_scores(
    conn: duckdb.DuckDBPyConnection,
    sources: IdentitySources,
    identity_map: pl.DataFrame,
    ground_truth_dir: Path | None,
) -> dict[str, float | None]:
    """Pairwise precision and recall against the answer key, when there is one."""
    if ground_truth_dir is None:
        return {"pairwise_precision": None, "pairwise_recall": None}
    links = conn.sql(f"SELECT * FROM {IDENTITY_SCHEMA}.record_links").pl()
    scores = score_against_ground_truth(
        sources.records, links, identity_map, sources.membership, ground_truth_dir
    )
    return {
        "pairwise_precision": scores.pairwise_precision,
        "pairwise_recall": scores.pairwise_recall,
    }


def _customer_tables(conn: duckdb.DuckDBPyConnection, limit: int) -> list[pl.DataFrame]:
    """Largest customers, weakest merges and refused merges, each with who the customer is."""
    ranked = [
        largest_customers(conn, limit),
        weakest_merges(conn, limit),
        refused_merges(conn, limit),
    ]
    ids = sorted({cid for frame in ranked for cid in frame["customer_id"]})
    profiles = customer_profiles(conn, ids)
    return [
        frame.drop("records", strict=False)
        .join(profiles, on="customer_id", how="left", maintain_order="left")
        .select("customer_id", "name", "records", "sources", pl.exclude(profiles.columns))
        for frame in ranked
    ]


def _cards(numbers: dict[str, float | None], threshold: float) -> dict[str, str]:
    return {
        "records": f"{numbers['records']:,}",
        "customers": f"{numbers['customers']:,}",
        "records in a multi-record customer": share(numbers["match_rate"]),
        "records in the largest customer": f"{numbers['largest_customer_records']:,}",
        "quarantined source rows": f"{numbers['quarantined_rows']:,}",
        "pairwise precision": share(numbers["pairwise_precision"]),
        "pairwise recall": share(numbers["pairwise_recall"]),
        "match threshold": f"{threshold:g}",
    }


def _model_section(records: pl.DataFrame, model_path: Path) -> Section:
    charts = model_charts(records, model_path)
    return Section(
        title="The model in use",
        intro=f"Splink model {model_path.name}: what each comparison level adds to or takes "
        "from a pair's match weight, and the m and u probabilities behind it.",
        charts=[
            Chart(
                "match-weights",
                charts["match-weights"],
                "Match weight of each comparison level (positive: evidence for a match).",
            ),
            Chart(
                "m-u-parameters",
                charts["m-u-parameters"],
                "m: share of true matches at the level; u: share of non-matches at the level.",
            ),
        ],
    )


def _threshold_section(conn: duckdb.DuckDBPyConnection, threshold: float) -> Section:
    return Section(
        title="Where the threshold cuts",
        intro="Every pair Splink scored (identity.candidate_pairs) by match probability; "
        "pairs at or above the threshold are linked, unless the clustering guard refuses them.",
        charts=[
            Chart(
                "match-probability",
                probability_histogram_spec(probability_histogram(conn, threshold), threshold),
                f"The dashed line is the match threshold ({threshold:g}). Counts on a "
                "symmetric-log scale.",
            )
        ],
    )


def _customers_section(tables: list[pl.DataFrame], links: dict[str, str]) -> Section:
    largest, weakest, refused = tables
    probability = {
        "weakest_link_probability": _probability,
        "strongest_refused_probability": _probability,
    }
    return Section(
        title="Customers to check first",
        intro="Each customer id opens Splink's cluster studio for that customer: its records "
        "and every pair among them, scored by the model.",
        tables=[
            Table(
                "Largest customers",
                largest,
                "Most records in one customer: an over-merge through a shared identifier "
                "shows here first.",
                links,
            ),
            Table(
                "Weakest merges",
                weakest,
                "Customers whose weakest accepted link has the lowest match weight: one weak "
                "link is enough to join two people.",
                links,
                probability,
            ),
            Table(
                "Refused merges",
                refused,
                "Customers on either side of the strongest links the clustering guard refused "
                "(two birth dates, incompatible given names, a man's and a woman's "
                "look-alike names, contacts the CRM marks as different people): twins, "
                "households and namesakes, or one "
                "person split by a typo.",
                links,
                probability,
            ),
        ],
    )


def _scorecard_section(
    conn: duckdb.DuckDBPyConnection, records: pl.DataFrame, model_path: Path
) -> Section:
    fields = [
        comparison["output_column_name"]
        for comparison in json.loads(model_path.read_text())["comparisons"]
    ]
    completeness = field_completeness(records, fields)
    redundant = redundant_requests(conn)
    tables = [
        Table(
            "Identity field completeness",
            completeness,
            "Share of each source system's identity records with a usable value in each field "
            "the model compares (placeholders and invalid values already removed).",
            formats=dict.fromkeys(fields, share),
        ),
        Table(
            "Quarantine by reason",
            quarantine_counts(conn),
            "Entries in raw.quarantine per source table, field and failed check; a rejected "
            "row that broke several rules has one entry per rule.",
        ),
    ]
    notes = []
    if isinstance(redundant, str):
        notes.append(
            f"Redundant requests: {redundant} When it is, this report counts its rows by "
            f"{' and '.join(REDUNDANT_REQUESTS_COLUMNS)}."
        )
    else:
        tables.append(
            Table(
                "Redundant requests",
                redundant,
                "Requests for a detail the customer had already given, by source and field "
                "(activation.redundant_requests).",
            )
        )
    return Section(title="Data-quality scorecard", tables=tables, notes=notes)


def _trend_section(history: pl.DataFrame) -> Section:
    rates = {name: share for name in ("match_rate", "pairwise_precision", "pairwise_recall")}
    return Section(
        title="Trend across runs",
        intro=f"Each report appends its headline numbers to {HISTORY_TABLE}.",
        charts=[
            Chart(
                "history",
                history_spec(history),
                "One line per headline number; precision and recall only where ground truth "
                "exists.",
            )
        ],
        tables=[
            Table(
                "Report runs",
                history.sort("run_at", descending=True),
                "Newest first.",
                formats=rates,
            )
        ],
    )


def _probability(value: float | None) -> str:
    return "-" if value is None else f"{value:.6f}"

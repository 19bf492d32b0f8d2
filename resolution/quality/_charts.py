"""Vega-Lite specs for the report's charts, and the JavaScript that draws them offline.

The report is opened from disk, on machines that may have no internet access, so nothing
may come from a CDN: the Vega, Vega-Lite and vega-embed libraries are inlined once per page
and each chart is a plain Vega-Lite spec. Splink's own charts (match weights, m and u) are
taken as Splink builds them, from the model the identity assets use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
from splink.internals.html_utils import load_chart_libraries

from resolution.identity import MODEL_PATH
from resolution.identity._splink_model import database_api, linker_for
from schemas.reports import ResolutionQualityHistory

ChartSpec = dict[str, Any]

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
"""Identifies the spec's grammar to vega-embed; it is a name, never fetched."""
LIBRARY_ORDER = ("vega", "vega-lite", "vega-embed")
"""Each library needs the ones before it on the page."""
THRESHOLD_COLOUR = "#d62728"
HISTORY_METRICS = [
    name for name in ResolutionQualityHistory.to_schema().columns if name != "run_at"
]
"""Every number the history keeps, charted in the order the table stores them."""


def chart_libraries() -> list[str]:
    """Vega, Vega-Lite and vega-embed sources, in load order, as Splink packages them.

    Splink ships these for its own offline charts (``chart.save(path, inline=True)``) and
    writes its chart specs for exactly these versions, so the report reuses them rather than
    carrying a second copy. They sit in ``splink.internals``, which is not public API: the
    report tests compare the page with these sources and fail if a Splink release moves them.
    """
    libraries = load_chart_libraries()
    return [libraries[name] for name in LIBRARY_ORDER]


def model_charts(records: pl.DataFrame, model_path: Path = MODEL_PATH) -> dict[str, ChartSpec]:
    """Splink's match-weights and m/u parameter charts for the model at ``model_path``."""
    with database_api() as db_api:
        linker = linker_for(db_api, records, model_path)
        return {
            "match-weights": linker.visualisations.match_weights_chart().chart_dict,
            "m-u-parameters": linker.visualisations.m_u_parameters_chart().chart_dict,
        }


def probability_histogram_spec(bins: pl.DataFrame, threshold: float) -> ChartSpec:
    """Candidate pairs by match probability, coloured by decision, the threshold drawn in.

    Counts use a symmetric-log scale: the linked pairs pile up just below 1 and would
    otherwise flatten the near misses an engineer tunes the threshold against.
    """
    marker = {"threshold": threshold, "label": f"match threshold {threshold:g}"}
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": "Scored candidate pairs by match probability",
        "width": 640,
        "height": 260,
        "layer": [
            {
                "data": {"values": bins.to_dicts()},
                "mark": {"type": "bar", "tooltip": True},
                "encoding": {
                    "x": {
                        "field": "bin_start",
                        "type": "quantitative",
                        "bin": {"binned": True},
                        "title": "match probability",
                    },
                    "x2": {"field": "bin_end"},
                    "y": {
                        "field": "pairs",
                        "type": "quantitative",
                        "scale": {"type": "symlog"},
                        "stack": None,
                        "title": "candidate pairs",
                    },
                    "color": {
                        "field": "decision",
                        "type": "nominal",
                        "title": None,
                        "legend": {"orient": "top", "labelLimit": 0},
                    },
                },
            },
            {
                "data": {"values": [marker]},
                "encoding": {"x": {"field": "threshold", "type": "quantitative"}},
                "layer": [
                    {
                        "mark": {
                            "type": "rule",
                            "color": THRESHOLD_COLOUR,
                            "strokeWidth": 2,
                            "strokeDash": [6, 3],
                        }
                    },
                    {
                        "mark": {
                            "type": "text",
                            "align": "right",
                            "baseline": "top",
                            "dx": -4,
                            "color": THRESHOLD_COLOUR,
                        },
                        "encoding": {"y": {"value": 0}, "text": {"field": "label"}},
                    },
                ],
            },
        ],
    }


def history_spec(history: pl.DataFrame) -> ChartSpec:
    """One small line chart per headline number across report runs, each on its own scale."""
    rows = history.with_columns(pl.col("run_at").dt.strftime("%Y-%m-%dT%H:%M:%S%.3fZ"))
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": "Headline numbers across report runs",
        "data": {"values": rows.to_dicts()},
        "transform": [
            {"fold": HISTORY_METRICS, "as": ["metric", "value"]},
            {"filter": "isValid(datum.value)"},
        ],
        "facet": {
            "row": {
                "field": "metric",
                "type": "nominal",
                "sort": HISTORY_METRICS,
                "title": None,
                "header": {"labelAngle": 0, "labelAlign": "left"},
            }
        },
        "spec": {
            "width": 560,
            "height": 70,
            "mark": {"type": "line", "point": True, "tooltip": True},
            "encoding": {
                "x": {"field": "run_at", "type": "temporal", "title": "report run (UTC)"},
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "title": None,
                    "scale": {"zero": False},
                    "axis": {"format": ",.4~r", "tickCount": 3},
                },
            },
        },
        "resolve": {"scale": {"y": "independent"}},
    }

"""The resolution quality report as one self-contained HTML page, and an audit of a page.

Every value from the data goes through ``html.escape`` (names come from source systems and
can hold anything, ``<script>`` included), and the chart specs travel as JSON inside a
``<script type="application/json">`` element with ``<``, ``>`` and ``&`` escaped, so no data
value can end the element early. Each chart is a ``div.c360-chart`` placeholder whose
``data-chart`` names its spec; a small script hands each spec to vega-embed and marks the
placeholder ``data-rendered="true"`` (or ``"error"``) when drawing finishes, and the body
``data-charts-done`` once every chart has finished, so a browser test knows when to look.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import polars as pl

from resolution.quality._charts import ChartSpec, chart_libraries

CHART_CLASS = "c360-chart"
SPECS_ELEMENT_ID = "c360-chart-specs"
NETWORK_PREFIXES = ("http://", "https://", "//")

Formatter = Callable[[Any], str]

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
.meta { color: #666; margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 0.8rem; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 0.6rem 1rem; min-width: 9rem; }
.card .value { font-size: 1.5rem; font-weight: 600; } .card .label { color: #666; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } .note { color: #666; font-style: italic; }
"""

_DRAW_CHARTS = """
(function () {
  const specs = JSON.parse(document.getElementById("%(specs_id)s").textContent);
  const charts = Array.from(document.querySelectorAll("div.%(chart_class)s"));
  Promise.all(charts.map(function (div) {
    return vegaEmbed(div, specs[div.dataset.chart], {actions: false, renderer: "svg"})
      .then(function () { div.dataset.rendered = "true"; })
      .catch(function (err) {
        div.dataset.rendered = "error";
        div.textContent = "This chart could not be drawn: " + (err.message || err);
        console.error(err);
      });
  })).then(function () { document.body.dataset.chartsDone = String(charts.length); });
})();
"""


@dataclass(frozen=True)
class Chart:
    """A chart placeholder: the spec it draws and the sentence saying how to read it."""

    name: str
    spec: ChartSpec
    caption: str


@dataclass(frozen=True)
class Table:
    """A titled table; ``customer_links`` turns customer ids into links to their pages."""

    title: str
    frame: pl.DataFrame
    explanation: str
    customer_links: Mapping[str, str] | None = None
    formats: Mapping[str, Formatter] | None = None


@dataclass(frozen=True)
class Section:
    """A heading with its text, charts, tables and notes, in that order."""

    title: str
    intro: str = ""
    charts: Sequence[Chart] = ()
    tables: Sequence[Table] = ()
    notes: Sequence[str] = ()


def render_page(
    title: str, generated_at: datetime, cards: Mapping[str, str], sections: Sequence[Section]
) -> str:
    """The whole page: headline cards, then each section; chart libraries inlined once."""
    specs = {chart.name: chart.spec for section in sections for chart in section.charts}
    libraries = "\n".join(f"<script>{source}</script>" for source in chart_libraries())
    card_html = "".join(
        f'<div class="card"><div class="value">{html.escape(value)}</div>'
        f'<div class="label">{html.escape(label)}</div></div>'
        for label, value in cards.items()
    )
    body = "\n".join(_section(section) for section in sections)
    draw = _DRAW_CHARTS % {"specs_id": SPECS_ELEMENT_ID, "chart_class": CHART_CLASS}
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p class="meta">Generated {html.escape(generated_at.isoformat(timespec="seconds"))}</p>
<div class="cards">{card_html}</div>
{body}
<script type="application/json" id="{SPECS_ELEMENT_ID}">{_json_for_html(specs)}</script>
{libraries}
<script>{draw}</script>
</body>
</html>
"""


def _section(section: Section) -> str:
    parts = [f"<section><h2>{html.escape(section.title)}</h2>"]
    if section.intro:
        parts.append(f"<p>{html.escape(section.intro)}</p>")
    for chart in section.charts:
        name = html.escape(chart.name)
        parts.append(
            f'<figure><div class="{CHART_CLASS}" id="chart-{name}" data-chart="{name}"></div>'
            f"<figcaption>{html.escape(chart.caption)}</figcaption></figure>"
        )
    parts += [_table(table) for table in section.tables]
    parts += [f'<p class="note">{html.escape(note)}</p>' for note in section.notes]
    parts.append("</section>")
    return "\n".join(parts)


def _table(table: Table) -> str:
    slug = table.title.lower().replace(" ", "-")
    head = f"<h3>{html.escape(table.title)}</h3><p>{html.escape(table.explanation)}</p>"
    if table.frame.is_empty():
        return head + '<p class="note">None in this run.</p>'
    formats = table.formats or {}
    links = table.customer_links or {}
    header = "".join(
        f"<th>{html.escape(name.replace('_', ' '))}</th>" for name in table.frame.columns
    )
    rows = []
    for row in table.frame.iter_rows(named=True):
        cells = []
        for name, value in row.items():
            text = html.escape(formats.get(name, _plain)(value))
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            if name == "customer_id" and value in links:
                text = f'<a href="{html.escape(quote(links[value]))}">{text}</a>'
            cells.append(f'<td class="number">{text}</td>' if numeric else f"<td>{text}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'{head}<table id="{html.escape(slug)}"><thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _plain(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return str(value)


def share(value: float | None) -> str:
    """A share as a percentage with one decimal, or a dash when there is none."""
    return "-" if value is None else f"{value:.1%}"


def _json_for_html(value: object) -> str:
    """JSON that cannot close the script element holding it, whatever strings it contains."""
    return (
        json.dumps(value, allow_nan=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


@dataclass(frozen=True)
class ReportAudit:
    """What a written report page holds: chart placeholders, their specs, network loads."""

    placeholders: tuple[str, ...]
    specs: tuple[str, ...]
    network_sources: tuple[str, ...]

    @property
    def charts_without_spec(self) -> list[str]:
        return [name for name in self.placeholders if name not in self.specs]

    @property
    def charts_embedded(self) -> int:
        return len(self.placeholders) - len(self.charts_without_spec)

    @property
    def renders_offline(self) -> bool:
        """Every placeholder has its inline spec, there is one, and nothing loads remotely."""
        return bool(self.placeholders) and not self.charts_without_spec and not self.network_sources


def audit_report(path: Path) -> ReportAudit:
    """Read a report page back and list its charts, inline specs and remote sources."""
    parser = _AuditParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    specs = json.loads("".join(parser.spec_text)) if parser.spec_text else {}
    return ReportAudit(
        placeholders=tuple(parser.placeholders),
        specs=tuple(name for name, spec in specs.items() if isinstance(spec, dict) and spec),
        network_sources=tuple(parser.network_sources),
    )


class _AuditParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.placeholders: list[str] = []
        self.network_sources: list[str] = []
        self.spec_text: list[str] = []
        self._in_specs = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "div" and CHART_CLASS in attributes.get("class", "").split():
            self.placeholders.append(attributes.get("data-chart", ""))
        source = attributes.get("src") or (attributes.get("href") if tag == "link" else None)
        if source and source.lower().startswith(NETWORK_PREFIXES):
            self.network_sources.append(source)
        self._in_specs = tag == "script" and attributes.get("id") == SPECS_ELEMENT_ID

    def handle_data(self, data: str) -> None:
        if self._in_specs:
            self.spec_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_specs = False

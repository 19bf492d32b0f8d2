"""The code location loads, every job resolves, and the full job runs on generated data.

This is what `dg dev` and `dg launch` rely on; a broken import or a renamed asset must fail
here, in CI, before an engineer opens the UI.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets._metadata import STEP_SECONDS
from pipelines.definitions import build_definitions, defs
from pipelines.jobs import FULL_PIPELINE_JOB
from pipelines.settings import load_settings
from resolution import QUARANTINE_TABLE, SOURCE_TABLES
from synthetic import generate_sample
from tests.settings_files import write_settings_file


def test_the_code_location_loads():
    dg.Definitions.validate_loadable(defs)


@pytest.mark.parametrize("job_name", [FULL_PIPELINE_JOB.name])
def test_every_job_resolves(job_name):
    assert defs.resolve_job_def(job_name).name == job_name


def test_the_default_settings_point_at_the_bundled_sample():
    settings = load_settings()
    for table in SOURCE_TABLES:
        assert (settings.landing_dir / table.relative_path).exists(), table.relative_path
    assert (settings.ground_truth_dir / "ground_truth.csv").exists()


def _settings_file(tmp_path: Path, landing: Path) -> Path:
    paths = {"landing_dir": landing, "ground_truth_dir": landing.parent / "ground_truth"}
    return write_settings_file(tmp_path, {"paths": paths})


@pytest.mark.slow
def test_the_full_job_runs_on_a_generated_sample_and_reruns_identically(tmp_path):
    summary = generate_sample(300, 7, tmp_path / "sample")
    settings = load_settings(_settings_file(tmp_path, summary.landing_dir))
    job = build_definitions(settings).resolve_job_def(FULL_PIPELINE_JOB.name)

    def snapshot() -> dict[str, int]:
        with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
            counts = {
                t.name: conn.sql(f"SELECT count(*) FROM raw.{t.name}").fetchall()[0][0]
                for t in SOURCE_TABLES
            }
            counts["quarantine"] = conn.sql(f"SELECT count(*) FROM {QUARANTINE_TABLE}").fetchall()[
                0
            ][0]
        return counts

    with dg.instance_for_test() as instance:
        first = job.execute_in_process(instance=instance)
        after_first = snapshot()
        second = job.execute_in_process(instance=instance)

    assert first.success and second.success
    assert after_first == snapshot()
    for table in SOURCE_TABLES:
        read = summary.rows_per_table[table.name]
        metadata = first.asset_materializations_for_node(f"raw__{table.name}")[0].metadata
        assert metadata["rows_read"].value == read
        assert metadata["dagster/row_count"].value + metadata["rows_quarantined"].value == read
    assert after_first["quarantine"] > 0
    accounting = [
        evaluation.passed
        for evaluation in first.get_asset_check_evaluations()
        if evaluation.check_name == "rows_accounted_for"
    ]
    assert len(accounting) == len(SOURCE_TABLES) and all(accounting)
    materialized = {
        event.materialization.asset_key: event.materialization.metadata
        for event in first.get_asset_materialization_events()
    }
    assert set(materialized) == set(build_definitions(settings).resolve_all_asset_keys())
    for key, metadata in materialized.items():
        assert metadata[STEP_SECONDS].value >= 0, key.to_user_string()


def _mermaid_graph(readme: str) -> tuple[set[str], set[tuple[str, str]]]:
    """Asset labels and (upstream, downstream) label pairs drawn in the README's diagram.

    Nodes are ``id[label]``; a ``subgraph`` name stands for all its nodes; ``a & b --> c``
    and chains ``a --> b --> c`` are expanded.
    """
    block = readme.split("```mermaid", 1)[1].split("```", 1)[0]
    labels: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    group = None
    edges: set[tuple[str, str]] = set()
    for line in (raw.strip() for raw in block.splitlines()):
        if line.startswith("subgraph "):
            group = line.removeprefix("subgraph ").strip()
            groups[group] = []
        elif line == "end":
            group = None
        elif "-->" in line:
            steps = [[name.strip() for name in part.split("&")] for part in line.split("-->")]
            for upstream, downstream in zip(steps, steps[1:], strict=False):
                edges |= {(a, b) for a in upstream for b in downstream}
        elif "[" in line and group is not None:
            node, label = line.rstrip("]").split("[", 1)
            labels[node] = label
            groups[group].append(node)

    def members(name: str) -> list[str]:
        return [labels[node] for node in groups.get(name, [name])]

    pairs = {(a, b) for up, down in edges for a in members(up) for b in members(down)}
    return set(labels.values()), pairs


def test_the_readme_diagram_draws_exactly_the_asset_graph():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    drawn_assets, drawn_edges = _mermaid_graph(readme)
    graph = defs.resolve_asset_graph()
    assets = {key.to_user_string() for key in graph.get_all_asset_keys()}
    edges = {
        (parent.to_user_string(), key.to_user_string())
        for key in graph.get_all_asset_keys()
        for parent in graph.get(key).parent_keys
    }
    assert drawn_assets == assets
    assert drawn_edges == edges

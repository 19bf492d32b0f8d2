"""``c360 explain``: an engineer can see why two records share a customer id, or do not."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets import IDENTITY_ASSETS, RAW_ASSETS
from pipelines.cli import main
from pipelines.definitions import build_definitions
from pipelines.settings import load_settings
from synthetic import generate_sample
from tests.settings_files import write_settings_file


@pytest.fixture(scope="module")
def settings_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("explain")
    summary = generate_sample(250, 5, folder / "sample")
    paths = {
        "landing_dir": summary.landing_dir,
        "ground_truth_dir": summary.ground_truth_dir,
        "warehouse": "warehouse.duckdb",
    }
    path = write_settings_file(folder, {"paths": paths, "ingestion": {"max_quarantine_rate": 1.0}})
    defs = build_definitions(load_settings(path))
    assert dg.materialize([*RAW_ASSETS, *IDENTITY_ASSETS], resources=defs.resources).success
    return path


def _a_customer_with_two_records(settings_file: Path) -> tuple[str, str, str]:
    with duckdb.connect(str(settings_file.parent / "warehouse.duckdb"), read_only=True) as conn:
        return conn.sql(
            "SELECT customer_id, min(record_key), max(record_key) FROM identity.identity_map "
            "WHERE record_key NOT LIKE 'web_cookie:%' "
            "GROUP BY customer_id HAVING count(*) >= 2 ORDER BY customer_id LIMIT 1"
        ).fetchall()[0]


def test_explaining_two_records_of_one_customer_shows_how_they_were_joined(
    settings_file, tmp_path, capsys
):
    customer, left, right = _a_customer_with_two_records(settings_file)
    chart = tmp_path / "why.html"

    code = main(["explain", left, right, "--html", str(chart), "--settings", str(settings_file)])

    printed = capsys.readouterr().out
    assert code == 0
    assert f"SAME customer: {customer} / {customer}" in printed
    assert "joined through:" in printed
    assert "given_name" in printed
    assert "<html" in chart.read_text()[:2000].lower()


def test_a_customer_opens_in_cluster_studio(settings_file, tmp_path, capsys):
    customer, left, right = _a_customer_with_two_records(settings_file)
    page = tmp_path / "studio.html"

    code = main(
        ["explain", "--customer", customer, "--html", str(page), "--settings", str(settings_file)]
    )

    assert code == 0
    assert left in capsys.readouterr().out
    assert "<html" in page.read_text()[:2000].lower()


def test_an_unknown_record_key_is_a_clear_error(settings_file, capsys):
    code = main(
        ["explain", "crm_contacts:NOPE", "crm_contacts:NADA", "--settings", str(settings_file)]
    )

    assert code == 2
    assert "unknown record key(s)" in capsys.readouterr().err

"""The ``c360`` command line: the same functions the Dagster assets call, for a terminal."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pipelines.settings import DEFAULT_SETTINGS_FILE, PROJECT_ROOT, load_settings


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``c360`` console script; returns the process exit code."""
    args = _parser().parse_args(argv)
    return args.handler(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="c360", description="Customer 360: one trusted view of each customer."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser(
        "generate-sample",
        help="write synthetic exports of the five source systems, with ground truth",
    )
    generate.add_argument("--people", type=int, default=2000, help="people in the population")
    generate.add_argument("--seed", type=int, default=42, help="same seed, same files")
    generate.add_argument("--out", type=Path, required=True, help="output folder")
    generate.set_defaults(handler=_generate_sample)

    run = commands.add_parser(
        "run", help="run the full pipeline in-process and record it in the Dagster instance"
    )
    run.add_argument("--settings", type=Path, default=DEFAULT_SETTINGS_FILE)
    run.set_defaults(handler=_run)
    return parser


def _generate_sample(args: argparse.Namespace) -> int:
    from synthetic import generate_sample

    summary = generate_sample(args.people, args.seed, args.out)
    for table, rows in summary.rows_per_table.items():
        print(f"{table:<22}{rows:>10,} rows")
    print(f"{'total':<22}{sum(summary.rows_per_table.values()):>10,} rows")
    print(f"landing files:  {summary.landing_dir}")
    print(f"ground truth:   {summary.ground_truth_dir}")
    return 0


_QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
"""The terminal gets a summary; the full event log is in the Dagster UI."""


def _run(args: argparse.Namespace) -> int:
    import dagster as dg

    from pipelines.definitions import build_definitions
    from pipelines.jobs import FULL_PIPELINE_JOB

    settings = load_settings(args.settings)
    os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / ".dagster_home"))
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    job = build_definitions(settings).resolve_job_def(FULL_PIPELINE_JOB.name)
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, run_config=_QUIET_CONSOLE
        )
    for event in result.get_asset_materialization_events():
        materialization = event.materialization
        metadata = materialization.metadata
        rows = metadata["dagster/row_count"].value
        quarantined = metadata.get("rows_quarantined")
        extra = f", {quarantined.value:,} quarantined" if quarantined else ""
        print(f"  {materialization.asset_key.to_user_string():<28}{rows:>10,} rows{extra}")
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed:
            print(f"  CHECK FAILED {evaluation.asset_check_key.to_user_string()}")
    for event in result.get_step_failure_events():
        print(f"  FAILED {event.step_key}: {event.step_failure_data.error.message.strip()}")
    print(f"\nrun {result.run_id} {'succeeded' if result.success else 'FAILED'}")
    print(f"warehouse (DuckDB): {settings.warehouse}")
    print("  accepted rows: raw.<source table>; rejected rows: raw.quarantine")
    print(f"Dagster run history: {os.environ['DAGSTER_HOME']} (open the UI with `make ui`)")
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())

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

    train = commands.add_parser(
        "train", help="re-estimate the Splink model on the warehouse's identity records"
    )
    train.add_argument("--settings", type=Path, default=DEFAULT_SETTINGS_FILE)
    train.add_argument("--out", type=Path, default=None, help="model JSON (default: bundled)")
    train.set_defaults(handler=_train)

    evaluate = commands.add_parser(
        "evaluate", help="score the warehouse's identity map against the sample ground truth"
    )
    evaluate.add_argument("--settings", type=Path, default=DEFAULT_SETTINGS_FILE)
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")
    evaluate.set_defaults(handler=_evaluate)

    resolve = commands.add_parser(
        "resolve", help="resolve a standalone CSV of contacts to customer ids"
    )
    resolve.add_argument("--records", type=Path, required=True, help="CSV with record_id, ...")
    resolve.add_argument("--out", type=Path, required=True, help="CSV record_id,customer_id")
    resolve.add_argument(
        "--threshold", type=float, default=None, help="Splink match probability to link (0.995)"
    )
    resolve.add_argument(
        "--name-only-threshold",
        type=float,
        default=None,
        help="Splink probability at which a contact known only by a name joins the one "
        "other customer with that name (0.5; 1.0 turns it off)",
    )
    resolve.add_argument(
        "--name-and-company-threshold",
        type=float,
        default=None,
        help="Splink probability at which two contacts with one full name at one company "
        "link (0.96; 1.0 turns it off)",
    )
    resolve.add_argument(
        "--two-holders-threshold",
        type=float,
        default=None,
        help="Splink probability at which the only two customers with one full name link "
        "when nothing they hold conflicts (0.9; 1.0 turns it off)",
    )
    resolve.add_argument(
        "--train",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="estimate a model on the file (default: only when the bundled model does not fit)",
    )
    resolve.set_defaults(handler=_resolve)

    explain = commands.add_parser(
        "explain", help="why two records were (or were not) linked, or what makes a customer"
    )
    explain.add_argument("records", nargs="*", help="two record keys, e.g. crm_contacts:CON-1")
    explain.add_argument("--customer", help="a customer id to open in Splink's cluster studio")
    explain.add_argument("--html", type=Path, help="where to write the waterfall / studio page")
    explain.add_argument("--settings", type=Path, default=DEFAULT_SETTINGS_FILE)
    explain.set_defaults(handler=_explain)

    profile = commands.add_parser(
        "profile", help="one customer's golden profile, with field lineage and source records"
    )
    who = profile.add_mutually_exclusive_group(required=True)
    who.add_argument("--email", help="any email address the sources hold for the person")
    who.add_argument("--customer-id", help="a customer id (merged ids are followed)")
    profile.add_argument("--settings", type=Path, default=DEFAULT_SETTINGS_FILE)
    profile.set_defaults(handler=_profile)

    known = commands.add_parser(
        "known-fields",
        help="what c360 already knows about a person, and what a form should skip or prefill",
    )
    known.add_argument("--email", required=True, help="any email address the person used")
    known.add_argument("--form", type=Path, help="a form definition (YAML) to answer for")
    known.add_argument("--settings", type=Path, default=DEFAULT_SETTINGS_FILE)
    known.set_defaults(handler=_known_fields)
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
    from resolution.exports import CURRENT
    from resolution.quality import REPORT_FILE

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
        print(f"  {materialization.asset_key.to_user_string():<34}{rows:>10,} rows{extra}")
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed:
            print(f"  CHECK FAILED {evaluation.asset_check_key.to_user_string()}")
    for event in result.get_step_failure_events():
        print(f"  FAILED {event.step_key}: {event.step_failure_data.error.message.strip()}")
    print(f"\nrun {result.run_id} {'succeeded' if result.success else 'FAILED'}")
    print(f"warehouse (DuckDB): {settings.warehouse}")
    print("  accepted rows: raw.<source table>; rejected rows: raw.quarantine")
    print(
        "  customers: identity.identity_map (record -> customer), identity.source_identity_map "
        "(every source row), identity.customer_id_history, identity.flagged_customers"
    )
    print("  profiles: profile.customer_profile, profile.profile_field_lineage, ...")
    print(f"published for marketers (DuckDB): {settings.published_database}")
    print(f"exports for sales, support and marketing: {settings.exports_dir / CURRENT}")
    print(f"resolution quality report: {settings.reports_dir / REPORT_FILE}")
    print(f"Dagster run history: {os.environ['DAGSTER_HOME']} (open the UI with `make ui`)")
    return 0 if result.success else 1


def _train(args: argparse.Namespace) -> int:
    import duckdb

    from resolution.identity import (
        MODEL_PATH,
        mask_shared_identifiers,
        read_identity_sources_table,
        train_model,
    )

    settings = load_settings(args.settings)
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        records = read_identity_sources_table(conn).records
    _progress(f"training on {records.height:,} identity records")
    path = train_model(mask_shared_identifiers(records), args.out or MODEL_PATH)
    print(f"model written to {path}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    import json

    import duckdb

    from resolution.identity import read_identity_sources_table, score_against_ground_truth

    settings = load_settings(args.settings)
    if not (settings.ground_truth_dir / "ground_truth.csv").exists():
        print(f"no ground truth in {settings.ground_truth_dir}", file=sys.stderr)
        return 2
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        sources = read_identity_sources_table(conn)
        links = conn.sql("SELECT * FROM identity.record_links").pl()
        identity_map = conn.sql("SELECT * FROM identity.identity_map").pl()
    scores = score_against_ground_truth(
        sources.records, links, identity_map, sources.membership, settings.ground_truth_dir
    )
    if args.json:
        print(json.dumps(scores.as_dict(), indent=2))
        return 0
    for name, value in scores.as_dict().items():
        shown = f"{value:.4f}" if isinstance(value, float) else value
        print(f"{name:<40}{shown}")
    return 0


def _resolve(args: argparse.Namespace) -> int:
    import time

    from resolution import SourceFileError
    from resolution.identity import read_contacts_file, resolve_contacts

    started = time.perf_counter()
    try:
        contacts = read_contacts_file(args.records)
    except SourceFileError as err:
        print(f"c360 resolve: {err}", file=sys.stderr)
        return 2
    _progress(f"read {contacts.height:,} contacts in {time.perf_counter() - started:.1f}s")
    thresholds = {
        name: value
        for name, value in (
            ("threshold_match_probability", args.threshold),
            ("name_only_threshold", args.name_only_threshold),
            ("name_and_company_threshold", args.name_and_company_threshold),
            ("two_holders_threshold", args.two_holders_threshold),
        )
        if value is not None
    }
    resolved = resolve_contacts(
        contacts,
        **thresholds,
        train=args.train,
        progress=_progress,
    )
    model = "a model trained on this file" if resolved.trained_on_file else "the bundled model"
    steps = ", ".join(f"{step} {seconds:.1f}s" for step, seconds in resolved.seconds.items())
    _progress(f"resolved with {model}: {steps}")
    assignments = resolved.assignments
    assignments.write_csv(args.out)
    customers = assignments.get_column("customer_id").n_unique()
    _progress(
        f"wrote {assignments.height:,} records, {customers:,} customers to {args.out} "
        f"in {time.perf_counter() - started:.1f}s"
    )
    return 0


def _explain(args: argparse.Namespace) -> int:
    import duckdb
    import polars as pl

    from resolution.identity import read_identity_sources_table
    from resolution.identity._explain import explain_pair, write_cluster_studio

    if (args.customer is None) == (len(args.records) != 2):
        print("c360 explain: give two record keys, or --customer ID", file=sys.stderr)
        return 2
    settings = load_settings(args.settings)
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        sources = read_identity_sources_table(conn)
        tables = {
            name: conn.sql(f"SELECT * FROM identity.{name}").pl()
            for name in ("record_links", "refused_links", "identity_map")
        }
    if args.customer:
        out = args.html or Path(f"cluster_studio_{args.customer}.html")
        write_cluster_studio(sources.records, tables["identity_map"], args.customer, out)
        members = tables["identity_map"].filter(pl.col("customer_id") == args.customer)
        print(f"customer {args.customer}: {members.height} records")
        for key in members.get_column("record_key").sort():
            print(f"  {key}")
        print(f"cluster studio: {out}")
        return 0
    keys = tuple(_record_key(key, sources.membership) for key in args.records)
    try:
        explanation = explain_pair(
            sources.records,
            tables["record_links"],
            tables["refused_links"],
            tables["identity_map"],
            keys,
            waterfall_html=args.html,
        )
    except KeyError as err:
        print(f"c360 explain: {err.args[0]}", file=sys.stderr)
        return 2
    _print_explanation(explanation)
    if args.html:
        print(f"waterfall chart: {args.html}")
    return 0


def _profile(args: argparse.Namespace) -> int:
    import duckdb
    import polars as pl

    from resolution.profile import customer_view, find_customer

    settings = load_settings(args.settings)
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        customer_id = find_customer(conn, email=args.email, customer_id=args.customer_id)
        if customer_id is None:
            asked = args.email or args.customer_id
            print(f"c360 profile: no customer for {asked} in {settings.warehouse}", file=sys.stderr)
            return 1
        view = customer_view(conn, customer_id)
    print(f"customer {customer_id}")
    for name, value in view.profile.items():
        if value is not None and value != [] and name != "customer_id":
            print(f"  {name:<30}{value}")
    with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=60, tbl_width_chars=200):
        print("\nfield lineage (value, where it came from, the rule that chose it):")
        print(view.lineage)
        print("\nsource records:")
        print(view.records)
    return 0


def _known_fields(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    import duckdb
    import polars as pl

    from resolution import SourceFileError
    from resolution.activation import form_field_actions, known_fields, read_form
    from resolution.profile import find_customer

    settings = load_settings(args.settings)
    try:
        form = read_form(args.form) if args.form else None
    except SourceFileError as err:
        print(f"c360 known-fields: {err}", file=sys.stderr)
        return 2
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        customer_id = find_customer(conn, email=args.email)
        if customer_id is None:
            print(f"c360 known-fields: nobody with {args.email} in {settings.warehouse}")
            return 1
        known = known_fields(
            conn,
            datetime.now(UTC),
            settings.activation.known_field_max_age_days,
            customer_id=customer_id,
        )
    max_age = settings.activation.known_field_max_age_days
    print(f"customer {customer_id}: known fields (fresh = younger than {max_age} days)")
    with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=50, tbl_width_chars=200):
        print(known.drop("customer_id", "source_table", "observed_at"))
        if form is not None:
            print(f"\nform {form.form_id} ({form.title}): skip = fresh, prefill = stale, ask")
            print(form_field_actions(known, list(form.fields)).drop("customer_id"))
    return 0


def _record_key(key: str, membership) -> str:
    """Accept a record key or any source row (``web_events:evt_1``) and return its record."""
    import polars as pl

    table, _, row_id = key.partition(":")
    owner = membership.filter(
        (pl.col("source_table") == table) & (pl.col("source_record_id") == row_id)
    )
    return owner.item(0, "record_key") if owner.height else key


def _print_explanation(explanation) -> None:
    left_id, right_id = explanation.customer_ids
    verdict = "SAME customer" if explanation.same_customer else "DIFFERENT customers"
    print(f"{verdict}: {left_id} / {right_id}")
    for side, fields in (("left", explanation.left), ("right", explanation.right)):
        shown = {k: v for k, v in fields.items() if not k.startswith("email_is")}
        print(f"  {side}: {shown}")
    rules = ", ".join(explanation.deterministic_rules) or "none"
    print(f"rules besides Splink that link them directly: {rules}")
    print(
        f"Splink: match weight {explanation.match_weight:.2f}, "
        f"probability {explanation.match_probability:.4f}"
    )
    for weight in explanation.field_weights:
        print(f"  {weight.field:<12}{weight.match_weight:>8.2f}  {weight.level}")
    if explanation.refused_because:
        print(f"a link between them was refused: {explanation.refused_because}")
    if explanation.path:
        print("joined through:")
        for left, right, rule in explanation.path:
            print(f"  {left} -- {rule} -- {right}")


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())

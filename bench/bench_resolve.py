"""Speed and memory of ``c360 resolve`` against the bare Splink steps it runs, same data.

Usage: python bench/bench_resolve.py --people 300000   (about 1M canonical records)
1. Generates the sample, ingests it and writes its identity records as a canonical contacts
   CSV (cached under bench/data/, not in git).
2. Runs ``c360 resolve`` on it in a child process: wall time and peak RSS.
3. In another child, on the same standardised (and numbered) records with the same model,
   prior and threshold, times Splink alone: register + predict +
   cluster_pairwise_predictions_at_threshold.
4. Reports resolve's own step timings (from its progress output), so the time around
   Splink's predict inside the same run is visible too.
Targets (issue #3): resolve < 300 s and < 8 GiB peak; resolve <= 1.3 x bare Splink.
Run on a quiet machine: nothing else may use the two cores meanwhile.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def prepare(people: int, seed: int) -> Path:
    from _pipeline_data import load_generated_sample, raw_identity_records

    folder = HERE / "data" / f"resolve_{people}_{seed}"
    contacts = folder / "contacts.csv"
    if contacts.exists():
        return contacts
    folder.mkdir(parents=True, exist_ok=True)
    load_generated_sample(people, seed, folder)
    raw_identity_records(folder / "warehouse.duckdb").write_csv(contacts)
    return contacts


def bare_splink(contacts: Path, threshold: float) -> dict[str, float]:
    """Splink's own predict + cluster on the records resolve would give it."""
    from splink import DuckDBAPI

    from resolution.identity import (
        MODEL_PATH,
        contacts_as_raw_records,
        mask_shared_identifiers,
        read_contacts_file,
        standardise_records,
    )
    from resolution.identity._resolve import _numbered
    from resolution.identity._splink_model import (
        linker_for,
        term_frequencies,
        use_term_frequencies,
    )

    raw = contacts_as_raw_records(read_contacts_file(contacts))
    # resolve hands Splink its records numbered (see ``_numbered``); so does the baseline,
    # so the ratio measures the work around Splink, not a cheaper key type.
    numbered, _ = _numbered(standardise_records(raw))
    records = mask_shared_identifiers(numbered)
    started = time.perf_counter()
    db_api = DuckDBAPI()
    linker = linker_for(db_api, records, MODEL_PATH)
    use_term_frequencies(linker, db_api, term_frequencies(records))
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    predicted = time.perf_counter()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    clusters.as_duckdbpyrelation().select("cluster_id").aggregate("count(*)").fetchall()
    done = time.perf_counter()
    return {
        "records": records.height,
        "pairs": predictions.as_duckdbpyrelation().aggregate("count(*)").fetchall()[0][0],
        "predict_seconds": predicted - started,
        "cluster_seconds": done - predicted,
        "total_seconds": done - started,
        "peak_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2,
    }


def run_child(args: list[str]) -> tuple[float, str, str]:
    """Wall seconds, stdout and stderr of a child process."""
    started = time.perf_counter()
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    return time.perf_counter() - started, done.stdout, done.stderr


def resolve_steps(progress: str) -> dict[str, float]:
    """Step seconds from ``c360 resolve``'s "resolved with ...: step 1.2s, ..." line."""
    line = next(line for line in progress.splitlines() if "resolved with" in line)
    steps = re.findall(r"(\w+) ([0-9.]+)s", line.split(":", 1)[1])
    return {step: float(seconds) for step, seconds in steps}


_RESOLVE = (
    "import json, resource, sys\n"
    "from pipelines.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2\n"
    "print(json.dumps({'peak_gib': peak}))\n"
    "sys.exit(code)\n"
)
"""``c360 resolve`` exactly as the console script runs it, reporting its own peak RSS."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--bare-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    from resolution.identity import DEFAULT_MATCH_THRESHOLD

    if args.bare_only:
        print(json.dumps(bare_splink(args.bare_only, DEFAULT_MATCH_THRESHOLD)))
        return
    contacts = prepare(args.people, args.seed)
    with tempfile.TemporaryDirectory(prefix="c360-bench-") as folder:
        out = Path(folder) / "resolved.csv"
        resolve_seconds, stdout, progress = run_child(
            [
                sys.executable,
                "-c",
                _RESOLVE,
                "resolve",
                "--records",
                str(contacts),
                "--out",
                str(out),
            ]
        )
        resolve_gib = json.loads(stdout.strip().splitlines()[-1])["peak_gib"]
        with out.open() as handle:
            resolved_rows = sum(1 for _ in handle) - 1
    bare_seconds, stdout, _ = run_child([sys.executable, __file__, "--bare-only", str(contacts)])
    bare = json.loads(stdout.strip().splitlines()[-1])
    result = {
        "contacts": resolved_rows,
        "resolve_seconds": round(resolve_seconds, 1),
        "resolve_peak_gib": round(resolve_gib, 2),
        "bare_splink_predict_seconds": round(bare["predict_seconds"], 1),
        "bare_splink_cluster_seconds": round(bare["cluster_seconds"], 1),
        "bare_splink_pairs": bare["pairs"],
        "ratio_resolve_to_bare_splink": round(resolve_seconds / bare["total_seconds"], 2),
        "bare_child_wall_seconds": round(bare_seconds, 1),
        "bare_child_peak_gib": round(bare["peak_gib"], 2),
        "resolve_steps_seconds": resolve_steps(progress),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""Accuracy of identity resolution on generated data the model was not trained on.

Usage: python bench/bench_accuracy.py --people 3000 --seeds 101 202 303
The bundled model was trained on the committed sample (seed 42); these seeds are unseen.
Targets (issue #3): pairwise precision >= 0.995, recall >= 0.97, and no family, twin or
shared-inbox pair merged in more than 0.5% of cases (namesakes are reported too).
Each seed also reports ``recall_ceiling``: the recall left once the records only a
name could place, and cannot, are counted as lost (``name_evidence_recall_ceiling``).

``--columns first_name last_name street postcode country birth_date`` instead resolves the
sample as a canonical contacts file holding only those columns, through ``c360 resolve``'s
own path (bundled model when the fields fit it, else one trained on the file), and scores
the rows that keep more than a name: "a file with names, addresses and birth dates only".
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import polars as pl
from _pipeline_data import load_generated_sample, raw_identity_records

from resolution.identity import (
    CANONICAL_COLUMNS,
    IdentitySources,
    ResolutionScores,
    name_evidence_recall_ceiling,
    record_truth,
    resolve_contacts,
    resolve_records,
    score_identity_map,
)

TARGETED = ("family", "twin", "colleague_shared_inbox")
"""The hard negatives the issue bounds at 0.5%; namesakes are reported beside them: two
people sharing only a name are told apart by nothing else when one of them gives no more."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[101, 202, 303])
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--columns", nargs="+", choices=CANONICAL_COLUMNS, default=None)
    args = parser.parse_args()
    options = {} if args.threshold is None else {"threshold_match_probability": args.threshold}
    rows = []
    for seed in args.seeds:
        with tempfile.TemporaryDirectory(prefix="c360-bench-") as folder:
            truth_dir, sources = load_generated_sample(args.people, seed, Path(folder))
            started = time.perf_counter()
            if args.columns:
                scores = _score_contacts_file(Path(folder), sources, truth_dir, args.columns)
            else:
                resolution = resolve_records(sources.records, sources.cookie_links, None, **options)
                scores = resolution.scored(sources.membership, truth_dir)
            seconds = time.perf_counter() - started
        row = {
            "seed": seed,
            "seconds": round(seconds, 2),
            **scores.as_dict(),
        }
        rows.append(row)
        print(json.dumps(row))
    worst_precision = min(r["pairwise_precision"] for r in rows)
    worst_recall = min(r["pairwise_recall"] for r in rows)
    rates = [r["hard_negative_merge_rate_by_relation"] for r in rows]
    worst_negative = max(
        (rate for by in rates for relation, rate in by.items() if relation in TARGETED),
        default=0.0,
    )
    worst_namesake = max((by.get("namesake", 0.0) for by in rates), default=0.0)
    print(
        f"worst over {len(rows)} seeds: precision {worst_precision:.4f} (target 0.995), "
        f"recall {worst_recall:.4f} (target 0.97; the data allows at most "
        f"{min(r['recall_ceiling'] for r in rows):.4f}), "
        f"family/twin/shared-inbox merge rate {worst_negative:.4f} (target <= 0.005); "
        f"namesakes merged {worst_namesake:.4f} (reported, no target)"
    )


def _score_contacts_file(
    folder: Path, sources: IdentitySources, truth_dir: Path, columns: list[str]
) -> ResolutionScores:
    """Resolve the sample as a contacts file restricted to ``columns``, then score it.

    Rows with nothing beyond a name and a country are left out: a file of names, addresses
    and birth dates is one whose rows carry some of each, and a bare name in it is
    nobody's in particular.
    """
    evidence = [c for c in columns if c not in ("first_name", "last_name", "country", "source")]
    contacts = (
        raw_identity_records(folder / "warehouse.duckdb")
        .select("record_id", *columns)
        .filter(pl.any_horizontal(pl.col(evidence).is_not_null()))
    )
    resolved = resolve_contacts(contacts)
    truth = record_truth(
        sources.membership, pl.read_csv(truth_dir / "ground_truth.csv", infer_schema=False)
    )
    negatives = pl.read_csv(truth_dir / "hard_negatives.csv", infer_schema=False)
    assignments = resolved.assignments.rename({"record_id": "record_key"})
    scores = score_identity_map(assignments, truth, negatives)
    ceiling = name_evidence_recall_ceiling(resolved.records, truth)
    return replace(scores, recall_ceiling=ceiling)


if __name__ == "__main__":
    main()

"""Accuracy of identity resolution on generated data the model was not trained on.

Usage: python bench/bench_accuracy.py --people 3000 --seeds 101 202 303
The bundled model was trained on the committed sample (seed 42); these seeds are unseen.
Targets (issue #3): pairwise precision >= 0.995, recall >= 0.97, and no family, twin or
shared-inbox pair merged in more than 0.5% of cases (namesakes are reported too).
Each seed also reports ``recall_ceiling``: the recall left once the records only a
name could place, and cannot, are counted as lost (``name_evidence_recall_ceiling``).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from _pipeline_data import load_generated_sample

from resolution.identity import resolve_records, score_against_ground_truth

TARGETED = ("family", "twin", "colleague_shared_inbox")
"""The hard negatives the issue bounds at 0.5%; namesakes are reported beside them: two
people sharing only a name are told apart by nothing else when one of them gives no more."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[101, 202, 303])
    parser.add_argument("--threshold", type=float, default=None)
    args = parser.parse_args()
    rows = []
    for seed in args.seeds:
        with tempfile.TemporaryDirectory(prefix="c360-bench-") as folder:
            truth_dir, sources = load_generated_sample(args.people, seed, Path(folder))
            started = time.perf_counter()
            options = (
                {} if args.threshold is None else {"threshold_match_probability": args.threshold}
            )
            resolution = resolve_records(sources.records, sources.cookie_links, None, **options)
            seconds = time.perf_counter() - started
            scores = score_against_ground_truth(
                resolution.records,
                resolution.links,
                resolution.identity_map,
                sources.membership,
                truth_dir,
            )
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


if __name__ == "__main__":
    main()

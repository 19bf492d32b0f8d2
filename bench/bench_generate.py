"""Time ``synthetic.generate_sample`` and report its throughput.

The synthetic generator must produce at least a million source rows in under three minutes
on a 2-core machine, so the pipeline can be load-tested without real data. From the
repository root, with the project installed (or ``PYTHONPATH=.``), run e.g.:

    python bench/bench_generate.py --people 100000 --seed 42

100,000 people give about 1.02 million source rows.
"""

import argparse
import tempfile
import time
from pathlib import Path

from synthetic import generate_sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000, help="population size")
    parser.add_argument("--seed", type=int, default=42, help="random seed")
    parser.add_argument(
        "--out", type=Path, default=None, help="output folder (default: a temporary folder)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="c360-bench-") as scratch:
        out = args.out or Path(scratch)
        started = time.perf_counter()
        summary = generate_sample(args.people, args.seed, out)
        seconds = time.perf_counter() - started
        size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    total = sum(summary.rows_per_table.values())
    for table, rows in summary.rows_per_table.items():
        print(f"{table:<22}{rows:>12,}")
    print(f"{'total rows':<22}{total:>12,}")
    print(
        f"people {args.people:,}  seed {args.seed}  seconds {seconds:.1f}  "
        f"rows/second {total / seconds:,.0f}  output {size / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()

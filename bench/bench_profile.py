"""Profile build time against resolution time, on the same generated warehouse.

Usage: python bench/bench_profile.py --people 100000   (about 1,000,000 source rows)
1. Generates the sample and ingests it into a scratch warehouse (cached under bench/data/).
2. Times resolution as the identity assets run it: standardise and store identity records,
   resolve (links, Splink, clusters, ids), store the identity tables.
3. Times the profile step as the profile assets run it: erasure look-up, profiles, lineage,
   lifecycle, products and accounts, and their storage.
4. Times the activation assets' work and publishing the marketers' file, separately.
Target (issue #4): profile step faster than resolution. Peak RSS is the whole process.
Run on a quiet machine: nothing else may use the two cores meanwhile.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from resolution import SOURCE_TABLES, ingest_source  # noqa: E402
from resolution.activation import (  # noqa: E402
    ActivationPolicy,
    form_prefill,
    known_fields,
    personalization_feed,
    read_forms,
    redundant_requests,
    suppressions,
    write_activation_table,
)
from resolution.identity import (  # noqa: E402
    read_identity_sources,
    read_identity_sources_table,
    read_previous_identity_map,
    resolve_records,
    write_identity_sources,
    write_identity_tables,
)
from resolution.profile import (  # noqa: E402
    ProfilePolicy,
    build_profiles,
    erased_customers,
    erasure_salt,
    write_profile_tables,
)
from resolution.publishing import publish_database  # noqa: E402
from synthetic import generate_sample  # noqa: E402


def ingested_warehouse(people: int, seed: int) -> tuple[Path, int]:
    """A warehouse with the raw tables loaded (built once per size and seed)."""
    folder = HERE / "data" / f"profile_{people}_{seed}"
    raw = folder / "ingested.duckdb"
    if not raw.exists():
        folder.mkdir(parents=True, exist_ok=True)
        summary = generate_sample(people, seed, folder / "sample")
        with duckdb.connect(str(folder / "loading.duckdb")) as conn:
            for table in SOURCE_TABLES:
                ingest_source(conn, summary.landing_dir, table)
        (folder / "loading.duckdb").rename(raw)
    with duckdb.connect(str(raw), read_only=True) as conn:
        rows = sum(
            conn.sql(f"SELECT count(*) FROM raw.{table.name}").fetchall()[0][0]
            for table in SOURCE_TABLES
        )
    return raw, rows


def activate(conn: duckdb.DuckDBPyConnection, now: datetime) -> dict[str, int]:
    """The activation assets' work, in their order; returns each table's rows."""
    policy = ActivationPolicy()
    known = known_fields(conn, now, policy.known_field_max_age_days)
    write_activation_table(conn, "known_fields", known)
    write_activation_table(conn, "redundant_requests", redundant_requests(conn))
    suppressed = suppressions(conn, policy)
    write_activation_table(conn, "suppressions", suppressed)
    feed = personalization_feed(conn, suppressed, policy, now)
    write_activation_table(conn, "personalization_feed", feed)
    forms = read_forms(HERE.parent / "sample_data" / "forms")
    write_activation_table(conn, "form_prefill", form_prefill(conn, known, forms))
    return {
        name: int(conn.sql(f"SELECT count(*) FROM activation.{name}").fetchall()[0][0])
        for name in (
            "known_fields",
            "redundant_requests",
            "suppressions",
            "personalization_feed",
            "form_prefill",
        )
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    raw, source_rows = ingested_warehouse(args.people, args.seed)
    work = raw.with_name("bench.duckdb")
    shutil.copy(raw, work)
    now = datetime.now(UTC)
    with duckdb.connect(str(work)) as conn:
        started = time.perf_counter()
        write_identity_sources(conn, read_identity_sources(conn))
        sources = read_identity_sources_table(conn)
        resolution = resolve_records(
            sources.records, sources.cookie_links, read_previous_identity_map(conn)
        )
        write_identity_tables(conn, resolution, sources.membership, now)
        resolve_seconds = time.perf_counter() - started

        started = time.perf_counter()
        erased = erased_customers(conn, erasure_salt(conn))
        tables = build_profiles(conn, ProfilePolicy(), erased)
        write_profile_tables(conn, tables)
        profile_seconds = time.perf_counter() - started

        started = time.perf_counter()
        activation_rows = activate(conn, now)
        activation_seconds = time.perf_counter() - started

        started = time.perf_counter()
        publish_database(conn, raw.with_name("published.duckdb"), now, "bench")
        publish_seconds = time.perf_counter() - started
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        json.dumps(
            {
                "people": args.people,
                "source_rows": source_rows,
                "identity_records": resolution.records.height,
                "customers": tables.customer_profile.height,
                "lineage_rows": tables.profile_field_lineage.height,
                "resolve_seconds": round(resolve_seconds, 1),
                "profile_seconds": round(profile_seconds, 1),
                "profile_to_resolve": round(profile_seconds / resolve_seconds, 2),
                "activation_seconds": round(activation_seconds, 1),
                "activation_rows": activation_rows,
                "publish_seconds": round(publish_seconds, 1),
                "peak_rss_gib": round(peak_gib, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

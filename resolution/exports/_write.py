"""One export run: build the frames, cut them per audience, validate, write, audit, swap in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from resolution.exports._checks import fields_outside_policy, row_mismatches, validate_exports
from resolution.exports._folder import discard_version, make_current, new_version
from resolution.exports._frames import audience_frames, context_frames
from resolution.exports._policy import AudiencePolicy
from resolution.exports._render import write_account_pages, write_csv, write_jsonl


@dataclass(frozen=True)
class ExportRun:
    """What one run wrote, what blocked it, and the version it published, if any.

    ``rows`` counts each ``audience/kind`` export; ``files`` are relative to the version
    folder. A schema failure blocks before anything is written; a field outside its
    audience's list or a file that lost rows blocks after writing, and the version is
    discarded. ``published`` is the version folder that became ``current``, else None.
    """

    rows: dict[str, int]
    files: tuple[str, ...]
    schema_failures: tuple[str, ...]
    fields_outside_policy: tuple[str, ...]
    row_mismatches: tuple[str, ...]
    published: Path | None


def export_account_context(
    conn: duckdb.DuckDBPyConnection,
    policies: tuple[AudiencePolicy, ...],
    root: Path,
    run_id: str,
) -> ExportRun:
    """Write every audience's exports under ``root`` and, if they pass, make them current."""
    frames = context_frames(conn)
    cut = {policy.name: audience_frames(frames, policy) for policy in policies}
    rows = {f"{name}/{kind}": frame.height for name in cut for kind, frame in cut[name].items()}
    exports, failures = validate_exports(cut, policies)
    if failures:
        return ExportRun(rows, (), tuple(failures), (), (), None)
    version = new_version(root, run_id)
    try:
        files = _write(version, exports)
        outside = fields_outside_policy(version, policies)
        mismatches = row_mismatches(version, exports)
    except BaseException:
        discard_version(version)
        raise
    if outside or mismatches:
        discard_version(version)
        return ExportRun(rows, files, (), tuple(outside), tuple(mismatches), None)
    make_current(root, version)
    return ExportRun(rows, files, (), (), (), version)


def _write(folder: Path, exports: dict[str, dict[str, pl.DataFrame]]) -> tuple[str, ...]:
    written: list[Path] = []
    for audience, frames in exports.items():
        for kind, frame in frames.items():
            stem = folder / audience / kind
            write_jsonl(frame, stem.with_suffix(".jsonl"))
            write_csv(frame, stem.with_suffix(".csv"))
            written += [stem.with_suffix(".jsonl"), stem.with_suffix(".csv")]
            if kind == "accounts":
                written += write_account_pages(
                    folder / audience / "accounts", audience, frame, frames.get("contacts")
                )
    return tuple(path.relative_to(folder).as_posix() for path in written)

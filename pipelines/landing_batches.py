"""Which landing files are new or changed, and whether the batch has finished arriving.

Source systems drop their exports one file at a time, often by a slow copy. A run started on
the first new file reads the others half-written or stale, so the landing sensor waits until
no file has changed for a while and then starts one run for the whole batch. Plain functions
on the file system (no Dagster), so they are tested without a Dagster instance.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from resolution import SOURCE_TABLES

LANDING_FOLDERS: tuple[str, ...] = tuple(sorted({table.system for table in SOURCE_TABLES}))
"""The source systems' folders under the landing directory (crm/, email/, ...)."""

Fingerprints = dict[str, tuple[int, int]]
"""Relative path (with ``/``) -> (size in bytes, modification time in ns)."""


@dataclass(frozen=True)
class LandingBatch:
    """The landing directory now, compared with the batch that last started a run."""

    files: Fingerprints
    changed: tuple[str, ...]
    quiet_seconds: float
    """Seconds since the most recent change to any landing file."""

    def is_settled(self, settle_seconds: float) -> bool:
        """True once no landing file has changed for ``settle_seconds``."""
        return self.quiet_seconds >= settle_seconds

    @property
    def run_key(self) -> str:
        """Names this exact set of files, so the same batch never starts two runs."""
        return (
            "landing-"
            + hashlib.sha256(fingerprints_to_cursor(self.files).encode()).hexdigest()[:16]
        )

    @property
    def cursor(self) -> str:
        return fingerprints_to_cursor(self.files)


def scan_landing(landing_dir: Path) -> Fingerprints:
    """Size and modification time of every file under the source systems' folders.

    Hidden files (a copy tool's ``.part`` or ``.accounts.csv.XYZ`` temporaries) are left
    out: they are renamed into place when the copy ends, and that rename is the change.
    """
    files: Fingerprints = {}
    for folder in LANDING_FOLDERS:
        root = landing_dir / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(landing_dir)
            if any(part.startswith(".") for part in relative.parts) or not path.is_file():
                continue
            stat = path.stat()
            files[relative.as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return files


def landing_batch(landing_dir: Path, cursor: str | None, now_ns: int) -> LandingBatch:
    """Compare the landing directory at ``now_ns`` with the batch recorded in ``cursor``."""
    files = scan_landing(landing_dir)
    previous = fingerprints_from_cursor(cursor)
    changed = tuple(
        path for path, fingerprint in files.items() if previous.get(path) != fingerprint
    )
    newest_ns = max((mtime_ns for _, mtime_ns in files.values()), default=None)
    quiet_seconds = float("inf") if newest_ns is None else (now_ns - newest_ns) / 1e9
    return LandingBatch(files=files, changed=changed, quiet_seconds=quiet_seconds)


def fingerprints_to_cursor(files: Fingerprints) -> str:
    """The cursor text: the files of the batch that last started a run, in path order."""
    return json.dumps(
        [
            {"path": path, "size": size, "mtime_ns": mtime}
            for path, (size, mtime) in sorted(files.items())
        ],
        separators=(",", ":"),
    )


def fingerprints_from_cursor(cursor: str | None) -> Fingerprints:
    """Read a cursor written by ``fingerprints_to_cursor``; no cursor means no files yet."""
    if not cursor:
        return {}
    return {
        entry["path"]: (int(entry["size"]), int(entry["mtime_ns"])) for entry in json.loads(cursor)
    }

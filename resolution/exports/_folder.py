"""Replace the exports folder atomically: readers see the last complete version, never a mix.

Sales and support tools read ``<exports_dir>/current/...`` while the pipeline runs. Each
run builds its files in ``<exports_dir>/.versions/<run_id>/``; only when every file is
written and audited does a new symlink, made under a temporary name, get renamed over
``current``, which POSIX does in one step. A run that fails before the rename discards
its folder and leaves ``current`` where it was. After the swap, versions older than the
one just replaced are deleted: the replaced one stays so a reader that resolved
``current`` a moment before the swap can finish reading it.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

CURRENT = "current"
VERSIONS = ".versions"
_SAFE_RUN_ID = re.compile(r"^[A-Za-z0-9_-]+$")


def new_version(root: Path, run_id: str) -> Path:
    """An empty folder for this run's exports, beside (not yet in place of) ``current``."""
    if not _SAFE_RUN_ID.match(run_id):
        raise ValueError(f"run id {run_id!r} cannot name an exports folder")
    current = root / CURRENT
    if current.exists() and not current.is_symlink():
        raise FileExistsError(f"{current} is not a symlink; move it away to publish exports")
    version = root / VERSIONS / run_id
    shutil.rmtree(version, ignore_errors=True)
    version.mkdir(parents=True)
    return version


def make_current(root: Path, version: Path) -> None:
    """Point ``root/current`` at ``version`` in one rename, then drop versions before the last."""
    current = root / CURRENT
    previous = current.resolve() if current.is_symlink() else None
    link = root / f".{CURRENT}.{version.name}.swap"
    link.unlink(missing_ok=True)
    try:
        link.symlink_to(Path(VERSIONS) / version.name, target_is_directory=True)
        os.replace(link, current)
    finally:
        link.unlink(missing_ok=True)
    for old in (root / VERSIONS).iterdir():
        if old.resolve() not in (version.resolve(), previous):
            shutil.rmtree(old)


def discard_version(version: Path) -> None:
    """Delete a version that must not be published; ``current`` is untouched."""
    shutil.rmtree(version, ignore_errors=True)

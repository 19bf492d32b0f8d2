"""Settings files for tests: the bundled ``c360.toml`` with paths and values overridden.

Every test that builds its own code location starts from the real settings file, so a new
setting is picked up everywhere at once and tests never drift from what users run.
"""

import json
import tomllib
from pathlib import Path

from pipelines.settings import DEFAULT_SETTINGS_FILE


def write_settings_file(
    folder: Path, overrides: dict[str, dict[str, object]] | None = None
) -> Path:
    """Write ``folder/c360.toml``: bundled sections, each key replaced by ``overrides``.

    Relative paths stay relative to the new file, so outputs (warehouse, reports, exports)
    land inside ``folder``; pass absolute paths for inputs such as the landing directory.
    """
    with DEFAULT_SETTINGS_FILE.open("rb") as handle:
        sections = tomllib.load(handle)
    for section, values in (overrides or {}).items():
        sections.setdefault(section, {}).update(values)
    lines: list[str] = []
    for section, values in sections.items():
        lines += _toml_table(section, values)
    path = folder / "c360.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _toml_table(name: str, values: dict[str, object]) -> list[str]:
    lines = [f"[{name}]"]
    lines += [f"{k} = {_toml_value(v)}" for k, v in values.items() if not isinstance(v, dict)]
    for key, value in values.items():
        if isinstance(value, dict):
            lines += _toml_table(f"{name}.{key}", value)
    return lines


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return json.dumps(str(value))

"""Form definitions: the fields a web form asks for, read from small YAML files.

The website team owns these files (one per form); c360 answers, for each known person,
which of the form's fields to skip, which to show prefilled, and which to ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import yaml

from resolution._read import SourceFileError
from resolution.activation._known import form_field_actions


@dataclass(frozen=True)
class FormDefinition:
    form_id: str
    title: str
    fields: tuple[str, ...]


def read_form(path: Path) -> FormDefinition:
    """A form definition (``form_id``, optional ``title``, ``fields``: a list of names)."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise SourceFileError(path, f"not a readable YAML form definition: {err}") from err
    if not isinstance(content, dict) or not isinstance(content.get("fields"), list):
        raise SourceFileError(path, "a form definition needs 'form_id' and a 'fields' list")
    fields = [str(name).strip() for name in content["fields"]]
    if not content.get("form_id") or not fields or any(not name for name in fields):
        raise SourceFileError(path, "'form_id' is missing or a field name is empty")
    return FormDefinition(
        form_id=str(content["form_id"]),
        title=str(content.get("title", content["form_id"])),
        fields=tuple(fields),
    )


def read_forms(folder: Path) -> list[FormDefinition]:
    """Every ``*.yaml`` form definition in ``folder`` (none when it does not exist)."""
    return [read_form(path) for path in sorted(folder.glob("*.yaml"))] if folder.is_dir() else []


def form_prefill(
    conn: duckdb.DuckDBPyConnection, known: pl.DataFrame, forms: list[FormDefinition]
) -> pl.DataFrame:
    """For every contact or visitor we know anything about, and every form field: skip,
    prefill or ask.

    ``anonymous_ids`` lists the customer's browser cookies, so the website can look a
    visitor up before they identify themselves.
    """
    cookies = conn.sql(
        "SELECT m.customer_id, list_sort(list(r.anonymous_id)) AS anonymous_ids "
        "FROM identity.identity_records r JOIN identity.identity_map m USING (record_key) "
        "WHERE r.record_key LIKE 'web_cookie:%' GROUP BY m.customer_id"
    ).pl()
    known = known.filter(pl.col("known").any().over("customer_id"))
    frames = [
        form_field_actions(known, list(form.fields)).with_columns(
            pl.lit(form.form_id).alias("form_id")
        )
        for form in forms
    ]
    if not frames:
        return pl.DataFrame(
            schema={
                "form_id": pl.String,
                "customer_id": pl.String,
                "anonymous_ids": pl.List(pl.String),
                "form_field": pl.String,
                "action": pl.String,
                "prefill_value": pl.String,
            }
        )
    return (
        pl.concat(frames)
        .join(cookies, on="customer_id", how="left")
        .select("form_id", "customer_id", "anonymous_ids", "form_field", "action", "prefill_value")
        .sort("form_id", "customer_id", "form_field")
    )

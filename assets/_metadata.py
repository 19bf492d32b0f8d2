"""Metadata helpers shared by all assets, so every asset reports in the same shape."""

from __future__ import annotations

import time

import dagster as dg
import pandera.polars as pa
import polars as pl

OWNERS = ["team:data-engineering"]


def markdown_table(frame: pl.DataFrame, rows: int = 5) -> dg.MetadataValue:
    """A small markdown preview the UI renders inline."""
    with pl.Config(
        tbl_formatting="MARKDOWN",
        tbl_hide_column_data_types=True,
        tbl_hide_dataframe_shape=True,
        tbl_cols=-1,
        tbl_rows=rows,
        fmt_str_lengths=40,
    ):
        return dg.MetadataValue.md(str(frame.head(rows)))


def column_schema(model: type[pa.DataFrameModel], extra: dict[str, str]) -> dg.TableSchema:
    """The table's columns as the pandera model declares them, plus lineage columns."""
    schema = model.to_schema()
    columns = [
        dg.TableColumn(
            name,
            str(column.dtype),
            constraints=dg.TableColumnConstraints(nullable=column.nullable, unique=column.unique),
        )
        for name, column in schema.columns.items()
    ]
    columns += [dg.TableColumn(name, dtype) for name, dtype in extra.items()]
    return dg.TableSchema(columns=columns)


STEP_SECONDS = "step_seconds"
"""Metadata key every asset reports its run time under, so the UI plots it across runs."""


class StepTimer:
    """Wall time of an asset's step, started when the step starts."""

    def __init__(self) -> None:
        self._started = time.perf_counter()

    def metadata(self) -> dict[str, float]:
        return {STEP_SECONDS: round(time.perf_counter() - self._started, 3)}

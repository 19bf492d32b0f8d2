"""Resource types the assets ask for: the only way an asset learns where data lives."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource
from pydantic import Field


class LandingZone(dg.ConfigurableResource):
    """The folder where the source systems drop their exports."""

    path: str = Field(description="Folder holding crm/, web/, email/, social/ and support/.")

    def directory(self) -> Path:
        return Path(self.path)


class Warehouse(DuckDBResource):
    """The embedded DuckDB database c360 writes; its folder is created on first use."""

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self.database != ":memory:":
            Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        with super().get_connection() as conn:
            yield conn


class QualityPolicy(dg.ConfigurableResource):
    """Thresholds the asset checks hold the data to."""

    max_quarantine_rate: float = Field(
        default=0.05, description="Largest share of a source's rows that may be quarantined."
    )

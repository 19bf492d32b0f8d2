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
    max_source_age_days: int = Field(
        default=45,
        description="Oldest a source's newest record may be, in days before the run, before "
        "its freshness check warns.",
    )


class IdentityPolicy(dg.ConfigurableResource):
    """How identity resolution decides, and the limits its checks enforce."""

    match_threshold: float = Field(
        default=0.99, description="Splink match probability at or above which records link."
    )
    max_cluster_size: int = Field(
        default=50, description="A customer with more records than this fails a blocking check."
    )
    ground_truth_dir: str = Field(
        default="",
        description="Folder with ground_truth.csv for generated data; empty for real data.",
    )

    def ground_truth_folder(self) -> Path | None:
        """The answer-key folder, when there is one to score against."""
        folder = Path(self.ground_truth_dir) if self.ground_truth_dir else None
        return folder if folder is not None and (folder / "ground_truth.csv").exists() else None

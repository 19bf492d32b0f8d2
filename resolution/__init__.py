"""The c360 engine: pure functions on polars frames and DuckDB connections.

Nothing here imports Dagster; the assets and the ``c360`` command line both call these
functions, so there is one code path for every step.
"""

from resolution._read import SourceFileError
from resolution._warehouse import QUARANTINE_TABLE, RAW_SCHEMA, stored_row_counts
from resolution.freshness import SourceFreshness, source_freshness
from resolution.ingestion import SOURCE_ROW, IngestionReport, ingest_source
from resolution.sources import SOURCE_TABLES, SourceTable, source_table

__all__ = [
    "QUARANTINE_TABLE",
    "RAW_SCHEMA",
    "SOURCE_ROW",
    "SOURCE_TABLES",
    "IngestionReport",
    "SourceFileError",
    "SourceFreshness",
    "SourceTable",
    "ingest_source",
    "source_freshness",
    "source_table",
    "stored_row_counts",
]

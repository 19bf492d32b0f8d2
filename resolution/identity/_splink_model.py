"""The probabilistic half of identity resolution: a Splink 5 model scored on DuckDB.

Splink sees only the fields that identify a person, already standardised, with shared and
placeholder identifiers removed (an info@ mailbox or a switchboard number says nothing about
who wrote in). The trained model ships as JSON beside this module so a run predicts with a
reviewed model; ``train_model`` re-estimates it (u by random sampling, m by EM on tight
blocking rules, which keeps namesakes from looking like matches as data grows).

Backend-specific code stays in this module: swapping DuckDBAPI for Splink's SparkAPI to run
beyond one machine changes only ``_database_api``.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

MODEL_PATH = Path(__file__).with_name("identity_model.json")
UNIQUE_ID = "record_key"
SPLINK_COLUMNS = [
    UNIQUE_ID,
    "given_name",
    "last_name",
    "email_key",
    "phone",
    "birth_date",
    "postcode",
    "street",
    "company",
]
TERM_FREQUENCY_COLUMNS = ["given_name", "last_name"]
TRAINING_SEED = 360

logging.getLogger("splink").setLevel(logging.WARNING)


def splink_settings() -> SettingsCreator:
    """Comparisons and blocking rules for person records from marketing and sales systems."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=UNIQUE_ID,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("last_name").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email_key"),
            cl.ExactMatch("phone"),
            cl.DateOfBirthComparison("birth_date", input_is_string=False),
            cl.ExactMatch("postcode"),
            cl.JaroWinklerAtThresholds("street", [0.9]),
            cl.JaroWinklerAtThresholds("company", [0.9]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("email_key"),
            block_on("phone"),
            block_on("given_name", "last_name"),
            block_on("last_name", "birth_date"),
            block_on("given_name", "birth_date"),
            block_on("last_name", "postcode"),
            "l.given_name = r.last_name AND l.last_name = r.given_name",
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


@contextmanager
def _database_api() -> Iterator[DuckDBAPI]:
    """A private in-memory DuckDB for Splink's working tables, spilling to a folder we own."""
    with tempfile.TemporaryDirectory(prefix="c360-splink-") as spill:
        conn = duckdb.connect()
        conn.execute("SET temp_directory = ?", [spill])
        conn.execute("SET preserve_insertion_order = false")
        try:
            yield DuckDBAPI(connection=conn)
        finally:
            conn.close()


def _linker(db_api: DuckDBAPI, records: pl.DataFrame, settings: SettingsCreator | Path) -> Linker:
    frame = db_api.register(records.select(SPLINK_COLUMNS), table_name="identity_records")
    settings_input = str(settings) if isinstance(settings, Path) else settings
    return Linker(frame, settings_input)


def train_model(records: pl.DataFrame, model_path: Path = MODEL_PATH) -> Path:
    """Estimate the model on ``records`` and save it as JSON at ``model_path``."""
    with _database_api() as db_api:
        linker = _linker(db_api, records, splink_settings())
        linker.training.estimate_probability_two_random_records_match(
            [block_on("email_key"), block_on("given_name", "last_name", "birth_date")],
            recall=0.8,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=TRAINING_SEED)
        for rule in (
            block_on("given_name", "last_name", "birth_date"),
            block_on("email_key"),
            block_on("phone", "last_name"),
        ):
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, record_sample_proportion=1.0, max_pairs=5e6
            )
        linker.misc.save_model_to_json(str(model_path), overwrite=True)
    return model_path


def predict_links(
    records: pl.DataFrame, threshold_match_probability: float, model_path: Path = MODEL_PATH
) -> pl.DataFrame:
    """Scored candidate pairs at or above the threshold: record keys, weight, probability."""
    with _database_api() as db_api:
        linker = _linker(db_api, records, model_path)
        for column in TERM_FREQUENCY_COLUMNS:
            linker.table_management.compute_tf_table(column)
        predictions = linker.inference.predict(
            threshold_match_probability=threshold_match_probability
        )
        return (
            predictions.as_duckdbpyrelation()
            .select(f"{UNIQUE_ID}_l", f"{UNIQUE_ID}_r", "match_weight", "match_probability")
            .pl()
        )

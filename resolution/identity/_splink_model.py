"""The probabilistic half of identity resolution: a Splink 5 model scored on DuckDB.

Splink sees only the fields that identify a person, already standardised, with shared and
placeholder identifiers removed (an info@ mailbox or a switchboard number says nothing about
who wrote in). The trained model ships as JSON beside this module so a run predicts with a
reviewed model; ``train_model`` re-estimates it (u by random sampling, m by EM on tight
blocking rules, which keeps namesakes from looking like matches as data grows).

Backend-specific code stays in this module: swapping DuckDBAPI for Splink's SparkAPI to run
beyond one machine changes only ``database_api``.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.comparison_level import _default_m_values  # the defaults Splink applies

MODEL_PATH = Path(__file__).with_name("identity_model.json")
TERM_FREQUENCIES_PATH = Path(__file__).with_name("term_frequencies.csv")
TRAINING_POPULATION_PATH = Path(__file__).with_name("training_population.json")
"""How many records the bundled model was trained on: the prior scales with it."""
OWN_FREQUENCIES_FROM = 20_000
"""Below this many records, term frequencies come from the training population: in a small
file every name looks common and an exact name match would count for nothing."""
UNIQUE_ID = "record_key"
SPLINK_COLUMNS = [
    UNIQUE_ID,
    "given_name",
    "last_name",
    "email_key",
    "email_is_freemail",
    "phone",
    "birth_date",
    "postcode",
    "street",
    "company",
    "employer",
    "social_handle",
]
MAILBOX_END = "mailbox_end"
"""A blocking key: the email domain and the mailbox's last three characters
(``arthurkroker19@gmail.com`` -> ``r19@gmail.com``). Computed once per record: as SQL in
the blocking rule it ran for every pair every later rule considers, and cost 4 s at 1M."""
TERM_FREQUENCY_COLUMNS = ["given_name", "last_name", "company"]
TRAINING_SEED = 360
CANDIDATE_PAIR_FLOOR = 0.5
_ONE_INITIAL = "(length(l.last_name) = 1 OR length(r.last_name) = 1)"


def _sides(template: str) -> tuple[str, str]:
    """A SQL expression over ``{side}`` columns, for the left and the right record."""
    return template.format(side="l"), template.format(side="r")


def _email_comparison() -> cl.CustomComparison:
    """Email agreement, with the disagreements that mean different things kept apart.

    A person commonly has a work and a personal address, so a work-vs-personal difference
    says little; two different *personal* (free-mail) addresses, or two mailboxes at the
    same company, are the typical namesake and colleague patterns and weigh against a match.
    A typo is one character added, dropped, changed or swapped in the mailbox, at the same
    domain, that changes its letters but not its digits. Mailboxes that differ only in
    digits or separators (robertbrown / robertbrown2, matthew.green / matthew_green) are
    the names a provider hands to namesakes, and so are look-alike letters with other
    digits (dawnaustin2 / daqwnaustin61) or two edits apart (juleshenry / julie_henry):
    mailboxes are built from names, so namesakes' addresses are alike by construction. At
    a million records, a similarity threshold (Jaro-Winkler 0.95 on the address) made most
    of the wrong Splink links out of such pairs. There is deliberately no
    "same mailbox name at another domain" level: mailbox names are
    mostly built from the person's name (glen.oneill@...), so it would count the name twice
    and merge namesakes at different companies.
    """
    mailbox = "regexp_extract(email_key_{side}, '^[^@]+')"
    domain_l, domain_r = _sides("regexp_extract(email_key_{side}, '@(.+)$', 1)")
    mailbox_l, mailbox_r = _sides(mailbox)
    letters_l, letters_r = _sides(f"regexp_replace({mailbox}, '[^a-z]', '', 'g')")
    digits_l, digits_r = _sides(f"regexp_replace({mailbox}, '[^0-9]', '', 'g')")
    return cl.CustomComparison(
        output_column_name="email_key",
        comparison_description="personal email address (match key)",
        comparison_levels=[
            cll.NullLevel("email_key"),
            cll.ExactMatchLevel("email_key"),
            cll.CustomLevel(
                f"{domain_l} = {domain_r} AND damerau_levenshtein({mailbox_l}, {mailbox_r}) <= 1"
                f" AND {letters_l} <> {letters_r} AND {digits_l} = {digits_r}",
                label_for_charts="Near-identical address (typo)",
            ),
            cll.CustomLevel(
                f"{domain_l} = {domain_r} AND NOT email_is_freemail_l",
                label_for_charts="Same company domain, different mailbox",
            ),
            cll.CustomLevel(
                "email_is_freemail_l AND email_is_freemail_r",
                label_for_charts="Two different personal (free-mail) addresses",
            ),
            cll.ElseLevel(),
        ],
    )


def _last_name_comparison() -> cl.CustomComparison:
    """Last names, with a level for an initial: social display names often read "Carol C."."""
    return cl.CustomComparison(
        output_column_name="last_name",
        comparison_description="last name",
        comparison_levels=[
            cll.NullLevel("last_name"),
            cll.ExactMatchLevel("last_name").configure(tf_adjustment_column="last_name"),
            cll.JaroWinklerLevel("last_name", 0.92),
            cll.JaroWinklerLevel("last_name", 0.88),
            cll.CustomLevel(
                "(length(last_name_l) = 1 OR length(last_name_r) = 1) "
                "AND left(last_name_l, 1) = left(last_name_r, 1)",
                label_for_charts="One side is the other's initial",
            ),
            cll.ElseLevel(),
        ],
    )


def _company_comparison() -> cl.CustomComparison:
    """Stated company names, and a stated name against the other's work email domain.

    ``employer`` is the company a work address names (``jane@hill-media.com`` -> hill
    media). It is compared only with a *stated* company on the other side: two employers
    read from two addresses are the email comparison's business, and counting them here
    again would merge namesake colleagues (alison.smith@ and alison.smith2@ one company).

    An exact match is weighed by how common the company is in the records being resolved
    (term frequency), as names are: the model learnt its weight on a few thousand records,
    where about one random pair in 140 shares a company, while among a million records with
    140,000 companies a shared one is far rarer. Without it the model under-rated every
    pair sharing a company as files grew: at 460,000 people, recall 0.768 -> 0.820 with
    the adjustment, precision 0.9975 -> 0.9974.
    """
    return cl.CustomComparison(
        output_column_name="company",
        comparison_description="company (stated, or named by a work email)",
        comparison_levels=[
            cll.CustomLevel(
                "(company_l IS NULL AND company_r IS NULL) "
                "OR (company_l IS NULL AND employer_l IS NULL) "
                "OR (company_r IS NULL AND employer_r IS NULL)"
            ).configure(is_null_level=True, label_for_charts="No stated company to compare"),
            cll.ExactMatchLevel("company").configure(tf_adjustment_column="company"),
            cll.JaroWinklerLevel("company", 0.9),
            cll.CustomLevel("company_l = employer_r OR employer_l = company_r").configure(
                label_for_charts="Stated company named by the other's work email"
            ),
            cll.ElseLevel(),
        ],
    )


def _social_handle_comparison() -> cl.CustomComparison:
    """The same handle on two platforms, when it carries two digits (``richard.smith64``).

    A handle made only of the name (``woodward.jason``, ``steven_p``) is the one every
    namesake would pick, so it adds nothing the name comparisons have not counted; nor
    does one digit, which is what a platform appends when the name is taken
    (``judith_b2``: the second judith_b on each platform need not be one person).
    """
    return cl.CustomComparison(
        output_column_name="social_handle",
        comparison_description="social handle",
        comparison_levels=[
            cll.NullLevel("social_handle"),
            cll.And(
                cll.ExactMatchLevel("social_handle"),
                cll.CustomLevel("regexp_matches(social_handle_l, '[0-9]{2}')"),
            ).configure(label_for_charts="Same handle, with two digits"),
            cll.ElseLevel(),
        ],
    )


def splink_settings() -> SettingsCreator:
    """Comparisons and blocking rules for person records from marketing and sales systems."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=UNIQUE_ID,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            _last_name_comparison(),
            _email_comparison(),
            cl.ExactMatch("phone"),
            cl.DateOfBirthComparison("birth_date", input_is_string=False),
            cl.ExactMatch("postcode"),
            cl.JaroWinklerAtThresholds("street", [0.9]),
            _company_comparison(),
            _social_handle_comparison(),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("email_key"),
            block_on("phone"),
            block_on("given_name", "last_name"),
            block_on("last_name", "birth_date"),
            block_on("given_name", "birth_date"),
            block_on("last_name", "postcode"),
            # A misspelt last name at the same address (Jacquot / Jsacquot): in a file of
            # names and addresses only, nothing else brings the pair together.
            block_on("given_name", "postcode"),
            block_on("given_name", "street"),
            block_on("social_handle"),
            "l.given_name = r.last_name AND l.last_name = r.given_name",
            # A profile showing only an initial ("Sarah M.") meets its owner through the
            # company; only such pairs, so colleagues with one given name are not all paired.
            *(
                f"l.given_name = r.given_name AND l.{left} = r.{right} AND {_ONE_INITIAL}"
                for left, right in (
                    ("company", "company"),
                    ("company", "employer"),
                    ("employer", "company"),
                )
            ),
            # A mailbox with a typo ("arthukrroker19@" beside "arthurkroker19@") shares
            # no exact key with its owner's other records when the name is cut short or
            # misspelt too. Same given name, same domain and the same last three letters of
            # the mailbox bring most such pairs together. At 1M records the rule adds
            # 312,000 pairs (a prefix or the domain alone would add tens of millions of
            # namesakes' pairs) and 1.4-3 s to a 15 s predict, for recall +0.05-0.15 points
            # at 3,000 people and +0.07 at 30,000.
            block_on("given_name", MAILBOX_END),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


@contextmanager
def database_api() -> Iterator[DuckDBAPI]:
    """A private in-memory DuckDB for Splink's working tables, spilling to a folder we own."""
    with tempfile.TemporaryDirectory(prefix="c360-splink-") as spill:
        conn = duckdb.connect()
        conn.execute("SET temp_directory = ?", [spill])
        conn.execute("SET preserve_insertion_order = false")
        try:
            yield DuckDBAPI(connection=conn)
        finally:
            conn.close()


def splink_input(records: pl.DataFrame) -> pl.DataFrame:
    """The columns Splink compares, and the blocking keys derived from them."""
    return records.select(
        *SPLINK_COLUMNS,
        pl.col("email_key").str.extract(r"(.{0,3}@.*)$").alias(MAILBOX_END),
    )


def linker_for(
    db_api: DuckDBAPI,
    records: pl.DataFrame,
    settings: SettingsCreator | Path,
    table_name: str = "identity_records",
    *,
    explainable: bool = False,
    population: int | None = None,
) -> Linker:
    """A linker over ``records``; ``explainable`` keeps the columns waterfall charts need.

    A saved model's prior is scaled to ``population`` (by default, the records given):
    see ``prior_for``. Explaining a pair of a large run passes the run's record count, so
    the pair scores as it did in the run.
    """
    frame = db_api.register(splink_input(records), table_name=table_name)
    if isinstance(settings, Path):
        loaded = json.loads(settings.read_text())
        loaded["probability_two_random_records_match"] = prior_for(
            loaded["probability_two_random_records_match"],
            population if population is not None else records.height,
            settings,
        )
        if explainable:
            loaded |= {
                "retain_intermediate_calculation_columns": True,
                "retain_matching_columns": True,
            }
        return Linker(frame, loaded, log_level=logging.WARNING)
    return Linker(frame, settings, log_level=logging.WARNING)


def prior_for(trained_prior: float, population: int, model_path: Path = MODEL_PATH) -> float:
    """The chance two random records match, for a population of ``population`` records.

    Each person has a handful of records whatever the population, so true pairs grow like
    N while all pairs grow like N squared: the prior falls as 1/N. Trained on a few
    thousand records and applied unchanged to a million, it would overstate every match
    about 200-fold and merge namesakes; applied to fewer records than it was trained on it
    is kept, never raised.
    """
    trained_on = _training_population(model_path)
    if trained_on is None or population <= trained_on:
        return trained_prior
    return trained_prior * trained_on / population


def _training_population(model_path: Path) -> int | None:
    path = model_path.with_name(TRAINING_POPULATION_PATH.name)
    return int(json.loads(path.read_text())["records"]) if path.exists() else None


def train_model(records: pl.DataFrame, model_path: Path = MODEL_PATH) -> Path:
    """Estimate the model on ``records`` and save it as JSON at ``model_path``."""
    with database_api() as db_api:
        linker = linker_for(db_api, records, splink_settings())
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
        _with_unobserved_m_values(model_path)
        _term_frequencies(records).write_csv(model_path.with_name(TERM_FREQUENCIES_PATH.name))
        model_path.with_name(TRAINING_POPULATION_PATH.name).write_text(
            json.dumps({"records": records.height}) + "\n"
        )
    return model_path


def _with_unobserved_m_values(model_path: Path) -> None:
    """Write Splink's default m for levels no training match ever reached.

    True matches in the training data never show two birth dates a month apart or two
    different postcodes, so EM leaves those levels' m empty and Splink falls back on its
    default (0.95 for the exact level, the rest shared equally) at every prediction, with a
    warning each time. Writing the same values into the model keeps the scores identical
    and makes the file say what the model does.
    """
    model = json.loads(model_path.read_text())
    for comparison in model["comparisons"]:
        levels = [
            level for level in comparison["comparison_levels"] if not level.get("is_null_level")
        ]
        defaults = _default_m_values(len(levels))[::-1]  # Splink's order: else level last
        for level, default in zip(levels, defaults, strict=True):
            if level.get("m_probability") is None:
                level["m_probability"] = default
    model_path.write_text(json.dumps(model, indent=4) + "\n")


def _term_frequencies(records: pl.DataFrame) -> pl.DataFrame:
    """Term frequencies of the name and company columns, long format: column, value,
    frequency."""
    parts = [
        records.get_column(column)
        .drop_nulls()
        .value_counts(normalize=True, name="frequency")
        .select(pl.lit(column).alias("column"), pl.col(column).alias("value"), "frequency")
        for column in TERM_FREQUENCY_COLUMNS
    ]
    return pl.concat(parts).sort("column", "value")


def term_frequencies(records: pl.DataFrame, model_path: Path = MODEL_PATH) -> pl.DataFrame:
    """The term frequencies to score ``records`` with: their own, or the training population's."""
    reference = model_path.with_name(TERM_FREQUENCIES_PATH.name)
    if records.height >= OWN_FREQUENCIES_FROM or not reference.exists():
        return _term_frequencies(records)
    return pl.read_csv(reference, schema_overrides={"value": pl.String})


def use_term_frequencies(linker: Linker, db_api: DuckDBAPI, frequencies: pl.DataFrame) -> None:
    """Make ``linker`` score exact name and company matches with ``frequencies``."""
    for column in TERM_FREQUENCY_COLUMNS:
        lookup = frequencies.filter(pl.col("column") == column).select(
            pl.col("value").alias(column), pl.col("frequency").alias(f"tf_{column}")
        )
        table = db_api.register(lookup, table_name=f"tf_{column}_{id(linker)}")
        linker.table_management.register_term_frequency_lookup(table, column)


def predict_links(
    records: pl.DataFrame,
    model_path: Path = MODEL_PATH,
    floor: float = CANDIDATE_PAIR_FLOOR,
) -> pl.DataFrame:
    """Candidate pairs the blocking rules find, with match weight and probability.

    Splink scores every blocked pair; pairs below ``floor`` are dropped before they leave
    DuckDB: at 1M records they are most of the ~5M pairs, say only "no", and moving them
    out cost about a third of Splink's own predict time. The pairs kept between the floor
    and the match threshold are the near misses worth reviewing; a caller with no use for
    them (``c360 resolve``) passes the match threshold itself as the floor.
    """
    with database_api() as db_api:
        linker = linker_for(db_api, records, model_path)
        use_term_frequencies(linker, db_api, term_frequencies(records, model_path))
        predictions = linker.inference.predict(threshold_match_probability=floor)
        return (
            predictions.as_duckdbpyrelation()
            .select(f"{UNIQUE_ID}_l", f"{UNIQUE_ID}_r", "match_weight", "match_probability")
            .pl()
        )

"""Ground truth: which person every record is about, who the people are, and which
pairs of different people look alike on purpose (hard negatives).

Resolution quality is measured against these files, so they are derived from the same
arrays the sources were rendered from, never re-inferred from the noisy exports.
"""

import numpy as np
import polars as pl

from synthetic._common import Table, build_frame, iso_dates
from synthetic._noise import format_phone
from synthetic._population import Population
from synthetic._vocab import DAY


def ground_truth(tables: list[Table], pop: Population) -> pl.DataFrame:
    """source_table, record_id, person_id for every record that is about a person.

    Must run before invalid rows are injected: a record whose id is later blanked out is
    listed under the id it was generated with.
    """
    parts = []
    for table in tables:
        about_person = table.person >= 0
        parts.append(
            pl.DataFrame(
                {
                    "source_table": pl.Series(
                        [table.name] * int(about_person.sum()), dtype=pl.String
                    ),
                    "record_id": table.ids.filter(pl.Series(about_person)),
                    "person_id": pl.Series(
                        pop.person_id[table.person[about_person]].tolist(), dtype=pl.String
                    ),
                }
            )
        )
    return pl.concat(parts)


def persons(pop: Population) -> pl.DataFrame:
    """Each person's true, current attributes (phone in E.164)."""
    company = np.maximum(pop.company, 0)
    twin = pop.twin_of >= 0
    return build_frame(
        {
            "person_id": pop.person_id,
            "first_name": pop.first_name,
            "last_name": pop.last_name,
            "birth_date": iso_dates(pop.birth_date * DAY),
            "personal_email": pop.personal_email,
            "work_email": pop.work_email,
            "phone": np.array([format_phone(p, 0) for p in pop.main_phone], dtype=object),
            "street": pop.street,
            "city": pop.city,
            "postcode": pop.postcode,
            "country": pop.country,
            "account_id": np.where(pop.company >= 0, pop.companies.account_id[company], None),
            "household_id": pop.household_id,
            "twin_of": np.where(twin, pop.person_id[np.maximum(pop.twin_of, 0)], None),
        }
    )


def hard_negatives(pop: Population) -> pl.DataFrame:
    """Pairs of different people that share what usually identifies one person.

    family: same household (last name, street, landline); twin: also the same birth date;
    colleague_shared_inbox: both use the same role mailbox; namesake: same full name.
    """
    found = hard_negative_pairs(pop)
    return build_frame(
        {
            "person_id_a": pop.person_id[found.get_column("a").to_numpy()],
            "person_id_b": pop.person_id[found.get_column("b").to_numpy()],
            "relation": found.get_column("relation"),
        }
    )


def hard_negative_pairs(pop: Population) -> pl.DataFrame:
    """The hard negatives as person indices ``a < b`` with their ``relation``, sorted."""
    people = pl.DataFrame(
        {
            "a": np.arange(pop.size),
            "household": pop.household,
            "twin_of": pop.twin_of,
            "role_email": pl.Series(pop.role_email.tolist(), dtype=pl.String),
            "name": pl.Series((pop.first_name + " " + pop.last_name).tolist(), dtype=pl.String),
        }
    )
    pairs = []
    for key, relation in (
        ("household", None),
        ("role_email", "colleague_shared_inbox"),
        ("name", "namesake"),
    ):
        joined = (
            people.filter(pl.col(key).is_not_null())
            .join(people.select(pl.col(key), pl.col("a").alias("b")), on=key)
            .filter(pl.col("a") < pl.col("b"))
        )
        label = (
            pl.when(pl.col("twin_of") == pl.col("b"))
            .then(pl.lit("twin"))
            .otherwise(pl.lit("family"))
            if relation is None
            else pl.lit(relation)
        )
        pairs.append(joined.select("a", "b", label.alias("relation")))
    return pl.concat(pairs).unique().sort("relation", "a", "b")

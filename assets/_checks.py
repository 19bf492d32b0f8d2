"""Check results shared by all assets, so every schema check reads the same in the UI."""

import dagster as dg
import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaErrors

from resolution import SourceFileError


def schema_check(
    name: str,
    pairs: list[tuple[type[pa.DataFrameModel], pl.DataFrame]],
    asset_key: dg.AssetKey | None = None,
) -> dg.AssetCheckResult:
    """Validate each frame against its model; the check fails on any failure case.

    The metadata names the first failing columns, checks and values, so the engineer sees
    which rows and why without opening the logs.
    """
    failures: dict[str, str] = {}
    failing_rows = 0
    for model, frame in pairs:
        try:
            model.validate(frame, lazy=True)
        except SchemaErrors as err:
            cases = err.failure_cases
            failing_rows += cases.height
            failures[model.__name__] = str(
                cases.select("column", "check", "failure_case").head(5).rows()
            )
    return dg.AssetCheckResult(
        check_name=name,
        asset_key=asset_key,
        passed=failing_rows == 0,
        metadata={"failure_cases": failing_rows, **failures},
    )


def unusable_file(consequence: str, err: SourceFileError) -> dg.Failure:
    """The step failure for a file c360 cannot use: what did not happen, which file, why.

    The file is a clickable path in the UI and the problem is kept as its own field, so
    the engineer sees the fix without opening the logs.
    """
    return dg.Failure(
        description=f"{consequence}: {err}",
        metadata={"file": dg.MetadataValue.path(str(err.path)), "problem": err.problem},
    )

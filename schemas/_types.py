"""Types and the base model every output table shares; declarations only."""

from typing import Annotated

import pandera.polars as pa
import polars as pl

UtcTimestamp = Annotated[pl.Datetime, "us", "UTC"]
CUSTOMER_ID = r"^C[0-9A-F]{15}$"
"""The shape of a customer id (``resolution.identity`` derives it from content)."""


class OutputModel(pa.DataFrameModel):
    """Tables c360 writes: exactly these columns, values coerced to the declared types."""

    class Config:
        strict = True
        coerce = True

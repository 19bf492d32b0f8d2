"""Tables the reports keep: one headline row per resolution quality report.

The history is what turns a single report into a trend: a drop in match rate or precision,
or a jump in quarantined rows, is only visible against earlier runs, so every row must
carry the same numbers under the same names.
"""

import pandera.polars as pa

from schemas._types import UtcTimestamp


class ResolutionQualityHistory(pa.DataFrameModel):
    """Headline numbers of one resolution quality report (reports.resolution_quality_history)."""

    run_at: UtcTimestamp = pa.Field()
    records: int = pa.Field(ge=0)
    customers: int = pa.Field(ge=0)
    match_rate: float = pa.Field(ge=0, le=1)
    largest_customer_records: int = pa.Field(ge=0)
    quarantined_rows: int = pa.Field(ge=0)
    pairwise_precision: float = pa.Field(nullable=True, ge=0, le=1)
    pairwise_recall: float = pa.Field(nullable=True, ge=0, le=1)

    class Config:
        strict = True
        coerce = False

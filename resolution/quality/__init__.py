"""The resolution quality report: one offline HTML page on how identity resolution did.

Public surface; the implementation lives in the private modules beside this file.
"""

from resolution.quality._charts import chart_libraries
from resolution.quality._page import CHART_CLASS, ReportAudit, audit_report
from resolution.quality._report import (
    DEFAULT_CUSTOMERS_LISTED,
    REPORT_FILE,
    STUDIO_FOLDER,
    QualityReport,
    write_quality_report,
)
from resolution.quality._tables import (
    HISTORY_TABLE,
    REDUNDANT_REQUESTS_COLUMNS,
    REDUNDANT_REQUESTS_TABLE,
)

__all__ = [
    "CHART_CLASS",
    "DEFAULT_CUSTOMERS_LISTED",
    "HISTORY_TABLE",
    "REDUNDANT_REQUESTS_COLUMNS",
    "REDUNDANT_REQUESTS_TABLE",
    "REPORT_FILE",
    "STUDIO_FOLDER",
    "QualityReport",
    "ReportAudit",
    "audit_report",
    "chart_libraries",
    "write_quality_report",
]

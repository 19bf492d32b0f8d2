"""Thin Dagster wrappers around ``resolution``: read through a resource, call, report."""

from assets.activation import ACTIVATION_ASSETS
from assets.exports import EXPORT_ASSETS
from assets.identity import identity_map, identity_records
from assets.ingestion import RAW_ASSETS
from assets.profile import customer_profiles, erased_customers_asset
from assets.publishing import marketing_database
from assets.quality import resolution_quality_report

IDENTITY_ASSETS = [identity_records, identity_map]
REPORT_ASSETS = [resolution_quality_report]
PROFILE_ASSETS = [erased_customers_asset, customer_profiles]
PUBLISHING_ASSETS = [marketing_database]

__all__ = [
    "ACTIVATION_ASSETS",
    "EXPORT_ASSETS",
    "IDENTITY_ASSETS",
    "PROFILE_ASSETS",
    "PUBLISHING_ASSETS",
    "RAW_ASSETS",
    "REPORT_ASSETS",
]

"""Thin Dagster wrappers around ``resolution``: read through a resource, call, report."""

from assets.identity import identity_map, identity_records
from assets.ingestion import RAW_ASSETS
from assets.profile import customer_profiles, erased_customers_asset, marketing_database
from assets.quality import resolution_quality_report

IDENTITY_ASSETS = [identity_records, identity_map]
REPORT_ASSETS = [resolution_quality_report]
PROFILE_ASSETS = [erased_customers_asset, customer_profiles, marketing_database]

__all__ = ["IDENTITY_ASSETS", "PROFILE_ASSETS", "RAW_ASSETS", "REPORT_ASSETS"]

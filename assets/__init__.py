"""Thin Dagster wrappers around ``resolution``: read through a resource, call, report."""

from assets.identity import identity_map, identity_records
from assets.ingestion import RAW_ASSETS

IDENTITY_ASSETS = [identity_records, identity_map]

__all__ = ["IDENTITY_ASSETS", "RAW_ASSETS"]

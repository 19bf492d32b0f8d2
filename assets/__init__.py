"""Thin Dagster wrappers around ``resolution``: read through a resource, call, report."""

from assets.ingestion import RAW_ASSETS

__all__ = ["RAW_ASSETS"]

"""Resources built from the settings file, under the keys the assets ask for."""

from __future__ import annotations

import dagster as dg

from assets.resources import IdentityPolicy, LandingZone, QualityPolicy, Warehouse
from pipelines.settings import Settings


def build_resources(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    """Resources for a settings file, under the keys the assets ask for."""
    return {
        "landing": LandingZone(path=str(settings.landing_dir)),
        "warehouse": Warehouse(database=str(settings.warehouse)),
        "quality": QualityPolicy(
            max_quarantine_rate=settings.max_quarantine_rate,
            max_source_age_days=settings.max_source_age_days,
        ),
        "identity": IdentityPolicy(
            match_threshold=settings.match_threshold,
            max_cluster_size=settings.max_cluster_size,
            ground_truth_dir=str(settings.ground_truth_dir),
        ),
    }

"""Load ``c360.toml``, the one settings file, into typed values with absolute paths."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Imported where the policies are built instead: `c360 resolve` then starts without
    # loading the profile, activation and export code (0.8 s of a 1M-record run).
    from resolution.activation import ActivationPolicy
    from resolution.exports import AudiencePolicy
    from resolution.profile import ProfilePolicy

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETTINGS_FILE = PROJECT_ROOT / "c360.toml"
SETTINGS_ENV_VAR = "C360_SETTINGS"


def settings_file() -> Path:
    """The settings file the code location loads: ``$C360_SETTINGS``, else ``c360.toml``.

    Read when called, not at import, so `dg dev` or a test can point one process at its own
    settings (and so its own warehouse) without editing the bundled file.
    """
    named = os.environ.get(SETTINGS_ENV_VAR, "")
    return Path(named) if named else DEFAULT_SETTINGS_FILE


@dataclass(frozen=True)
class Settings:
    """Where c360 reads and writes, and the thresholds its checks enforce."""

    landing_dir: Path
    ground_truth_dir: Path
    warehouse: Path
    max_quarantine_rate: float
    match_threshold: float
    name_only_threshold: float
    name_and_company_threshold: float
    two_holders_threshold: float
    max_personal_emails: int
    max_cluster_size: int
    reports_dir: Path
    published_database: Path
    exports_dir: Path
    erasure_list: Path
    max_source_age_days: int
    daily_run_cron: str
    schedule_timezone: str
    landing_settle_seconds: int
    profile: ProfilePolicy
    activation: ActivationPolicy
    forms_dir: Path
    audiences: tuple[AudiencePolicy, ...]


def load_settings(path: Path = DEFAULT_SETTINGS_FILE) -> Settings:
    """Read a settings file; relative paths in it are relative to the file itself."""
    from resolution.activation import ActivationPolicy

    if not path.exists():
        raise FileNotFoundError(f"settings file not found: {path}")
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    base = path.resolve().parent
    try:
        paths, ingestion, identity = raw["paths"], raw["ingestion"], raw["identity"]
        orchestration = raw["orchestration"]
        return Settings(
            landing_dir=base / paths["landing_dir"],
            ground_truth_dir=base / paths["ground_truth_dir"],
            warehouse=base / paths["warehouse"],
            max_quarantine_rate=float(ingestion["max_quarantine_rate"]),
            match_threshold=float(identity["match_threshold"]),
            name_only_threshold=float(identity["name_only_threshold"]),
            name_and_company_threshold=float(identity["name_and_company_threshold"]),
            two_holders_threshold=float(identity["two_holders_threshold"]),
            max_personal_emails=int(identity["max_personal_emails"]),
            max_cluster_size=int(identity["max_cluster_size"]),
            reports_dir=base / paths["reports_dir"],
            published_database=base / paths["published_database"],
            exports_dir=base / paths["exports_dir"],
            erasure_list=base / paths["erasure_list"],
            max_source_age_days=int(ingestion["max_source_age_days"]),
            daily_run_cron=str(orchestration["daily_run_cron"]),
            schedule_timezone=str(orchestration["schedule_timezone"]),
            landing_settle_seconds=int(orchestration["landing_settle_seconds"]),
            profile=_profile_policy(path, raw["survivorship"], raw["lifecycle"]),
            activation=ActivationPolicy(
                require_opt_in=bool(raw["activation"]["require_opt_in"]),
                known_field_max_age_days=int(raw["activation"]["known_field_max_age_days"]),
                engagement_window_days=int(raw["activation"]["engagement_window_days"]),
                topic_half_life_days=int(raw["activation"]["topic_half_life_days"]),
                urgent_ticket_priorities=tuple(raw["activation"]["urgent_ticket_priorities"]),
            ),
            forms_dir=base / raw["activation"]["forms_dir"],
            audiences=_audiences(path, raw["audiences"]),
        )
    except KeyError as err:
        raise KeyError(f"{path}: missing setting {err}") from err


def _profile_policy(path: Path, survivorship: dict, lifecycle: dict) -> ProfilePolicy:
    """The ``[survivorship]`` and ``[lifecycle]`` sections; bad rules name the file."""
    from resolution.profile import LifecyclePolicy, ProfilePolicy, SurvivorshipPolicy

    try:
        return ProfilePolicy(
            survivorship=SurvivorshipPolicy(
                trust_order=tuple(survivorship["trust_order"]),
                default_rules=tuple(survivorship["default_rules"]),
                field_rules={k: tuple(v) for k, v in survivorship.get("field_rules", {}).items()},
                field_trust_order={
                    k: tuple(v) for k, v in survivorship.get("field_trust_order", {}).items()
                },
            ),
            lifecycle=LifecyclePolicy(
                subscriber_forms=tuple(lifecycle["subscriber_forms"]),
                marketing_qualified_forms=tuple(lifecycle["marketing_qualified_forms"]),
                marketing_qualified_email_clicks=int(lifecycle["marketing_qualified_email_clicks"]),
            ),
        )
    except ValueError as err:
        raise ValueError(f"{path}: {err}") from err


def _audiences(path: Path, audiences: dict) -> tuple[AudiencePolicy, ...]:
    """The ``[audiences]`` section; an unknown list or field names the file and the field."""
    from resolution.exports import audience_policies

    try:
        return audience_policies(audiences)
    except ValueError as err:
        raise ValueError(f"{path}: {err}") from err

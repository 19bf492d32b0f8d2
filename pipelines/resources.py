"""Resources built from the settings file, under the keys the assets ask for."""

from __future__ import annotations

import os

import dagster as dg

from assets.resources import (
    ActivationRules,
    AudienceFields,
    ExportsFolder,
    Governance,
    IdentityPolicy,
    LandingZone,
    ProfileRules,
    PublishedDatabase,
    QualityPolicy,
    ReportsFolder,
    Warehouse,
)
from pipelines.settings import Settings

_SALT_VARIABLE = "C360_ERASURE_SALT"


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
            name_only_threshold=settings.name_only_threshold,
            name_and_company_threshold=settings.name_and_company_threshold,
            two_holders_threshold=settings.two_holders_threshold,
            max_personal_emails=settings.max_personal_emails,
            max_cluster_size=settings.max_cluster_size,
            ground_truth_dir=str(settings.ground_truth_dir),
        ),
        "profile_rules": _profile_rules(settings),
        "governance": Governance(
            erasure_list=str(settings.erasure_list),
            # EnvVar keeps the secret out of the UI; unset, a per-warehouse salt is used.
            erasure_salt=dg.EnvVar(_SALT_VARIABLE) if _SALT_VARIABLE in os.environ else "",
        ),
        "published": PublishedDatabase(path=str(settings.published_database)),
        "activation_rules": ActivationRules(
            require_opt_in=settings.activation.require_opt_in,
            known_field_max_age_days=settings.activation.known_field_max_age_days,
            engagement_window_days=settings.activation.engagement_window_days,
            topic_half_life_days=settings.activation.topic_half_life_days,
            urgent_ticket_priorities=list(settings.activation.urgent_ticket_priorities),
            forms_dir=str(settings.forms_dir),
        ),
        "reports": ReportsFolder(path=str(settings.reports_dir)),
        "exports": ExportsFolder(
            path=str(settings.exports_dir),
            audiences={
                policy.name: AudienceFields(
                    contact_fields=list(policy.allowed("contacts")),
                    account_fields=list(policy.allowed("accounts")),
                    feed_fields=list(policy.allowed("feed")),
                    form_prefill_fields=list(policy.allowed("form_prefill")),
                )
                for policy in settings.audiences
            },
        ),
    }


def _profile_rules(settings: Settings) -> ProfileRules:
    survivorship, lifecycle = settings.profile.survivorship, settings.profile.lifecycle
    return ProfileRules(
        trust_order=list(survivorship.trust_order),
        default_rules=list(survivorship.default_rules),
        field_rules={k: list(v) for k, v in survivorship.field_rules.items()},
        field_trust_order={k: list(v) for k, v in survivorship.field_trust_order.items()},
        subscriber_forms=list(lifecycle.subscriber_forms),
        marketing_qualified_forms=list(lifecycle.marketing_qualified_forms),
        marketing_qualified_email_clicks=lifecycle.marketing_qualified_email_clicks,
    )

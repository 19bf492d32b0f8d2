"""The business rules a profile is built by, as data: survivorship and lifecycle.

They live in ``c360.toml`` (``[survivorship]``, ``[lifecycle]``) and reach this package as
these frozen objects, so changing which source wins a field, or what makes someone a
marketing-qualified lead, is a settings change with no code change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from schemas.profile import STAGES

SOURCE_SYSTEMS = ("crm", "support", "email", "web", "social")

PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "postal_address",
    "country",
    "company",
    "job_title",
    "birth_date",
)
"""Fields chosen by survivorship. ``postal_address`` is street, city and postcode taken
together from one record, so a profile never mixes one source's street with another's city."""

SURVIVORSHIP_RULES = ("valid", "trust", "recent", "agreement")
"""How candidate values are told apart, tried in the order a field lists them:
``valid`` a value that passed validation (a deliverable personal email, an unshared phone, a
complete address) beats one that did not; ``trust`` the more trusted source system wins;
``recent`` the most recently observed value wins; ``agreement`` the value most of the
customer's records carry wins."""

LIFECYCLE_STAGES = tuple(STAGES)
"""Lowest to highest. A customer moves up when dated evidence reaches a higher stage and
never moves down, except that ``churned`` follows ``customer`` when every product ended."""


@dataclass(frozen=True)
class SurvivorshipPolicy:
    """Which source's value becomes the profile's, field by field."""

    trust_order: Sequence[str] = SOURCE_SYSTEMS
    default_rules: Sequence[str] = ("valid", "trust", "recent")
    field_rules: Mapping[str, Sequence[str]] = field(default_factory=dict)
    field_trust_order: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown_fields = (set(self.field_rules) | set(self.field_trust_order)) - set(PROFILE_FIELDS)
        if unknown_fields:
            raise ValueError(
                f"survivorship: unknown profile field(s) {sorted(unknown_fields)}; "
                f"fields are {list(PROFILE_FIELDS)}"
            )
        for name, rules in {"default_rules": self.default_rules, **self.field_rules}.items():
            unknown = set(rules) - set(SURVIVORSHIP_RULES)
            if unknown or not rules:
                raise ValueError(
                    f"survivorship: {name} = {list(rules)}; each rule must be one of "
                    f"{list(SURVIVORSHIP_RULES)} and at least one is needed"
                )
        for name, order in {"trust_order": self.trust_order, **self.field_trust_order}.items():
            if sorted(order) != sorted(SOURCE_SYSTEMS):
                raise ValueError(
                    f"survivorship: {name} = {list(order)} must list each source system once: "
                    f"{list(SOURCE_SYSTEMS)}"
                )

    def rules_for(self, profile_field: str) -> Sequence[str]:
        return self.field_rules.get(profile_field, self.default_rules)

    def trust_order_for(self, profile_field: str) -> Sequence[str]:
        return self.field_trust_order.get(profile_field, self.trust_order)


@dataclass(frozen=True)
class LifecyclePolicy:
    """What evidence moves a customer to a lifecycle stage (see ``LIFECYCLE_STAGES``)."""

    subscriber_forms: Sequence[str] = ("newsletter_signup",)
    marketing_qualified_forms: Sequence[str] = ("demo_request", "trial_signup")
    marketing_qualified_email_clicks: int = 3


@dataclass(frozen=True)
class ProfilePolicy:
    """Everything the profile build needs to know beyond the data."""

    survivorship: SurvivorshipPolicy = SurvivorshipPolicy()
    lifecycle: LifecyclePolicy = LifecyclePolicy()

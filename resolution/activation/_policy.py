"""Activation rules as data (``[activation]`` in c360.toml)."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.activation import FIELDS

KNOWABLE_FIELDS = tuple(FIELDS)
"""Fields a form or an agent may ask for that the profile can already hold."""

REQUESTED_FIELD_NAMES = {"address": "postal_address"}
"""Names forms and tickets use for a profile field, where they differ from the profile's."""

MARKETING_CHANNELS = ("email", "web", "social")


@dataclass(frozen=True)
class ActivationPolicy:
    """Who may be contacted, and how old a known value may be before it is asked again."""

    require_opt_in: bool = True
    known_field_max_age_days: int = 365
    engagement_window_days: int = 180
    topic_half_life_days: int = 60
    urgent_ticket_priorities: tuple[str, ...] = ("urgent",)

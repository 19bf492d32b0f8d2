"""Activation: who may be contacted and how, what we already know, what we asked again.

Reads the profile tables (``profile`` schema) and the raw requests; never Dagster. The
assets and the ``c360 known-fields`` command call these functions.
"""

from resolution.activation._feed import personalization_feed, suppressions
from resolution.activation._forms import FormDefinition, form_prefill, read_form, read_forms
from resolution.activation._known import form_field_actions, known_fields
from resolution.activation._policy import (
    KNOWABLE_FIELDS,
    REQUESTED_FIELD_NAMES,
    ActivationPolicy,
)
from resolution.activation._redundant import redundant_request_counts, redundant_requests
from resolution.activation._store import (
    ACTIVATION_SCHEMA,
    ACTIVATION_TABLE_DESCRIPTIONS,
    write_activation_table,
)

__all__ = [
    "ACTIVATION_SCHEMA",
    "ACTIVATION_TABLE_DESCRIPTIONS",
    "KNOWABLE_FIELDS",
    "REQUESTED_FIELD_NAMES",
    "ActivationPolicy",
    "FormDefinition",
    "form_prefill",
    "form_field_actions",
    "known_fields",
    "personalization_feed",
    "read_form",
    "read_forms",
    "redundant_request_counts",
    "redundant_requests",
    "suppressions",
    "write_activation_table",
]

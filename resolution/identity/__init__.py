"""Identity resolution: standardised records, links, guarded clusters, stable customer ids.

Public surface; the implementation lives in the private modules beside this file.
"""

from resolution.identity._ceiling import name_evidence_recall_ceiling
from resolution.identity._evaluate import (
    ResolutionScores,
    identified_records,
    record_truth,
    score_against_ground_truth,
    score_identity_map,
)
from resolution.identity._ids import dangling_customer_ids
from resolution.identity._links import flag_shared_identifiers, mask_shared_identifiers
from resolution.identity._metrics import (
    cluster_size_histogram,
    flagged_customers,
    resolution_metrics,
)
from resolution.identity._records import (
    IdentitySources,
    read_identity_sources,
    read_raw_identity_records,
    standardise_records,
)
from resolution.identity._resolve import (
    DEFAULT_MATCH_THRESHOLD,
    DEFAULT_NAME_AND_COMPANY_THRESHOLD,
    DEFAULT_NAME_ONLY_THRESHOLD,
    DEFAULT_TWO_HOLDERS_THRESHOLD,
    IdentityResolution,
    resolve_records,
)
from resolution.identity._splink_model import MODEL_PATH, train_model
from resolution.identity._standalone import (
    CANONICAL_COLUMNS,
    ResolvedContacts,
    contacts_as_raw_records,
    model_fits,
    read_contacts_file,
    resolve_contacts,
)
from resolution.identity._store import (
    IDENTITY_SCHEMA,
    read_customer_id_history,
    read_identity_sources_table,
    read_previous_identity_map,
    write_identity_sources,
    write_identity_tables,
)

__all__ = [
    "CANONICAL_COLUMNS",
    "DEFAULT_MATCH_THRESHOLD",
    "DEFAULT_NAME_AND_COMPANY_THRESHOLD",
    "DEFAULT_NAME_ONLY_THRESHOLD",
    "DEFAULT_TWO_HOLDERS_THRESHOLD",
    "IDENTITY_SCHEMA",
    "MODEL_PATH",
    "IdentityResolution",
    "IdentitySources",
    "ResolutionScores",
    "ResolvedContacts",
    "cluster_size_histogram",
    "contacts_as_raw_records",
    "dangling_customer_ids",
    "flag_shared_identifiers",
    "flagged_customers",
    "mask_shared_identifiers",
    "name_evidence_recall_ceiling",
    "model_fits",
    "read_contacts_file",
    "resolve_contacts",
    "identified_records",
    "read_customer_id_history",
    "read_identity_sources",
    "read_identity_sources_table",
    "read_raw_identity_records",
    "read_previous_identity_map",
    "record_truth",
    "resolution_metrics",
    "resolve_records",
    "score_against_ground_truth",
    "score_identity_map",
    "standardise_records",
    "train_model",
    "write_identity_sources",
    "write_identity_tables",
]

"""Account-context exports for sales, support and marketing, governed per audience.

Reads the profile and activation tables; never Dagster. Each audience gets only the
fields ``[audiences]`` in c360.toml lists for it, as JSONL, CSV (safe against formula
injection) and, with account fields, one escaped HTML page per account, all in a folder
swapped in atomically once every file passed its schema and the audit of what it shows.
"""

from resolution.exports._folder import CURRENT, VERSIONS
from resolution.exports._policy import AudiencePolicy, audience_policies
from resolution.exports._render import neutralise_cell
from resolution.exports._write import ExportRun, export_account_context

__all__ = [
    "CURRENT",
    "VERSIONS",
    "AudiencePolicy",
    "ExportRun",
    "audience_policies",
    "export_account_context",
    "neutralise_cell",
]

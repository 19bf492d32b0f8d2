"""Resource types the assets ask for: the only way an asset learns where data lives."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource
from pydantic import Field

from resolution.activation import ActivationPolicy
from resolution.exports import AudiencePolicy, audience_policies
from resolution.profile import LifecyclePolicy, ProfilePolicy, SurvivorshipPolicy


class LandingZone(dg.ConfigurableResource):
    """The folder where the source systems drop their exports."""

    path: str = Field(description="Folder holding crm/, web/, email/, social/ and support/.")

    def directory(self) -> Path:
        return Path(self.path)


class Warehouse(DuckDBResource):
    """The embedded DuckDB database c360 writes; its folder is created on first use."""

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self.database != ":memory:":
            Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        with super().get_connection() as conn:
            yield conn


class QualityPolicy(dg.ConfigurableResource):
    """Thresholds the asset checks hold the data to."""

    max_quarantine_rate: float = Field(
        default=0.05, description="Largest share of a source's rows that may be quarantined."
    )
    max_source_age_days: int = Field(
        default=45,
        description="Oldest a source's newest record may be, in days before the run, before "
        "its freshness check warns.",
    )


class IdentityPolicy(dg.ConfigurableResource):
    """How identity resolution decides, and the limits its checks enforce."""

    match_threshold: float = Field(
        default=0.995, description="Splink match probability at or above which records link."
    )
    name_only_threshold: float = Field(
        default=0.5,
        description="Splink probability at which a customer known only by a name joins the "
        "one other customer with that name (1.0: never, nor by an initial or a misspelt name).",
    )
    name_and_company_threshold: float = Field(
        default=0.96,
        description="Splink probability at which two records with one full name at one "
        "company link (below match_threshold; 1.0: never).",
    )
    two_holders_threshold: float = Field(
        default=0.9,
        description="Splink probability at which the only two customers with one full name "
        "link, when nothing they hold conflicts (1.0: never).",
    )
    max_personal_emails: int = Field(
        default=4,
        description="A link that would give one customer more different personal email "
        "addresses than this is refused.",
    )
    max_cluster_size: int = Field(
        default=50, description="A customer with more records than this fails a blocking check."
    )
    ground_truth_dir: str = Field(
        default="",
        description="Folder with ground_truth.csv for generated data; empty for real data.",
    )

    def ground_truth_folder(self) -> Path | None:
        """The answer-key folder, when there is one to score against."""
        folder = Path(self.ground_truth_dir) if self.ground_truth_dir else None
        return folder if folder is not None and (folder / "ground_truth.csv").exists() else None


class ProfileRules(dg.ConfigurableResource):
    """Survivorship and lifecycle rules (``[survivorship]`` and ``[lifecycle]`` in c360.toml).

    Editable per run in the launchpad, so a new trust order can be tried without a deploy.
    """

    trust_order: list[str] = Field(description="Source systems, most trusted first.")
    default_rules: list[str] = Field(description="Survivorship rules for fields not listed.")
    field_rules: dict[str, list[str]] = Field(default={}, description="Rules per field.")
    field_trust_order: dict[str, list[str]] = Field(
        default={}, description="Trust order per field, where the default one is wrong for it."
    )
    subscriber_forms: list[str] = Field(description="Web forms that make a subscriber.")
    marketing_qualified_forms: list[str] = Field(
        description="Web forms that make a marketing-qualified lead."
    )
    marketing_qualified_email_clicks: int = Field(
        description="Email clicks that make a marketing-qualified lead."
    )

    def policy(self) -> ProfilePolicy:
        return ProfilePolicy(
            survivorship=SurvivorshipPolicy(
                trust_order=tuple(self.trust_order),
                default_rules=tuple(self.default_rules),
                field_rules={k: tuple(v) for k, v in self.field_rules.items()},
                field_trust_order={k: tuple(v) for k, v in self.field_trust_order.items()},
            ),
            lifecycle=LifecyclePolicy(
                subscriber_forms=tuple(self.subscriber_forms),
                marketing_qualified_forms=tuple(self.marketing_qualified_forms),
                marketing_qualified_email_clicks=self.marketing_qualified_email_clicks,
            ),
        )


class Governance(dg.ConfigurableResource):
    """Erasure requests and the secret that salts their tombstones."""

    erasure_list: str = Field(
        description="CSV of people to erase (column email and/or customer_id); may be absent."
    )
    erasure_salt: str = Field(
        default="",
        description="Secret salt for erasure tombstones; set from the C360_ERASURE_SALT "
        "environment variable in production. Empty: a salt generated once per warehouse.",
    )


class PublishedDatabase(dg.ConfigurableResource):
    """The DuckDB file marketers query; replaced atomically by each successful run."""

    path: str = Field(description="Path of the published DuckDB file.")


class ReportsFolder(dg.ConfigurableResource):
    """Where the pipeline writes its HTML reports, and how much they list."""

    path: str = Field(description="Folder for the HTML reports; created on first write.")
    customers_listed: int = Field(
        default=5,
        description="Customers in each of the quality report's customer tables; each gets a "
        "Splink cluster-studio page, which costs a small Splink run.",
    )

    def directory(self) -> Path:
        return Path(self.path)


class ActivationRules(dg.ConfigurableResource):
    """Who may be contacted and when a known value is too old (``[activation]``)."""

    require_opt_in: bool = Field(description="Contact only people with an explicit opt-in.")
    known_field_max_age_days: int = Field(
        description="A known value older than this is prefilled for confirmation, not skipped."
    )
    engagement_window_days: int = Field(description="'Recent' for segments and channels.")
    topic_half_life_days: int = Field(description="Days for interest in a topic to halve.")
    urgent_ticket_priorities: list[str] = Field(
        description="Open tickets of these priorities suppress marketing."
    )
    forms_dir: str = Field(description="Folder of web form definitions (YAML).")

    def policy(self) -> ActivationPolicy:
        return ActivationPolicy(
            require_opt_in=self.require_opt_in,
            known_field_max_age_days=self.known_field_max_age_days,
            engagement_window_days=self.engagement_window_days,
            topic_half_life_days=self.topic_half_life_days,
            urgent_ticket_priorities=tuple(self.urgent_ticket_priorities),
        )


class AudienceFields(dg.Config):
    """The fields one audience may receive, per export kind (empty: no such export)."""

    contact_fields: list[str] = Field(default=[], description="Fields of contacts.*.")
    account_fields: list[str] = Field(default=[], description="Fields of accounts.* and pages.")
    feed_fields: list[str] = Field(default=[], description="Fields of the marketing feed.*.")
    form_prefill_fields: list[str] = Field(
        default=[], description="Fields of form_prefill.*, for the website's forms."
    )


class ExportsFolder(dg.ConfigurableResource):
    """Where account-context exports go, and which fields each audience gets (``[audiences]``).

    Editable per run in the launchpad; the lists are checked again here, so a field typed
    there that no export has is refused like one in c360.toml.
    """

    path: str = Field(description="Folder whose ``current`` link points at the latest exports.")
    audiences: dict[str, AudienceFields] = Field(description="Allowed fields per audience.")

    def directory(self) -> Path:
        return Path(self.path)

    def policies(self) -> tuple[AudiencePolicy, ...]:
        return audience_policies(
            {
                name: {
                    "contact_fields": fields.contact_fields,
                    "account_fields": fields.account_fields,
                    "feed_fields": fields.feed_fields,
                    "form_prefill_fields": fields.form_prefill_fields,
                }
                for name, fields in self.audiences.items()
            }
        )

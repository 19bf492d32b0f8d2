"""Which fields each audience may receive (``[audiences]`` in c360.toml), as checked data.

Governance lives in one place: an audience gets exactly the fields its lists name, and a
list naming a field the exports do not have is refused, because a misspelt field would
otherwise drop out of the export unnoticed (or a misspelt key leave a whole list unread).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandera.polars as pa

from schemas.activation import FormPrefill, PersonalizationFeed
from schemas.exports import AccountExport, ContactExport

_FEED_WITHOUT = ("personalization_tokens",)
"""Feed columns never exported: the tokens bundle several fields (first name, company,
account owner, topic, product) into one JSON text, which no field list could govern."""


@dataclass(frozen=True)
class ExportKind:
    """One kind of export: its file stem, its settings list, full schema and row key."""

    name: str
    list_name: str
    schema: pa.DataFrameSchema
    key: str

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.schema.columns)


EXPORT_KINDS = {
    kind.name: kind
    for kind in (
        ExportKind("contacts", "contact_fields", ContactExport.to_schema(), "customer_id"),
        ExportKind("accounts", "account_fields", AccountExport.to_schema(), "account_id"),
        ExportKind(
            "feed",
            "feed_fields",
            PersonalizationFeed.to_schema().remove_columns(list(_FEED_WITHOUT)),
            "customer_id",
        ),
        ExportKind("form_prefill", "form_prefill_fields", FormPrefill.to_schema(), "customer_id"),
    )
}
"""Export kind -> its schema; an audience's ``list_name`` list selects its columns."""
_BY_LIST = {kind.list_name: kind for kind in EXPORT_KINDS.values()}


@dataclass(frozen=True)
class AudiencePolicy:
    """The fields one audience (sales, support, marketing) may receive, per export kind.

    An empty list means the audience gets no export of that kind.
    """

    name: str
    fields: Mapping[str, tuple[str, ...]]

    def allowed(self, kind: str) -> tuple[str, ...]:
        return self.fields.get(kind, ())

    def schema(self, kind: str) -> pa.DataFrameSchema:
        """The kind's schema restricted to this audience's fields, in their listed order."""
        return EXPORT_KINDS[kind].schema.select_columns(list(self.allowed(kind)))


def audience_policies(
    audiences: Mapping[str, Mapping[str, Sequence[str]]],
) -> tuple[AudiencePolicy, ...]:
    """Check ``{audience: {"contact_fields": [field, ...], ...}}`` and return one policy each.

    Raises ValueError naming the audience, the list and the field for an unknown list
    name, an unknown or repeated field, or a list without the key that names each row.
    """
    policies = []
    for audience, lists in audiences.items():
        fields: dict[str, tuple[str, ...]] = {}
        for list_name, names in lists.items():
            where = f"[audiences.{audience}] {list_name}"
            kind = _BY_LIST.get(list_name)
            if kind is None:
                known = ", ".join(_BY_LIST)
                raise ValueError(f"{where}: unknown list; lists are {known}")
            if isinstance(names, str) or not isinstance(names, Sequence):
                raise ValueError(f"{where}: must be a list of field names, not {names!r}")
            unknown = [name for name in names if name not in kind.fields]
            if unknown:
                raise ValueError(
                    f"{where}: unknown field {unknown[0]!r}; fields are {', '.join(kind.fields)}"
                )
            repeated = sorted({name for name in names if list(names).count(name) > 1})
            if repeated:
                raise ValueError(f"{where}: field {repeated[0]!r} listed twice")
            if names and kind.key not in names:
                raise ValueError(f"{where}: must include {kind.key!r}, which names each row")
            fields[kind.name] = tuple(names)
        policies.append(AudiencePolicy(name=audience, fields=fields))
    return tuple(policies)

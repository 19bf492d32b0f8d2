"""Ingestion contract: every row read is either accepted or quarantined with its reason.

A marketing team trusts c360 only if bad rows are visible rather than silently dropped, and
an engineer can fix a broken export only if the error names the file, the row and the field.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from resolution import (
    QUARANTINE_TABLE,
    SOURCE_TABLES,
    SourceFileError,
    ingest_source,
    source_table,
    stored_row_counts,
)
from tests.landing_files import record, write_landing_file

TABLE_NAMES = [table.name for table in SOURCE_TABLES]

# One defect per table that its schema must catch: (field, bad value, expected check prefix).
INVALID_VALUES = {
    "crm_accounts": ("employee_count", "about fifty", "parses_as_integer"),
    "crm_contacts": ("lifecycle_stage", "prospect", "isin"),
    "crm_subscriptions": ("amount", "-10.00", "greater_than_or_equal_to"),
    "web_events": ("event_type", "click", "isin"),
    "email_subscribers": ("status", "maybe", "isin"),
    "email_events": ("timestamp", "31/02/2025 25:61", "parses_as_timestamp"),
    "social_interactions": ("platform", "myspace", "isin"),
    "support_tickets": ("created_at", "yesterday", "parses_as_timestamp"),
}


@pytest.fixture
def conn() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    yield connection
    connection.close()


def _ingest(conn, landing: Path, table_name: str):
    return ingest_source(conn, landing, source_table(table_name))


@pytest.mark.parametrize("table_name", TABLE_NAMES)
def test_a_valid_record_is_accepted_with_its_types(conn, tmp_path, table_name):
    table = source_table(table_name)
    write_landing_file(tmp_path, table, [record(table_name)])

    report = _ingest(conn, tmp_path, table_name)

    assert (report.rows_read, report.rows_accepted, report.rows_quarantined) == (1, 1, 0)
    stored = conn.sql(f"SELECT * FROM raw.{table_name}").pl()
    assert stored.height == 1
    expected = {name: col.dtype.type for name, col in table.model.to_schema().columns.items()}
    for name, dtype in expected.items():
        if isinstance(dtype, pl.Datetime):
            assert isinstance(stored.schema[name], pl.Datetime), name
        else:
            assert stored.schema[name] == dtype, name


@pytest.mark.parametrize("table_name", TABLE_NAMES)
def test_an_invalid_value_quarantines_its_row_naming_field_and_check(conn, tmp_path, table_name):
    table = source_table(table_name)
    field, bad_value, check = INVALID_VALUES[table_name]
    write_landing_file(
        tmp_path, table, [record(table_name, "A"), record(table_name, "B", **{field: bad_value})]
    )

    report = _ingest(conn, tmp_path, table_name)

    assert (report.rows_read, report.rows_accepted, report.rows_quarantined) == (2, 1, 1)
    rejected = conn.sql(f"SELECT * FROM {QUARANTINE_TABLE}").pl().row(0, named=True)
    assert rejected["field"] == field
    assert rejected["check"].startswith(check)
    assert rejected["raw_value"] == bad_value
    assert rejected["row_number"] == 2 if table.file_format == "jsonl" else 3
    assert json.loads(rejected["raw_record"])[field] == bad_value
    assert rejected["source_file"].endswith(table.relative_path)


@pytest.mark.parametrize("table_name", TABLE_NAMES)
def test_a_record_without_its_id_is_quarantined(conn, tmp_path, table_name):
    table = source_table(table_name)
    write_landing_file(tmp_path, table, [record(table_name, **{table.key_column: ""})])

    report = _ingest(conn, tmp_path, table_name)

    assert report.rows_quarantined == 1
    assert report.failures_by_check == {f"{table.key_column}: not_nullable": 1}


def test_a_mixed_file_accounts_for_every_row(conn, tmp_path):
    table = source_table("crm_contacts")
    records = [record("crm_contacts", str(i)) for i in range(10)]
    records[2]["birth_date"] = "1984-13-40"
    records[5]["email_opt_out"] = "perhaps"
    records[5]["created_at"] = "not a date"
    records[7]["contact_id"] = records[1]["contact_id"]
    path = write_landing_file(tmp_path, table, records)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("CON-short,ACC-1,Too,Few\n")

    report = _ingest(conn, tmp_path, "crm_contacts")

    stored, quarantined = stored_row_counts(conn, "crm_contacts")
    assert report.rows_read == 11
    assert (stored, quarantined) == (7, 4)
    assert stored + quarantined == report.rows_read
    reasons = conn.sql(
        f"SELECT row_number, field, \"check\" FROM {QUARANTINE_TABLE} ORDER BY row_number, field"
    ).fetchall()
    assert reasons == [
        (4, "birth_date", "parses_as_date (YYYY-MM-DD)"),
        (7, "created_at", "parses_as_timestamp (ISO 8601, e.g. 2025-03-04T10:22:31Z)"),
        (7, "email_opt_out", "parses_as_boolean (true/false)"),
        (9, "contact_id", "unique (first seen at row 3)"),
        (12, "<record>", "field_count: expected 21 fields, found 4"),
    ]


def test_several_records_missing_their_id_are_each_reported_once(conn, tmp_path):
    table = source_table("support_tickets")
    records = [record("support_tickets", str(i), ticket_id="") for i in range(3)]
    write_landing_file(tmp_path, table, [record("support_tickets"), *records])

    report = _ingest(conn, tmp_path, "support_tickets")

    assert report.failures_by_check == {"ticket_id: not_nullable": 3}


def test_the_first_copy_of_a_duplicated_key_is_kept(conn, tmp_path):
    table = source_table("support_tickets")
    first = record("support_tickets", subject="first copy")
    write_landing_file(tmp_path, table, [first, {**first, "subject": "second copy"}])

    _ingest(conn, tmp_path, "support_tickets")

    assert conn.sql("SELECT subject FROM raw.support_tickets").fetchall() == [("first copy",)]


def test_a_broken_json_line_is_quarantined_and_the_rest_load(conn, tmp_path):
    table = source_table("web_events")
    path = write_landing_file(tmp_path, table, [record("web_events", "1")])
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"event_id": "evt_broken", "anonymous_id": \n')
        handle.write(json.dumps(record("web_events", "2")) + "\n")

    report = _ingest(conn, tmp_path, "web_events")

    assert (report.rows_read, report.rows_accepted, report.rows_quarantined) == (3, 2, 1)
    row = conn.sql(f"SELECT row_number, raw_record FROM {QUARANTINE_TABLE}").fetchall()[0]
    assert row == (2, '{"event_id": "evt_broken", "anonymous_id": ')


def test_json_lists_and_nested_objects_are_flattened(conn, tmp_path):
    write_landing_file(tmp_path, source_table("web_events"), [record("web_events")])

    _ingest(conn, tmp_path, "web_events")

    row = conn.sql("SELECT fields_requested, traits_email, traits_company FROM raw.web_events")
    assert row.fetchall() == [("email;phone", "jose.m@gmail.com", None)]


def test_reingesting_the_same_file_gives_the_same_tables(conn, tmp_path):
    table = source_table("crm_contacts")
    records = [record("crm_contacts", str(i)) for i in range(5)]
    records[3]["birth_date"] = "not a date"
    write_landing_file(tmp_path, table, records)

    _ingest(conn, tmp_path, "crm_contacts")
    first = conn.sql("SELECT * FROM raw.crm_contacts ORDER BY contact_id").pl()
    first_quarantine = conn.sql(f"SELECT * FROM {QUARANTINE_TABLE}").pl()
    _ingest(conn, tmp_path, "crm_contacts")

    assert conn.sql("SELECT * FROM raw.crm_contacts ORDER BY contact_id").pl().equals(first)
    assert conn.sql(f"SELECT * FROM {QUARANTINE_TABLE}").pl().equals(first_quarantine)


def test_quarantine_rows_of_other_sources_survive_a_reload(conn, tmp_path):
    for name in ("crm_contacts", "support_tickets"):
        table = source_table(name)
        write_landing_file(tmp_path, table, [record(name, **{table.key_column: ""})])
        _ingest(conn, tmp_path, name)
    write_landing_file(tmp_path, source_table("crm_contacts"), [record("crm_contacts")])

    _ingest(conn, tmp_path, "crm_contacts")

    sources = conn.sql(f"SELECT source_table FROM {QUARANTINE_TABLE}").fetchall()
    assert sources == [("support_tickets",)]


def test_a_contacts_export_from_before_duplicate_reviews_loads_without_the_column(
    conn, tmp_path
):
    older = {k: v for k, v in record("crm_contacts").items() if k != "not_duplicate_of"}
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(older))
    writer.writeheader()
    writer.writerow(older)
    _write_raw(tmp_path, "crm/contacts.csv", text.getvalue().encode())

    report = _ingest(conn, tmp_path, "crm_contacts")

    assert (report.rows_accepted, report.rows_quarantined) == (1, 0)
    assert conn.sql("SELECT not_duplicate_of FROM raw.crm_contacts").fetchall() == [(None,)]


def test_a_not_duplicate_mark_is_kept_even_when_it_names_no_contact_on_file(conn, tmp_path):
    write_landing_file(
        tmp_path,
        source_table("crm_contacts"),
        [
            record("crm_contacts", "1"),
            record("crm_contacts", "2", not_duplicate_of="CON-00000011"),
            record("crm_contacts", "3", not_duplicate_of="CON-DELETED"),
        ],
    )

    report = _ingest(conn, tmp_path, "crm_contacts")

    assert (report.rows_accepted, report.rows_quarantined) == (3, 0)
    marks = conn.sql(
        "SELECT contact_id, not_duplicate_of FROM raw.crm_contacts ORDER BY contact_id"
    ).fetchall()
    assert marks == [
        ("CON-00000011", None),
        ("CON-00000012", "CON-00000011"),
        ("CON-00000013", "CON-DELETED"),
    ]


def _write_raw(landing: Path, relative_path: str, data: bytes) -> None:
    path = landing / relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


CONTACT_HEADER = ",".join(record("crm_contacts"))


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "file is empty"),
        (b"\n\n", "file is empty"),
        (
            CONTACT_HEADER.replace("email,", "e_mail,", 1).encode() + b"\nCON-1\n",
            "missing column(s) 'email' (found 'e_mail' instead?)",
        ),
        (
            CONTACT_HEADER.replace(",", ";").encode() + b"\nCON-1;ACC-1\n",
            "the file does not look comma-separated",
        ),
        (
            CONTACT_HEADER.encode() + "\nCON-1,ACC-1,Jos\xe9".encode("latin-1"),
            "not valid UTF-8 (byte 0xe9 at line 2)",
        ),
        (
            CONTACT_HEADER.replace("phone", "email").encode() + b"\n",
            "header repeats column(s) ['email']",
        ),
    ],
    ids=["empty", "blank-lines", "misnamed-column", "wrong-delimiter", "latin-1", "dup-header"],
)
def test_an_unusable_csv_stops_with_one_message_naming_file_and_problem(
    conn, tmp_path, data, problem
):
    _write_raw(tmp_path, "crm/contacts.csv", data)

    with pytest.raises(SourceFileError) as raised:
        _ingest(conn, tmp_path, "crm_contacts")

    assert str(raised.value).startswith(str(tmp_path / "crm/contacts.csv"))
    assert problem in str(raised.value)


def test_a_jsonl_file_that_is_not_json_stops_the_load(conn, tmp_path):
    _write_raw(tmp_path, "web/events.jsonl", b"event_id,anonymous_id\nevt_1,abc\n")

    with pytest.raises(SourceFileError, match="no line is a JSON object"):
        _ingest(conn, tmp_path, "web_events")


def test_a_missing_file_names_the_expected_path(conn, tmp_path):
    with pytest.raises(SourceFileError, match="file not found") as raised:
        _ingest(conn, tmp_path, "support_tickets")
    assert raised.value.path == tmp_path / "support/tickets.csv"


def test_a_header_only_export_loads_an_empty_table(conn, tmp_path):
    _write_raw(tmp_path, "crm/contacts.csv", CONTACT_HEADER.encode() + b"\n")

    report = _ingest(conn, tmp_path, "crm_contacts")

    assert report.rows_read == 0
    assert stored_row_counts(conn, "crm_contacts") == (0, 0)


def test_an_unusable_file_leaves_the_previous_load_in_place(conn, tmp_path):
    table = source_table("crm_contacts")
    write_landing_file(tmp_path, table, [record("crm_contacts")])
    _ingest(conn, tmp_path, "crm_contacts")
    _write_raw(tmp_path, table.relative_path, b"")

    with pytest.raises(SourceFileError):
        _ingest(conn, tmp_path, "crm_contacts")

    assert stored_row_counts(conn, "crm_contacts") == (1, 0)

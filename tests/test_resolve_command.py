"""``c360 resolve``: the file contract other tools build on.

Every input row comes back exactly once with a customer id; a bad file is refused with a
message naming the file, the line and the field, and a non-zero exit code.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.cli import main

HEADER = "record_id,first_name,last_name,email,phone,street,postcode,country,birth_date,shoe_size\n"


def _write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_every_record_comes_back_once_with_its_customer_id(tmp_path):
    source = _write(
        tmp_path,
        "a1,Jane,Doe,jane.doe@gmail.com,,,,US,,42\n"
        "a2,Jane,Doe,JaneDoe+promo@gmail.com,,,,US,,\n"
        "b1,Raj,Patel,raj@patel.dev,+1 212 736 5000,,,US,1980-02-03,\n"
        "c1,Ann,Lee,,,,,US,,\n",
    )
    out = tmp_path / "out.csv"

    assert main(["resolve", "--records", str(source), "--out", str(out)]) == 0

    resolved = pl.read_csv(out)
    assert resolved.columns == ["record_id", "customer_id"]
    assert resolved["record_id"].to_list() == ["a1", "a2", "b1", "c1"]
    ids = dict(resolved.rows())
    assert ids["a1"] == ids["a2"]
    assert len({ids["a1"], ids["b1"], ids["c1"]}) == 3



@pytest.mark.parametrize(
    ("flag", "joined"), [([], True), (["--name-only-threshold", "1.0"], False)]
)
def test_a_contact_known_only_by_name_joins_the_one_customer_with_that_name(tmp_path, flag, joined):
    source = _write(
        tmp_path,
        "a1,Luise,Fritsch,luise@hill-media.com,+1 415 555 0142,,,US,,\n"
        "a2,Luise,Fritsch,,,,,US,,\n",
    )
    out = tmp_path / "out.csv"

    assert main(["resolve", "--records", str(source), "--out", str(out), *flag]) == 0

    ids = dict(pl.read_csv(out).rows())
    assert (ids["a1"] == ids["a2"]) is joined

def _resolved_ids(tmp_path, header: str, body: str) -> dict[str, str]:
    """record_id -> customer_id, as ``c360 resolve`` writes them for this file."""
    source, out = _write(tmp_path, body, header), tmp_path / "out.csv"
    assert main(["resolve", "--records", str(source), "--out", str(out)]) == 0
    return dict(pl.read_csv(out).rows())


_ADDRESSES = "record_id,first_name,last_name,street,postcode,country"


@pytest.mark.parametrize(
    ("header", "body", "same", "apart"),
    [
        (
            f"{_ADDRESSES},birth_date\n",
            "r1,Margaret,Holloway,12 Elm Street,02139,US,1961-04-12\n"
            "r2,Peggy,Holloway,12 Elm St,02139,US,1961-04-12\n"
            "r3,Tom,Holloway,12 Elm Street,02139,US,1958-09-30\n",
            ("r1", "r2"),
            ("r1", "r3"),
        ),
        (
            f"{_ADDRESSES}\n",
            "r1,Benjamin,Jacquot,292 chemin Xavier Charles,03393,FR\n"
            "r2,Benjamin,Jsacquot,292 chemin Xavier Charles,03393,FR\n"
            "r3,Benjamin,Jacquot,14 rue Voltaire,75011,FR\n",
            ("r1", "r2"),
            ("r1", "r3"),
        ),
        (
            f"{_ADDRESSES}\n",
            "m,Michael,Hernandez,181 Deanna Cliff,75852,US\n"
            "f,Michelle,Hernandez,181 Deanna Cliff,75852,US\n"
            "m2,Michael,Hernandez,181 Deanna Cliff,75852,US\n",
            ("m", "m2"),
            ("m", "f"),
        ),
    ],
    ids=[
        "a-nickname-with-the-same-birth-date-joins-a-sibling-does-not",
        "a-misspelt-last-name-at-the-same-address-joins-a-namesake-elsewhere-does-not",
        "a-man-and-a-woman-of-one-household-with-look-alike-names-stay-apart",
    ],
)
def test_a_file_with_names_addresses_and_birth_dates_only_resolves(
    tmp_path, header, body, same, apart
):
    ids = _resolved_ids(tmp_path, header, body)

    assert ids[same[0]] == ids[same[1]]
    assert ids[apart[0]] != ids[apart[1]]


@pytest.mark.parametrize(
    ("body", "header", "message"),
    [
        ("a1,Jane\n", "first_name,last_name\n", "missing column 'record_id'"),
        ("a1,Jane\na1,John\n", "record_id,first_name\n", "'a1' appears on lines [2, 3]"),
        ("a1,Jane\n,John\n", "record_id,first_name\n", "record_id is empty on line(s) [3]"),
    ],
    ids=["no-record-id", "duplicate-id", "empty-id"],
)
def test_a_bad_file_is_refused_with_a_clear_error(tmp_path, capsys, body, header, message):
    source = _write(tmp_path, body, header)

    code = main(["resolve", "--records", str(source), "--out", str(tmp_path / "out.csv")])

    assert code == 2
    error = capsys.readouterr().err
    assert str(source) in error and message in error
    assert not (tmp_path / "out.csv").exists()

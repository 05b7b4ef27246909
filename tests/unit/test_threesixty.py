"""Reading 360Giving files, without a store: the columns and JSON paths the standard uses, and every
problem named by its row (or grant) and column."""

import json
from datetime import date

import pytest

from domain.data.threesixty import members_grants, merge, read_grants, records_of
from domain.kernel.catalogue import load_catalogue
from domain.kernel.errors import InvalidData, InvalidRequest

SCHEMA = load_catalogue(None).standard.schema("funding-history")
TODAY = date(2026, 3, 2)
HEADER = "Identifier,Title,Currency,Amount Awarded,Award Date,Recipient Org:Identifier,Funding Org:Identifier"


def test_a_spreadsheet_saved_on_windows_reads_with_its_pound_signs_and_blank_lines():
    text = f"{HEADER}\r\n360G-x-1,Caf\xe9 kitchen,GBP,\xa31250.50,25/3/2024,GB-MPR-30084R,GB-CHC-1123456\r\n,,,,,,\r\n"
    [grant] = read_grants(text.encode("cp1252"), "grants.csv")
    [record] = records_of([grant], SCHEMA, TODAY)
    assert record == {
        "grant-id": "360G-x-1",
        "title": "Café kitchen",
        "funder": "GB-CHC-1123456",
        "amount": 125050,
        "instrument": "grant",
        "date": "2024-03-25",
    }


def test_json_problems_name_the_grant_and_the_360giving_column():
    grants = {
        "grants": [
            {"id": "a", "amountAwarded": 100, "awardDate": "2024-01-01", "fundingOrganization": [{"id": "GB-CHC-1"}]},
            {"id": "b", "amountAwarded": -5, "awardDate": "2030-01-01", "currency": "USD"},
        ]
    }
    with pytest.raises(InvalidData) as refused:
        records_of(read_grants(json.dumps(grants).encode(), "g.json"), SCHEMA, TODAY)
    assert [sentence for _code, sentence in refused.value.problems] == [
        "Grant 1, Funding Org:Identifier: 'GB-CHC-1' does not look like a Charity Commission for England and Wales "
        "number (e.g. GB-CHC-1123456).",
        "Grant 2, Currency: 'USD' is not GBP; the trust records amounts in pounds.",
        "Grant 2, Funding Org:Identifier: is missing; every grant needs one.",
        "Grant 2, Amount Awarded: '-5' must be at least £0.01.",
        "Grant 2, Award Date: '2030-01-01' cannot be in the future.",
    ]


def test_a_member_with_an_org_id_keeps_only_its_rows_and_without_one_a_file_for_one_recipient():
    rows = [
        f"g{n},T,GBP,10,2024-01-01,{who},GB-CHC-1123456" for n, who in enumerate(["GB-COH-09876543", "GB-SC-SC012345"])
    ]
    grants = read_grants("\n".join([HEADER, *rows]).encode(), "g.csv")
    assert [g.cells["Identifier"] for g in members_grants(grants, "GB-SC-SC012345")] == ["g1"]
    with pytest.raises(InvalidRequest, match="grants for GB-COH-09876543 and GB-SC-SC012345; the trust cannot tell"):
        members_grants(grants, None)


def test_merging_adds_updates_and_leaves_what_is_the_same():
    old = [{"grant-id": "a", "amount": 100, "outcome": "completed"}, {"grant-id": "b", "amount": 5}, {"amount": 7}]
    merged, result = merge(
        old, [{"grant-id": "a", "amount": 200}, {"grant-id": "b", "amount": 5}, {"grant-id": "c", "amount": 1}], 3
    )
    assert merged[0] == {"grant-id": "a", "amount": 200, "outcome": "completed"}
    assert (result.added, result.updated, result.unchanged, result.records) == (("c",), ("a",), ("b",), 4)
    assert result.summary() == (
        "Funding history imported: 1 added, 1 updated, 1 already recorded as they are (4 records in all). "
        "3 rows are for other organisations and were left out."
    )

"""An organisation's funding history from a 360Giving file (CSV or JSON): its own grants merged in
by grant id, every bad row named at once, nothing recorded when anything is wrong or nothing new."""

from pathlib import Path

import pytest

from domain.data.threesixty import MAX_ROWS
from domain.kernel.errors import InvalidData, InvalidRequest
from tests.conftest import CASEWORKER, MEMBER_THEMSELF, OPERATOR
from tests.support import nothing_recorded

FILES = Path(__file__).parent / "threesixty"
CSV = (FILES / "eden-valley-trust-grants.csv").read_bytes()
JSON = (FILES / "eden-valley-trust-grants.json").read_bytes()
PROFILE = {"org-id": "GB-MPR-30084R", "legal-form": "co-operative"}
HEADER = "Identifier,Title,Currency,Amount Awarded,Award Date,Recipient Org:Identifier,Funding Org:Identifier"


def a_bakery(trust, profile=True):
    member = trust.register_member(
        "Quarry Lane Community Bakery", CASEWORKER, channel="paper", kind="organisation-member", evidence_ref="PF-9"
    )
    if profile:
        trust.share_data(member, "organisation-profile", PROFILE, CASEWORKER, "paper", evidence_ref="PF-9")
    return member


def history(trust, member):
    shared = trust.shared_data(member, ["funding-history"])
    return {r["grant-id"]: r for r in shared["funding-history"].values} if shared else {}


def test_a_funders_csv_brings_in_the_members_own_grants_in_pence(trust):
    member = a_bakery(trust)
    result = trust.import_funding_history(member, CSV, "eden-valley-trust-grants.csv", OPERATOR)
    assert result.added == ("360G-edenvalley-2023-0041", "360G-edenvalley-2024-0007")
    assert result.other_recipients == 2  # the football club's and the village hall's grants stay out
    assert result.summary() == (
        "Funding history imported: 2 added, 0 updated (2 records in all). "
        "2 rows are for other organisations and were left out."
    )
    grants = history(trust, member)
    assert grants["360G-edenvalley-2024-0007"] == {
        "grant-id": "360G-edenvalley-2024-0007",
        "title": "Apprentice baker's wages for two years",
        "funder": "GB-CHC-1123456",
        "funder-name": "Eden Valley Trust",
        "amount": 3125050,
        "instrument": "grant",
        "date": "2024-02-02",
        "term-months": 24,
    }
    submission = trust.shared_data(member)["funding-history"]
    assert (submission.channel, submission.actor) == ("import", str(OPERATOR))


def test_the_same_grants_in_json_read_the_same_and_a_loan_is_marked_by_its_instrument(trust):
    member = a_bakery(trust)
    trust.import_funding_history(member, CSV, "grants.csv", OPERATOR)
    result = trust.import_funding_history(member, JSON, "grants.json", MEMBER_THEMSELF, channel="portal")
    # the JSON's date-time is the same day and its amounts the same pounds: only the loan is new
    assert (result.added, result.updated) == (("360G-cumbria-loans-0113",), ())
    assert result.unchanged == ("360G-edenvalley-2023-0041", "360G-edenvalley-2024-0007")
    loan = history(trust, member)["360G-cumbria-loans-0113"]
    assert (loan["instrument"], loan["amount"], loan["term-months"]) == ("loan", 2000000, 36)
    assert trust.shared_data(member)["funding-history"].channel == "portal"


def test_importing_the_same_file_again_changes_nothing_and_records_nothing(trust, services):
    member = a_bakery(trust)
    trust.import_funding_history(member, CSV, "grants.csv", OPERATOR)
    with nothing_recorded(services):
        again = trust.import_funding_history(member, CSV, "grants.csv", OPERATOR)
    assert not again.recorded
    assert again.summary().startswith("All 2 grants in the file are already recorded as they are; nothing changed.")


def test_a_grant_the_funder_corrected_replaces_the_record_and_keeps_the_members_outcome(trust, clock):
    member = a_bakery(trust)
    trust.import_funding_history(member, CSV, "grants.csv", OPERATOR)
    records = list(history(trust, member).values())
    records[0] = {**records[0], "outcome": "completed"}
    trust.share_data(member, "funding-history", records, MEMBER_THEMSELF, "portal")
    clock.advance(days=1)
    corrected = CSV.replace(b"GBP,12500,2023-06-14", b"GBP,13000,2023-06-14")
    result = trust.import_funding_history(member, corrected, "grants.csv", OPERATOR)
    assert (result.added, result.updated) == ((), ("360G-edenvalley-2023-0041",))
    oven = history(trust, member)["360G-edenvalley-2023-0041"]
    assert (oven["amount"], oven["outcome"]) == (1300000, "completed")
    assert len(trust.shared_history(member)) == 4  # profile, import, the member's outcome, the correction


def test_every_bad_row_is_named_with_its_column_and_nothing_is_recorded(trust, services):
    member = a_bakery(trust)
    with nothing_recorded(services), pytest.raises(InvalidData) as refused:
        trust.import_funding_history(member, (FILES / "quarry-lane-bad-rows.csv").read_bytes(), "bad.csv", OPERATOR)
    said = [sentence for _field, sentence in refused.value.problems]
    assert said == [
        "Row 3, Amount Awarded: 'twelve thousand' must be a number.",
        "Row 4, Currency: 'EUR' is not GBP; the trust records amounts in pounds.",
        "Row 5, Instrument: 'overdraft' must be one of: grant, loan, equity, quasi-equity.",
        "Row 5, Award Date: '31/02/2024' is not a date (360Giving writes dates like 2024-03-25).",
        "Row 6, Identifier: '360G-edenvalley-2023-0041' is also on row 2.",
    ]
    assert trust.shared_data(member, ["funding-history"]) == {}


def test_without_an_identifier_in_its_profile_a_file_for_several_recipients_is_refused(trust, services):
    member = a_bakery(trust, profile=False)
    with nothing_recorded(services), pytest.raises(InvalidRequest) as refused:
        trust.import_funding_history(member, CSV, "grants.csv", OPERATOR)
    assert str(refused.value).startswith(
        "The file has grants for GB-MPR-30084R (Quarry Lane Community Bakery), GB-CHC-1012345 (Alston Moor Juniors) "
        "and GB-CHC-1098765 (Kirkoswald Village Hall); the trust cannot tell which are this organisation's."
    )
    own = b"\n".join(line for line in CSV.splitlines() if b"Alston" not in line and b"Kirkoswald" not in line)
    assert len(trust.import_funding_history(member, own, "own.csv", OPERATOR).added) == 2


def test_a_file_with_none_of_the_members_grants_is_refused_by_name(trust):
    member = a_bakery(trust)
    others = b"\n".join(line for line in CSV.splitlines() if b"Quarry Lane" not in line)
    with pytest.raises(InvalidRequest, match="None of the file's 2 grants is for GB-MPR-30084R"):
        trust.import_funding_history(member, others, "grants.csv", OPERATOR)


def test_files_too_big_or_not_360giving_are_refused_with_a_sentence(trust, services):
    member = a_bakery(trust)
    row = "360G-x-{},Grant,GBP,100,2024-01-01,GB-MPR-30084R,GB-CHC-1123456"
    rows = "\n".join([HEADER, *(row.format(n) for n in range(MAX_ROWS + 1))]).encode()
    with nothing_recorded(services):
        with pytest.raises(InvalidRequest, match="the trust imports at most 10,000 at once"):
            trust.import_funding_history(member, rows, "big.csv", OPERATOR)
        with pytest.raises(InvalidRequest, match="of at most 5 MB"):
            trust.import_funding_history(member, b" " * (5 * 1024 * 1024 + 1), "huge.csv", OPERATOR)
        with pytest.raises(InvalidRequest, match="is not a CSV or JSON file"):
            trust.import_funding_history(member, b"PK\x03\x04", "grants.xlsx", OPERATOR)
        with pytest.raises(InvalidRequest, match="no 'Amount Awarded', 'Award Date' column"):
            trust.import_funding_history(member, b"Identifier,Title,Funding Org:Identifier\nx,y,z\n", "a.csv", OPERATOR)
        with pytest.raises(InvalidRequest, match="is not valid JSON"):
            trust.import_funding_history(member, b"{grants: nope", "a.json", OPERATOR)


def test_only_staff_import_and_a_member_uploads_through_the_portal(trust, services):
    member = a_bakery(trust)
    with nothing_recorded(services):
        with pytest.raises(InvalidRequest, match="recorded by the trust's staff"):
            trust.import_funding_history(member, CSV, "grants.csv", MEMBER_THEMSELF, channel="import")
        with pytest.raises(InvalidRequest, match="by import"):
            trust.import_funding_history(member, CSV, "grants.csv", OPERATOR, channel="sms")
    person = trust.register_member("Ada Brown", MEMBER_THEMSELF, channel="bot")
    with pytest.raises(InvalidRequest, match="not asked of an individual"):
        trust.import_funding_history(person, CSV.replace(b"GB-CHC-1012345", b"GB-MPR-30084R"), "g.csv", OPERATOR)

"""`datatrust data import-360giving`: an operator brings in an organisation's funding history."""

import json
from pathlib import Path

FILES = Path(__file__).parent / "threesixty"


def reference_code(cli_run) -> str:
    member_id = json.loads(cli_run("member", "list", "--json").output)[0]["member_id"]
    return json.loads(cli_run("member", "show", member_id, "--json").output)["reference_code"]


def test_an_operator_imports_a_360giving_file_by_the_members_reference_code(cli_run, tmp_path):
    assert cli_run("init").exit_code == 0
    registered = cli_run(
        "--actor",
        "caseworker:cal",
        "member",
        "register",
        "Quarry Lane Community Bakery",
        "--kind",
        "organisation-member",
        "--channel",
        "paper",
        "--evidence",
        "PF-9",
    )
    assert registered.exit_code == 0, registered.output
    code = reference_code(cli_run)
    own = tmp_path / "quarry-lane.csv"
    lines = (FILES / "eden-valley-trust-grants.csv").read_text().splitlines()
    own.write_text("\n".join(line for line in lines if "Alston" not in line and "Kirkoswald" not in line))
    first = cli_run("--actor", "operator:olu", "data", "import-360giving", code, str(own))
    assert first.exit_code == 0, first.output
    assert first.output.splitlines() == [
        "Funding history imported: 2 added, 0 updated (2 records in all).",
        "  added: 360G-edenvalley-2023-0041",
        "  added: 360G-edenvalley-2024-0007",
    ]
    again = cli_run("--actor", "operator:olu", "data", "import-360giving", code, str(own))
    assert again.output == "All 2 grants in the file are already recorded as they are; nothing changed.\n"


def test_a_file_with_bad_rows_is_refused_row_by_row(cli_run):
    assert cli_run("init").exit_code == 0
    cli_run(
        "--actor",
        "caseworker:cal",
        "member",
        "register",
        "Quarry Lane Community Bakery",
        "--kind",
        "organisation-member",
        "--channel",
        "paper",
        "--evidence",
        "PF-9",
    )
    code = reference_code(cli_run)
    refused = cli_run(
        "--actor", "operator:olu", "data", "import-360giving", code, str(FILES / "quarry-lane-bad-rows.csv")
    )
    assert refused.exit_code == 1
    lines = refused.output.splitlines()
    assert lines[0] == "error: quarry-lane-bad-rows.csv was not imported (nothing was recorded):"
    assert lines[1] == "  Row 3, Amount Awarded: 'twelve thousand' must be a number."
    assert lines[4].startswith("  Row 5, Award Date: '31/02/2024' is not a date")
    assert len(lines) == 6

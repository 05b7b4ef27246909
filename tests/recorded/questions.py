"""The audit questions a trustee would ask of a store, asked through the command line."""

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from adapters.cli.main import cli

HERE = Path(__file__).parent
RECORDED = HERE / "before-parts"
ANSWERS = HERE / "answers.json"
# The recorded store's master key: a test value, committed on purpose (nothing real is sealed with it).
MASTER_KEY_FILE = "master.key"


@contextmanager
def store_in(var: Path) -> Iterator["Asker"]:
    saved = dict(os.environ)
    os.environ.update(
        {
            "DATATRUST_DATABASE_URL": f"sqlite:///{(var / 'datatrust.sqlite3').as_posix()}",
            "DATATRUST_MASTER_KEY_FILE": str(var / MASTER_KEY_FILE),
            "DATATRUST_KEYRING_FILE": str(var / "keyring"),
            "DATATRUST_ACTOR": "trustee:tess",
        }
    )
    os.environ.pop("DATATRUST_MASTER_KEY", None)
    try:
        yield Asker()
    finally:
        os.environ.clear()
        os.environ.update(saved)


class Asker:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str) -> object:
        result = self.runner.invoke(cli, list(args), catch_exceptions=False)
        if result.exit_code != 0:
            return {"exit_code": result.exit_code, "output": result.output}
        return json.loads(result.output) if "--json" in args else result.output


def ask_everything(ask: Asker) -> dict[str, object]:
    """Who could see each member's data, when and why, on both time axes; what each organisation
    could see; each member's history and every late fact. Reads that record a staff read come last."""
    answers: dict[str, object] = {}
    asked_from = datetime.now(UTC).isoformat()
    members = ask("member", "list", "--json")
    answers["members"] = members
    organisations = ask("org", "list", "--json")
    answers["organisations"] = organisations
    answers["late-facts"] = ask("audit", "late-facts", "--json")
    moments = ["2026-08-20T12:00:00+00:00", "2026-09-25T12:00:00+00:00", "2026-11-01T09:30:00+00:00"]
    for member in members:  # type: ignore[union-attr]
        ref = member["member_id"]
        history = ask("audit", "history", ref, "--json")
        answers[f"history {ref}"] = [asked_now(fact, asked_from) for fact in history]  # type: ignore[union-attr]
        for at in moments:
            for axis in ("recorded", "effective"):
                answers[f"who-could-see {ref} {at} {axis}"] = ask(
                    "audit", "who-could-see", ref, "--at", at, "--axis", axis, "--json"
                )
    for organisation in organisations:  # type: ignore[union-attr]
        ref = organisation["organisation_id"]
        for axis in ("recorded", "effective"):
            answers[f"what-could-see {ref} {axis}"] = ask(
                "audit", "what-could-see", ref, "--from", moments[0], "--to", moments[-1], "--axis", axis, "--json"
            )
            for member in members[:6]:  # type: ignore[index]
                for category in ("housing", "household-finances"):
                    key = f"explain {ref} {member['member_id']} {category} {axis}"
                    answers[key] = ask(
                        "audit",
                        "explain",
                        ref,
                        member["member_id"],
                        category,
                        "--at",
                        moments[1],
                        "--axis",
                        axis,
                        "--json",
                    )
    for member in members:  # type: ignore[union-attr]
        reads = ask("audit", "who-read", member["member_id"], "--json")
        answers[f"who-read {member['member_id']}"] = [asked_now(read, asked_from) for read in reads]  # type: ignore[union-attr]
    return answers


def asked_now(read: dict[str, object], asked_from: str) -> dict[str, object]:
    """The staff reads these questions record themselves are stamped with the real clock:
    compare what they say, not when they were asked."""
    if str(read["recorded_at"]) >= asked_from:
        stamps = {key: "while these questions were asked" for key in ("recorded_at", "effective_at") if key in read}
        return {**read, **stamps}
    return read

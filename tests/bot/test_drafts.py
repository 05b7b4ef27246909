"""A Telegram conversation's place survives a restart of the bot: where a member is (joining, a
panel) is kept in the store as a sealed draft (adapters/conversation), never in the process's
memory, and what they typed is never written in the clear."""

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from adapters.bootstrap import bootstrap
from tests.bot.conftest import start_bot
from tests.support import cheap_password_hashing

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
NAME = "Zebedee Quartermaine"


def sealed_drafts(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return [row.sealed for row in conn.execute(text("SELECT sealed FROM conversation_drafts"))]
    finally:
        engine.dispose()


def stored_bytes(folder: Path) -> bytes:
    """Every file of a SQLite store (the database, its journal), as written to disk."""
    return b"".join(path.read_bytes() for path in folder.glob("trust.sqlite3*"))


def test_a_member_half_way_through_joining_goes_on_after_a_restart_and_the_draft_is_sealed(
    fake, bot, chat_with, settings, database_url, clock, trust, views, tmp_path
):
    mary = chat_with("Mary")
    mary.send("/start")
    mary.press("I'm new: join")
    mary.press("I agree")
    mary.send(NAME)
    assert "postcode district" in mary.last_text
    assert views.members() == []  # nothing recorded before the last question

    [sealed] = sealed_drafts(database_url)  # where she is, and the name she typed: sealed
    assert NAME not in sealed and "Zebedee" not in sealed
    if database_url.startswith("sqlite"):
        stored = stored_bytes(tmp_path)
        assert b"conversation_drafts" in stored and b"Zebedee" not in stored

    bot.stop()  # the bot's process ends; a new one starts on the same store
    services = bootstrap(settings, clock=clock, password_hasher=cheap_password_hashing())
    restarted = start_bot(services, fake)
    try:
        mary.send("CA1")  # the answer to the question asked before the restart
        assert "age band" in mary.last_text
        while any(label == "Skip this question" for label, _ in mary.last.buttons):
            mary.press("Skip this question")
        assert "You are a member now" in mary.texts_since(0)
    finally:
        restarted.stop()
        services.close()
    [member] = views.members()
    assert trust.member_personal_data(member["member_id"])["name"] == NAME
    assert views.member_card(member["member_id"])["profile"] == {"area": "CA1"}

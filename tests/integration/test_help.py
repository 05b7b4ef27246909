"""A member asks the trust for a person: one open request at a time, the words sealed under
the member's key (never in a read model in the clear), handled by a caseworker, in the member's
history without the words, and gone with the key on erasure."""

import pytest
from sqlalchemy import select

from domain.help.model import ADDED, ALREADY_SENT, OPENED
from domain.kernel.errors import InvalidRequest, NotAllowedNow
from projections.core.rebuild import rebuild
from projections.help.tables import help_messages, help_requests
from tests.conftest import CASEWORKER, MEMBER_THEMSELF, TRUSTEE
from tests.integration.test_rebuild import read_models
from tests.support import nothing_recorded

WORDS = "My landlord wants my bank statements: can someone call me?"


@pytest.fixture
def member(trust):
    return trust.register_member("Aisha Elliot", MEMBER_THEMSELF, channel="sms")


def test_a_member_asks_and_the_caseworkers_see_it_oldest_first(trust, views, clock, member):
    other = trust.register_member("Bob Ray", MEMBER_THEMSELF, channel="bot")
    assert trust.ask_for_help(member, WORDS, "sms", MEMBER_THEMSELF) == OPENED
    clock.advance(minutes=5)
    assert trust.ask_for_help(other, "Hello?\nAnyone there?", "telegram", MEMBER_THEMSELF) == OPENED

    assert views.open_help_count() == 2
    first, second = views.help_requests()
    assert (first["name"], first["channel"], first["messages"][0]["text"]) == ("Aisha Elliot", "sms", WORDS)
    assert second["messages"][0]["text"] == "Hello?\nAnyone there?"  # the member's line breaks kept


def test_a_second_message_while_one_is_open_joins_it_and_the_same_text_records_nothing(
    services, trust, views, clock, member
):
    trust.ask_for_help(member, WORDS, "sms", MEMBER_THEMSELF)
    with nothing_recorded(services):
        assert trust.ask_for_help(member, f"  {WORDS} ", "sms", MEMBER_THEMSELF) == ALREADY_SENT
    clock.advance(minutes=1)
    assert trust.ask_for_help(member, "Also my phone is new.", "whatsapp", MEMBER_THEMSELF) == ADDED

    [request] = views.help_requests()
    assert [m["text"] for m in request["messages"]] == [WORDS, "Also my phone is new."]
    assert views.open_help_count() == 1


def test_a_caseworker_marks_it_handled_and_the_next_message_opens_a_new_request(trust, views, clock, member):
    trust.ask_for_help(member, WORDS, "sms", MEMBER_THEMSELF)
    clock.advance(hours=1)
    trust.mark_help_handled(member, 1, CASEWORKER, note="Phoned her; sent the form.")
    assert views.help_requests() == [] and views.open_help_count() == 0
    [done] = views.help_requests("handled")
    assert (done["handled_by"], done["note"]) == ("caseworker:cal", "Phoned her; sent the form.")
    with pytest.raises(NotAllowedNow, match="handled already"):
        trust.mark_help_handled(member, 1, CASEWORKER)

    assert trust.ask_for_help(member, WORDS, "sms", MEMBER_THEMSELF) == OPENED  # handled: a new request
    [again] = views.help_requests()
    assert again["request"] == 2


@pytest.mark.parametrize(
    ("words", "sentence"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("x" * 1001, "1,001 characters long; the most is 1,000"),
        ("a\x00b", "control"),
    ],
)
def test_bad_messages_are_refused_with_a_sentence_and_nothing_recorded(services, trust, member, words, sentence):
    with nothing_recorded(services), pytest.raises(InvalidRequest, match=sentence):
        trust.ask_for_help(member, words, "sms", MEMBER_THEMSELF)


def test_only_the_member_asks_and_only_staff_handle(services, trust, member):
    trust.ask_for_help(member, WORDS, "sms", MEMBER_THEMSELF)
    with nothing_recorded(services):
        with pytest.raises(NotAllowedNow):
            trust.ask_for_help(member, WORDS + "!", "sms", CASEWORKER)
        with pytest.raises(NotAllowedNow):
            trust.mark_help_handled(member, 1, MEMBER_THEMSELF)
        with pytest.raises(InvalidRequest, match="1,001 characters"):
            trust.mark_help_handled(member, 1, CASEWORKER, note="n" * 1001)


def test_a_member_who_left_cannot_ask(services, trust, member):
    trust.member_leaves(member, MEMBER_THEMSELF)
    with nothing_recorded(services), pytest.raises(NotAllowedNow, match="has left"):
        trust.ask_for_help(member, WORDS, "sms", MEMBER_THEMSELF)


def test_the_history_says_they_asked_and_who_handled_it_but_never_the_words(trust, views, member):
    trust.ask_for_help(member, WORDS, "sms", MEMBER_THEMSELF)
    trust.ask_for_help(member, "More.", "telegram", MEMBER_THEMSELF)
    trust.mark_help_handled(member, 1, CASEWORKER, note="Called back.")
    facts = [(h["text"], h["actor"]) for h in views.history(member) if "help" in h["what"]]
    assert facts == [
        ("Asked the trust's caseworkers for help, on SMS.", "member:self"),
        ("Wrote more to their open request for help, on Telegram.", "member:self"),
        ("Their request for help was marked handled, with a note.", "caseworker:cal"),
    ]
    assert not any(WORDS in h["text"] or "Called back" in h["text"] for h in views.history(member))


def test_the_read_model_holds_the_words_only_sealed(services, trust, member):
    trust.ask_for_help(member, WORDS, "sms", MEMBER_THEMSELF)
    trust.mark_help_handled(member, 1, CASEWORKER, note="Called back.")
    with services.views.reading() as conn:
        rows = [*conn.execute(select(help_messages)), *conn.execute(select(help_requests))]
    assert rows and not any("landlord" in repr(row) or "Called back" in repr(row) for row in rows)


def test_erasure_takes_the_words_and_the_open_request_leaves_the_queue(trust, views, member):
    trust.ask_for_help(member, WORDS, "sms", MEMBER_THEMSELF)
    trust.erase_member(member, TRUSTEE)
    assert views.help_requests() == [] and views.open_help_count() == 0
    assert [h["text"] for h in views.history(member) if h["what"] == "asked for help"] == [
        "Asked the trust's caseworkers for help, on SMS."
    ]  # the fact stays
    with pytest.raises(NotAllowedNow):
        trust.mark_help_handled(member, 1, CASEWORKER)
    with pytest.raises(NotAllowedNow):
        trust.ask_for_help(member, WORDS, "sms", MEMBER_THEMSELF)


def test_a_rebuild_gives_the_same_queue(services, trust, clock, member):
    trust.ask_for_help(member, WORDS, "sms", MEMBER_THEMSELF)
    clock.advance(minutes=3)
    trust.ask_for_help(member, "More.", "whatsapp", MEMBER_THEMSELF)
    trust.mark_help_handled(member, 1, CASEWORKER, note="Done.")
    trust.ask_for_help(member, "Thanks!", "sms", MEMBER_THEMSELF)
    before = read_models(services)
    rebuild(services.trust, services.views.projector)
    assert read_models(services) == before


def test_the_cli_history_says_they_asked_but_never_prints_the_words(trust, member, cli_run):
    trust.ask_for_help(member, WORDS, "sms", MEMBER_THEMSELF)
    trust.mark_help_handled(member, 1, CASEWORKER, note="Called back on Monday.")
    story = cli_run("audit", "history", str(member)).output
    assert "Asked the trust's caseworkers for help, on SMS.  (by the member; member:self)" in story
    assert "Their request for help was marked handled, with a note.  (by caseworker cal; caseworker:cal)" in story
    assert "landlord" not in story and "Monday" not in story
    as_json = cli_run("audit", "history", str(member), "--json").output
    assert "landlord" not in as_json and "Monday" not in as_json

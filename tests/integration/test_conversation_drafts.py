"""Where a conversation stands (issue 15): SMS and WhatsApp conversations pause for hours, so the
draft (a half-typed joining, half-answered panel) is kept in the store, sealed, survives a restart
of the service, goes with the member's key on erasure, and each message is taken once even when a
provider delivers it twice at the same moment."""

import threading
import uuid

from adapters.bootstrap import bootstrap
from adapters.conversation.channels import SMS
from adapters.conversation.conversation import Conversation
from adapters.conversation.messages import Reply, Said
from tests.conftest import MEMBER_THEMSELF, OPERATOR
from tests.integration.test_erasure_attacker import every_byte
from tests.support import cheap_password_hashing

NUMBER = "+447700900321"
UNUSUAL_NAME = "Zebedee Quartermaine-Oyelaran"  # a name found nowhere else


def said(conversation: Conversation, text: str) -> str:
    answer = conversation.answer(NUMBER, Said(key=f"twilio:SM{uuid.uuid4().hex}", text=text))
    return "\n".join(m.text + "".join(f"\n{label}" for label, _v in m.choices) for m in answer if isinstance(m, Reply))


def pick(conversation: Conversation, label: str) -> str:
    """The choice with this label, by its label (as a member may type it)."""
    return said(conversation, label)


def test_a_half_finished_joining_survives_a_restart_and_is_sealed(services, settings, clock):
    conversation = Conversation(services, SMS)
    said(conversation, "JOIN")
    pick(conversation, "I'm new: join")
    assert "What name or nickname" in pick(conversation, "I agree")
    assert "postcode district" in said(conversation, UNUSUAL_NAME)
    assert not any(UNUSUAL_NAME.encode() in blob for blob in every_byte(services))  # sealed, not in the clear

    services.close()  # the service restarts
    again = bootstrap(settings, clock=clock, password_hasher=cheap_password_hashing())
    try:
        resumed = Conversation(again, SMS)
        answer = said(resumed, "CA1")  # the next question: the conversation went on where it was
        assert "age band" in answer
        while "Skip this question" in answer:
            answer = pick(resumed, "Skip this question")
        assert "You are a member now" in answer
        member = again.trust.member_for_address("sms", NUMBER)
        assert again.trust.member_personal_data(member)["name"] == UNUSUAL_NAME
    finally:
        again.close()


def test_a_draft_left_for_a_day_is_gone(services, clock):
    conversation = Conversation(services, SMS)
    said(conversation, "JOIN")
    pick(conversation, "I'm new: join")
    clock.advance(hours=25)
    assert "There is nothing to choose just now" in said(conversation, "1")


def test_erasing_a_member_destroys_their_half_answered_draft(services):
    trust = services.trust
    member = trust.join_at_address("sms", NUMBER, "Erin", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF)
    conversation = Conversation(services, SMS)
    said(conversation, "LEAVE")  # a question is waiting: the draft holds its choices, sealed under Erin's key
    assert trust.draft("sms", NUMBER)["choices"]
    trust.erase_member(member, OPERATOR)
    assert trust.draft("sms", NUMBER) == {}
    with trust.reading() as session:
        from domain.store.drafts import conversation_drafts

        assert session.execute(conversation_drafts.select()).all() == []


def test_a_message_delivered_twice_at_once_is_acted_on_and_answered_once(services, approved_lender):
    trust = services.trust
    member = trust.join_at_address("sms", NUMBER, "Erin", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF)
    conversation = Conversation(services, SMS)
    said(conversation, "CONSENTS")
    key = f"twilio:SM{uuid.uuid4().hex}"
    answers: list = []
    start = threading.Barrier(2)

    def deliver() -> None:
        start.wait()
        answers.append(conversation.answer(NUMBER, Said(key=key, text="1")))  # 1: give the first purpose

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(len(answer) for answer in answers)[0] == 0  # one delivery got no answer
    given = [c for c in services.views.consents(member, services.clock()) if c["status"] == "active"]
    assert len(given) == 1

"""A member's own commands through the bot: confirming with a code, consents, my data, leaving, forgetting."""

import json

import pytest

from adapters.conversation.channels import TELEGRAM
from domain.kernel.actors import Actor
from domain.trust import Audience
from tests.bot.conftest import join
from tests.conftest import CASEWORKER, TRUSTEE
from tests.support import nothing_recorded

LENDER_CLIENT = Actor("organisation", "eden valley")
OFFERED = ("affordable-credit", "service-planning", "grant-making", "research", "community-insight")

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
def lender(trust, clock):
    organisation = trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)
    trust.approve_organisation(organisation, "DSA-1", clock().date(), TRUSTEE)
    return organisation


def paper_member(trust, lender):
    member_id = trust.register_member(
        "Iona Bell", CASEWORKER, channel="paper", profile={"area": "LA9"}, evidence_ref="FORM-7"
    )
    trust.grant_consent(
        member_id, "affordable-credit", ["contact"], Audience(lender), CASEWORKER, "paper", evidence_ref="FORM-7"
    )
    return member_id


def member_id_of(views):
    [member] = views.members()
    return member["member_id"]


def test_a_member_registered_on_paper_confirms_with_their_reference_code(chat_with, trust, views, lender, clock):
    member_id = paper_member(trust, lender)
    code = views.member_card(member_id)["reference_code"]
    assert views.who_could_see(member_id, clock()) == []  # not confirmed: the paper consent waits
    iona = chat_with("Iona")

    iona.send("/start")
    iona.press("I have a reference code")
    iona.press("I agree")
    iona.send("ABCD-EFGH")  # a wrong code
    assert "does not match" in iona.last_text
    iona.send(code.lower().replace("-", " "))

    assert "membership is confirmed" in iona.last_text
    card = views.member_card(member_id)
    assert card["status"] == "active"
    assert [o["organisation"] for o in views.who_could_see(member_id, clock())] == ["Eden Valley Credit Union"]
    history = [h["text"] for h in views.history(member_id)]
    assert "Confirmed their membership (reference code in the bot)." in history
    assert trust.member_for_chat(iona.user.chat_id) == member_id
    iona.send("/start")
    assert "already belongs to a member" in iona.last_text


def test_wrong_codes_are_throttled_per_chat(chat_with, trust, views, lender):
    member_id = paper_member(trust, lender)
    code = views.member_card(member_id)["reference_code"]
    guesser = chat_with("Guesser")
    guesser.send("/start")
    guesser.press("I have a reference code")
    guesser.press("I agree")
    for _ in range(5):
        guesser.send("ABCD-EFGH")
    guesser.send(code)  # even the right code must wait now

    assert "Too many wrong codes" in guesser.last_text
    assert views.member_card(member_id)["status"] == "unconfirmed"


def test_withdrawing_and_giving_take_one_tap_each_and_withdrawal_is_recorded_before_the_reply(
    chat_with, trust, views, lender, clock
):
    mary = chat_with("Mary")
    join(mary, consent={"affordable-credit": True, "service-planning": False, "grant-making": False, "research": False})
    member_id = member_id_of(views)
    assert [o["organisation"] for o in views.who_could_see(member_id, clock())] == ["Eden Valley Credit Union"]

    mary.send("/consents")
    overview = mary.last
    assert "✅ Affordable credit" in overview.text
    # Who and what in a sentence, in the catalogue's words, never its codes.
    assert (
        "✅ Affordable credit: Approved social lenders may see how to reach you (name, phone, chat), "
        "your household income and outgoings, and your area, age band and the other panel questions you answered"
    ) in overview.text
    assert "social-lender" not in overview.text and "How to reach you" not in overview.text
    assert ("Give: Research", "give:research") in overview.buttons
    mary.press("Withdraw: Affordable credit")

    # The reply (the edited overview) came after the withdrawal was recorded: nobody can see her data now.
    assert mary.last.text.startswith("Withdrawn: Affordable credit")
    assert views.who_could_see(member_id, clock()) == []
    assert trust.record_access(lender, member_id, "affordable-credit", ["contact"], LENDER_CLIENT).granted == {}

    mary.press("Give: Affordable credit")
    assert mary.last.text.startswith("Given: Affordable credit")
    assert [o["organisation"] for o in views.who_could_see(member_id, clock())] == ["Eden Valley Credit Union"]
    assert mary.last is overview or mary.last.message_id == overview.message_id  # edited in place, not repeated


def test_community_insight_is_shown_as_anonymised_counts_never_as_councils_reading_answers(chat_with, trust, clock):
    council = trust.register_organisation("Carlisle City Council", "council", TRUSTEE)
    trust.approve_organisation(council, "DSA-2", clock().date(), TRUSTEE)
    mary = chat_with("Mary")
    join(mary, consent={p: p == "community-insight" for p in OFFERED})

    mary.send("/consents")
    assert (
        "✅ Community insight: Approved councils get only anonymised counts of panel answers: "
        "never your answers, and never who you are."
    ) in mary.last_text
    mary.send("/mydata")
    assert "• Carlisle City Council: only anonymised counts of panel answers" in mary.last_text
    assert "community panel questions" not in mary.last_text


def test_my_data_shows_what_is_held_who_could_see_and_who_read_it_and_gives_a_file(
    chat_with, trust, views, lender, fake
):
    mary = chat_with("Mary")
    join(mary, "Mary Dixon", consent={"affordable-credit": True})
    member_id = member_id_of(views)
    trust.record_access(lender, member_id, "affordable-credit", ["contact", "profile"], LENDER_CLIENT)

    mary.send("/mydata")
    text = mary.last_text
    assert "Name: Mary Dixon" in text
    assert "Area: CA1" in text  # a short label, not the whole question
    assert "postcode district" not in text
    assert "Eden Valley Credit Union: How to reach you" in text
    assert (  # in the catalogue's words, never its codes
        "Eden Valley Credit Union read how to reach you (name, phone, chat) and your area, age band and the other "
        "panel questions you answered for Affordable credit."
    ) in text
    assert "affordable-credit" not in text

    mary.press("Download all of it as a file")
    [document] = fake.documents_to(mary.user)
    assert document.filename == "my-data.json"
    data = json.loads(document.content)
    assert data["held"]["name"] == "Mary Dixon"
    assert data["held"]["telegram_chat"] == mary.user.chat_id
    assert [r["what"] for r in data["reads"]] == ["read"]
    assert data["could_see_now"][0]["organisation"] == "Eden Valley Credit Union"


def test_leaving_asks_first_then_ends_every_consent_and_unlinks_the_chat(chat_with, trust, views, lender, clock):
    mary = chat_with("Mary")
    join(mary)
    member_id = member_id_of(views)

    mary.send("/leave")
    assert "stays sealed" in mary.last_text and "/forget" in mary.last_text
    mary.press("No, stay")
    assert "still a member" in mary.last_text
    assert views.member_card(member_id)["status"] == "active"

    mary.send("/leave")
    mary.press("Yes, leave")
    assert "You have left the trust" in mary.last_text
    assert views.member_card(member_id)["status"] == "left"
    assert views.who_could_see(member_id, clock()) == []
    assert trust.member_for_chat(mary.user.chat_id) is None
    assert trust.member_personal_data(member_id)["name"] == "Mary"  # kept, sealed
    mary.send("/consents")
    assert "not linked to a member" in mary.last_text


def test_forgetting_destroys_the_personal_data_and_keeps_the_audit_facts(chat_with, trust, views, lender):
    mary = chat_with("Mary")
    join(mary, consent={"affordable-credit": True})
    member_id = member_id_of(views)
    trust.record_access(lender, member_id, "affordable-credit", ["contact"], LENDER_CLIENT)

    mary.send("/forget")
    assert "Destroyed:" in mary.last_text and "Kept:" in mary.last_text
    mary.press("Yes, destroy my data")

    assert "destroyed" in mary.last_text
    assert trust.member_personal_data(member_id) is None
    assert views.member_card(member_id)["status"] == "erased"
    whats = [h["what"] for h in views.history(member_id)]
    assert "read" in whats and "consent given" in whats and "erased" in whats
    assert trust.member_for_chat(mary.user.chat_id) is None


def test_my_data_shows_the_latest_reads_and_the_file_has_them_all(chat_with, trust, views, lender, fake):
    mary = chat_with("Mary")
    join(mary, consent={"affordable-credit": True})
    member_id = member_id_of(views)
    for _ in range(45):
        trust.record_access(lender, member_id, "affordable-credit", ["contact"], LENDER_CLIENT)

    mary.send("/mydata")
    assert "The latest 20 of 45 reads" in mary.last_text
    assert mary.last_text.count("Eden Valley Credit Union read how to reach you") == 20
    assert len(mary.last_text) < 4096
    mary.press("Download all of it as a file")
    [document] = fake.documents_to(mary.user)
    assert len(json.loads(document.content)["reads"]) == 45


def test_a_member_who_blocked_the_bot_and_writes_again_takes_its_messages_again(chat_with, fake, trust, views, lender):
    mary = chat_with("Mary")
    join(mary)
    member_id = member_id_of(views)
    fake.block(mary.user)  # an announcement then finds the bot blocked: the outbox records the stop
    assert trust.stop_messages(member_id, "telegram", "blocked", Actor("member", "via bot"))
    assert views.members_with_chat() == []
    fake.unblock(mary.user)

    mary.send("/start")  # Telegram's "Restart" button, once a bot is unblocked

    assert views.members_with_chat() == [member_id]
    said = [fact["text"] for fact in views.history(member_id) if fact["what"].startswith("messages")]
    assert said[-1] == "Started messages on Telegram again."
    assert {c["status"] for c in views.consents(member_id, trust.clock())} == {"active"}  # never touched


def test_a_member_changes_their_own_details_and_the_change_is_recorded_with_channel_and_actor(
    chat_with, services, views
):
    mary = chat_with("Mary")
    join(mary, "Mary Dixon", area="CA1")
    member_id = member_id_of(views)

    mary.send("/details")
    assert "Area: CA1" in mary.last_text and "Gender: not answered" in mary.last_text
    mary.press("Change: Area")
    assert "postcode district" in mary.last_text
    with nothing_recorded(services):
        mary.send("not a postcode")
    assert mary.last_text.startswith("Sorry, that is not an answer I can take here.")
    mary.send("ca2")
    assert mary.last_text.startswith("Changed: Area is now “CA2”.")

    mary.send("/details")
    mary.press("Change: Gender")
    mary.press("In another way")
    assert mary.last_text.startswith("Changed: Gender is now “In another way”.")

    assert views.member_card(member_id)["profile"]["area"] == "CA2"
    assert services.trust.member_personal_data(member_id)["profile"]["gender"] == "another-way"
    changes = [h for h in views.history(member_id) if h["what"] == "profile updated"]
    assert [h["text"] for h in changes] == [
        "Changed panel answers via bot: area.",
        "Changed panel answers via bot: gender.",
    ]
    assert {h["actor"] for h in changes} == {str(TELEGRAM.actor)}  # the member, in the chat

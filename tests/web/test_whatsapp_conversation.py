"""The members' conversation on WhatsApp (issue 15): reply buttons where up to three choices fit, a
list where up to ten do, text otherwise; taps come back as the choice they name. The fake Cloud API
checks every message the real pywa client sends against Meta's limits (titles, ids, bodies, rows)."""

import pytest

from tests.conftest import MEMBER_THEMSELF, TRUSTEE
from tests.support import nothing_recorded
from tests.web.test_whatsapp_webhook import cloud_api_token, fake, url, wa_services  # noqa: F401 - fixtures


def row_ids(message) -> list[str]:
    return [r["id"] for s in message.payload["interactive"]["action"]["sections"] for r in s["rows"]]


def row_titled(message, title: str) -> str:
    for section in message.payload["interactive"]["action"]["sections"]:
        for row in section["rows"]:
            if row["title"] == title or row.get("description") == title:
                return row["id"]
    raise AssertionError(f"no row {title!r}")


def button_titled(message, title: str) -> str:
    return next(button_id for button_id, shown in message.buttons if shown == title)


class Anne:
    """A WhatsApp user talking to the trust through the fake Cloud API and the webhook."""

    def __init__(self, fake, url):  # noqa: F811
        self.fake, self.url = fake, url
        self.contact = fake.contact("Anne")

    def _push(self):
        before = len(self.fake.messages_to(self.contact))
        assert set(self.fake.push(self.url)) == {200}
        return self.fake.messages_to(self.contact)[before:]

    def writes(self, text: str):
        self.fake.user_sends_text(self.contact, text)
        return self._push()

    def presses(self, message, title: str):
        self.fake.user_presses(self.contact, message, button_titled(message, title))
        return self._push()

    def picks(self, message, title: str):
        self.fake.user_picks(self.contact, message, row_titled(message, title))
        return self._push()

    def chooses(self, message, title: str):
        """Taps the reply button, or picks the list row, with that title."""
        if message.buttons:
            return self.presses(message, title)
        return self.picks(message, title)


@pytest.fixture
def anne(fake, url):  # noqa: F811
    return Anne(fake, url)


def test_someone_joins_on_whatsapp_with_buttons_and_lists_and_is_recorded_as_collected_there(anne, wa_services):  # noqa: F811
    trust, views = wa_services.trust, wa_services.views
    lender = trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)
    trust.approve_organisation(lender, "DSA-1", wa_services.clock().date(), TRUSTEE)
    [welcome] = anne.writes("Join")
    assert welcome.type == "interactive" and "Welcome to the data trust." in welcome.text
    assert welcome.payload["interactive"]["type"] == "list"  # "I have a reference code" is too long for a button
    [terms] = anne.chooses(welcome, "I'm new: join")
    assert trust.catalogue.terms[trust.catalogue.latest_terms] in terms.text  # the whole text, in the message
    [asked] = anne.presses(terms, "I agree")
    assert "What name or nickname" in asked.text
    [area] = anne.writes("Anne")
    [age] = anne.writes("CA11")  # a typed answer to a question with a pattern
    assert row_ids(age)[:2] == ["answer:age-band:16-24", "answer:age-band:25-34"]  # 8 choices: a list
    answer = anne.picks(age, "35-44")
    while "You are a member now" not in (answer[0].text or ""):
        answer = (
            anne.presses(answer[0], "Skip this question")
            if answer[0].buttons
            else anne.picks(answer[0], "Skip this question")
        )
    member = trust.member_for_address("whatsapp", "+" + anne.contact.wa_id)
    offer = answer[-1]
    assert "Affordable credit" in offer.text
    answer = anne.chooses(offer, "Yes")
    for _purpose in trust.catalogue.offered_purposes()[1:]:
        answer = anne.chooses(answer[-1], "No")
    assert "All set." in "\n".join(m.text or "" for m in answer)
    consents = views.consents(member, wa_services.clock())
    assert [(c["purpose"], c["status"]) for c in consents] == [("affordable-credit", "active")]
    history = [h["text"] for h in views.history(member)]
    assert "The individual joined via whatsapp." in history
    assert any(line.startswith("Gave consent") and "(via whatsapp)" in line for line in history), history
    assert wa_services.trust.member_personal_data(member)["profile"] == {"area": "CA11", "age-band": "35-44"}


def test_a_second_tap_on_a_question_already_acted_on_changes_nothing(anne, wa_services):  # noqa: F811
    trust = wa_services.trust
    member = trust.join_by_chat(77, "Anne", {}, trust.catalogue.latest_terms, MEMBER_THEMSELF)
    trust.link_address(member, "whatsapp", "+" + anne.contact.wa_id, MEMBER_THEMSELF)
    *before, overview = anne.writes("consents")  # the notices take more than an interactive body holds
    assert all(m.type == "text" for m in before) and overview.type == "interactive"
    assert row_ids(overview) == [f"give:{p.code}" for p in trust.catalogue.offered_purposes()]
    [question] = anne.writes("leave")
    [answer] = anne.chooses(question, "No, stay")
    assert "Nothing has changed" in answer.text
    [left] = anne.chooses(question, "Yes, leave")  # the question is still open after "No": it acts
    assert "You have left the trust" in left.text
    with nothing_recorded(wa_services):
        [stale] = anne.chooses(question, "Yes, leave")
    assert "no longer open; nothing was changed" in stale.text

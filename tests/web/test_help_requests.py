"""The caseworkers' queue of members who asked for a person: oldest first, the member's words,
the channel and how to reach them; "Mark as handled" with a note (post/redirect/get); opening it
is a staff read of each member listed; bad input is refused with a sentence and changes nothing."""

import html

from tests.conftest import MEMBER_THEMSELF
from tests.support import nothing_recorded

QUEUE = "/members/asked-for-help"


def asks(web_services, name: str, words: str, network: str = "sms", contact: str | None = None):
    trust = web_services.trust
    member = trust.register_member(name, MEMBER_THEMSELF, channel="sms", contact=contact)
    trust.ask_for_help(member, words, network, MEMBER_THEMSELF)
    return member


def page_text(web, url: str = QUEUE) -> str:
    response = web.get(url)
    assert response.status_code == 200
    return html.unescape(web.text(response))


def test_the_queue_lists_who_asked_oldest_first_with_their_words_and_how_to_reach_them(
    caseworker, web_services, web_clock
):
    aisha = asks(web_services, "Aisha Elliot", "Line one\nLine two", contact="07700 900123")
    web_clock.advance(minutes=10)
    asks(web_services, "Bob Ray", "Please call me.", network="telegram")

    text = page_text(caseworker)
    assert 'Asked for help <span class="count">(2 open)</span>' in text  # in the caseworker's navigation
    assert text.index("Aisha Elliot") < text.index("Bob Ray")  # the longest waiting first
    assert "Line one\nLine two" in text and "Please call me." in text
    assert "contact given: 07700 900123" in text
    assert f'href="/members/{aisha}"' in text
    assert 'class="stack"' in text and 'data-label="Message"' in text
    reads = [h for h in web_services.views.history(aisha) if h["what"] == "read by staff"]
    assert [r["text"] for r in reads] == ["Read by the trust's staff: the caseworkers' list of requests for help."]


def test_marking_a_request_handled_keeps_the_note_and_takes_it_off_the_queue(caseworker, web_services):
    member = asks(web_services, "Aisha Elliot", "Please call me.")
    page_text(caseworker)
    response = caseworker.post(f"/members/{member}/asked-for-help", {"request": "1", "note": "Phoned; sent the form."})
    assert response.status_code == 302 and response.headers["Location"] == QUEUE  # post/redirect/get

    text = page_text(caseworker)
    assert "Marked as handled. Your note is kept with the request." in text
    assert "No one is waiting for an answer." in text and "open)" not in text
    handled = page_text(caseworker, QUEUE + "?show=handled")
    assert "Phoned; sent the form." in handled and "by caseworker:cal" in handled
    [fact] = [h for h in web_services.views.history(member) if h["what"] == "help handled"]
    assert fact["actor"] == "caseworker:cal"


def test_a_note_too_long_or_a_request_handled_already_is_refused_with_a_sentence(caseworker, web_services):
    member = asks(web_services, "Aisha Elliot", "Please call me.")
    page_text(caseworker)
    with nothing_recorded(web_services):
        caseworker.post(f"/members/{member}/asked-for-help", {"request": "1", "note": "n" * 1001})
        caseworker.post(f"/members/{member}/asked-for-help", {"request": "", "note": "ok"})
    text = page_text(caseworker)
    assert "Nothing was recorded: A note is at most 1,000 characters." in text
    caseworker.post(f"/members/{member}/asked-for-help", {"request": "1"})
    page_text(caseworker)
    with nothing_recorded(web_services):
        caseworker.post(f"/members/{member}/asked-for-help", {"request": "1"})  # a second tap
    assert "Nothing was recorded: This request for help was handled already" in page_text(caseworker)


def test_an_erased_member_leaves_the_queue_and_their_words_with_them(caseworker, web_services):
    member = asks(web_services, "Aisha Elliot", "My secret words.")
    web_services.trust.erase_member(member, MEMBER_THEMSELF)
    assert "My secret words." not in page_text(caseworker)
    assert "No one is waiting for an answer." in page_text(caseworker)


def test_a_trustee_without_the_caseworker_role_cannot_open_the_queue(trustee, web_services):
    asks(web_services, "Aisha Elliot", "Please call me.")
    with nothing_recorded(web_services):
        response = trustee.get(QUEUE)
    assert response.status_code == 403 and "Please call me." not in trustee.text(response)

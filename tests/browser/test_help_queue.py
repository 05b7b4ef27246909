"""The caseworkers' "Asked for help" queue in Chromium: axe finds no serious problem; on a phone
(320 and 375 px) each request is one block, the member's words and "Mark as handled" on the
screen without scrolling sideways; marking it handled with a note takes it off the queue and the
navigation's count goes. The requests are recorded in the served store as the chat records them
(trust.ask_for_help, the member as actor); everything after that is the browser."""

import pytest
from playwright.sync_api import Page, expect

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from domain.kernel.actors import Actor
from tests.browser import steps
from tests.browser.test_accessibility import AXE, describe
from tests.browser.test_phone_tables import _fits, _inside

WORDS = "My landlord wants my bank statements.\nCan someone call me before Friday?"


@pytest.fixture(scope="module")
def queue(browser, start_servers):  # type: ignore[no-untyped-def]
    """A server whose store has a caseworker (signed in: storage state) and two members who asked."""
    server = start_servers()
    signed_in = steps.caseworker_on_new_server(browser, server)
    services = bootstrap(Settings.from_environment({"DATATRUST_VAR": str(server.log.parent / "var")}))
    try:
        member = Actor("member", "via sms")
        for name, words, network in (("Nia Evans", WORDS, "sms"), ("Bob Ray", "Please call me.", "telegram")):
            member_id = services.trust.register_member(name, member, channel="sms", contact="07700 900123")
            services.trust.ask_for_help(member_id, words, network, member)
    finally:
        services.close()
    return server, signed_in


def _open(open_page, queue, width: int, height: int = 800) -> Page:  # type: ignore[no-untyped-def]
    server, signed_in = queue
    page = open_page(storage_state=signed_in, viewport={"width": width, "height": height})
    page.goto(server.url("/members/asked-for-help"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Members who asked for help")
    return page


def test_the_queue_has_no_serious_accessibility_problem(queue, open_page):
    page = _open(open_page, queue, 1280)
    violations = [v for v in AXE.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert not violations, describe(violations)


@pytest.mark.parametrize("width", [320, 375])
def test_on_a_phone_the_words_and_the_action_are_on_the_screen(queue, open_page, screenshots, width):
    page = _open(open_page, queue, width, 740)
    row = page.get_by_role("table").locator("tbody tr").filter(has_text="Nia Evans")
    _inside(page, row.locator("td.help-message"), width)
    _inside(page, row.get_by_role("button", name="Mark as handled for Nia Evans"), width)
    _fits(page, width)
    screenshots(page, f"asked-for-help-{width}")


def test_marking_handled_with_a_note_takes_it_off_the_queue(queue, open_page, screenshots):
    page = _open(open_page, queue, 1280)
    nav = steps.main_nav(page)
    expect(nav).to_contain_text("Asked for help (2 open)")
    expect(page.locator("td.help-message").first).to_contain_text("Can someone call me before Friday?")
    screenshots(page, "asked-for-help-1280")
    page.get_by_label("Note (optional) on Nia Evans's request").fill("Phoned her; she brings the form on Monday.")
    page.get_by_role("button", name="Mark as handled for Nia Evans").click()
    expect(page.get_by_role("status")).to_contain_text("Marked as handled.")
    expect(nav).to_contain_text("Asked for help (1 open)")
    expect(page.get_by_role("table")).not_to_contain_text("Nia Evans")
    page.reload()  # post/redirect/get: a reload sends nothing again
    expect(page.get_by_role("status")).to_have_count(0)
    page.get_by_role("link", name="Handled requests").click()
    expect(page.get_by_role("table")).to_contain_text("Phoned her; she brings the form on Monday.")

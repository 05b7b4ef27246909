"""Recording who a member lives with, in Chromium as a caseworker does it: from the member's page, by
the other member's reference code; a mistake is said on the form; at 375 px nothing needs sideways
scrolling. The two members are recorded in the served store as the chat records them; the rest is the
browser."""

import pytest
from playwright.sync_api import Page, expect

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from domain.kernel.actors import Actor
from tests.browser import steps
from tests.browser.test_accessibility import AXE, describe
from tests.browser.test_phone_tables import _fits


@pytest.fixture(scope="module")
def home(browser, start_servers):  # type: ignore[no-untyped-def]
    """A server with a signed-in caseworker (storage state) and two members: (server, state, ids, code)."""
    server = start_servers()
    signed_in = steps.caseworker_on_new_server(browser, server)
    services = bootstrap(Settings.from_environment({"DATATRUST_VAR": str(server.log.parent / "var")}))
    try:
        member = Actor("member", "via bot")
        nia = services.trust.register_member("Nia Evans", member, channel="bot")
        bob = services.trust.register_member("Bob Evans", member, channel="bot")
        code = services.views.member_card(bob)["reference_code"]
    finally:
        services.close()
    return server, signed_in, (nia, bob), code


def _household_form(open_page, home, width: int) -> Page:  # type: ignore[no-untyped-def]
    server, signed_in, (nia, _), _ = home
    page = open_page(storage_state=signed_in, viewport={"width": width, "height": 800})
    page.goto(server.url(f"/members/{nia}"))
    page.get_by_role("link", name="Record who they live with").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who Nia Evans lives with")
    return page


@pytest.mark.parametrize("width", [1280, 375])
def test_a_mistake_is_said_on_the_form_and_the_page_fits(home, open_page, screenshots, width):
    page = _household_form(open_page, home, width)
    violations = [v for v in AXE.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert not violations, describe(violations)
    page.get_by_role("button", name="Record household").click()
    expect(
        page.get_by_text("Give the code of a member they live with, or tick that they live with none.").first
    ).to_be_visible()
    _fits(page, width)
    screenshots(page, f"household-mistake-{width}")


def test_the_caseworker_records_the_housemate_by_code(home, open_page, screenshots):
    page = _household_form(open_page, home, 1280)
    page.get_by_label("The reference code of a member they live with").fill(home[3])
    screenshots(page, "household-1280")
    page.get_by_role("button", name="Record household").click()
    expect(page.get_by_role("status")).to_contain_text("Household recorded.")
    screenshots(page, "household-recorded-1280")

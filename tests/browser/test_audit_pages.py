"""A trustee audits a member in Chromium, on a desktop (1280 px) and a phone (375 px):
finds her by name on the audit pages, asks who could see her data and to explain one
decision, and reads the late facts. Each answer comes first, in a sentence, on the
screen without scrolling sideways. Screenshots are kept in test-artifacts/browser/<test>/."""

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.steps import LENDER, MEMBER


def on_screen(page: Page, thing: Locator) -> None:
    """Seen as the page opens: inside the screen's width, and above its fold."""
    box = thing.bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5, (box, viewport)
    assert box["y"] + min(box["height"], 40) <= viewport["height"], (box, viewport)


@pytest.mark.parametrize("width", [1280, 375])
def test_a_trustee_audits_a_member_and_each_answer_comes_first_in_words(width, seeded, open_page, screenshots):
    page = open_page(storage_state=seeded.trustee, viewport={"width": width, "height": 800})
    page.goto(seeded.url("/trustee/audit"))

    # Not a caseworker: the trustee finds the member on the audit pages.
    page.get_by_role("link", name="Find the member you are auditing").click()
    page.get_by_label("Name or reference code").fill(MEMBER.split()[1][:5])
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 member found")).to_be_visible()
    screenshots(page, f"01-find-member-{width}")
    page.get_by_role("link", name="Who could see a member's data?").click()
    answer = page.locator("p.answer")
    expect(answer).to_contain_text(f"1 organisation could see {MEMBER}'s data.")
    expect(page.get_by_role("table", name="Answer")).to_contain_text("Affordable credit")
    on_screen(page, answer)
    screenshots(page, f"02-who-could-see-{width}")

    page.goto(seeded.url("/trustee/audit/explain"))
    page.get_by_label("Organisation").select_option(label=LENDER)
    page.get_by_label("Member").fill(seeded.member_code)
    page.get_by_label("Data category").select_option(label="Your household income and outgoings")
    page.get_by_role("button", name="Answer").click()
    expect(answer).to_contain_text(f"Yes: {LENDER} could see {MEMBER}'s household income and outgoings on ")
    expect(answer).to_contain_text("given on paper (form PF-1042).")
    on_screen(page, answer)
    screenshots(page, f"03-explain-{width}")

    page.goto(seeded.url("/trustee/audit/late-facts"))
    registered = page.locator("section").filter(has=page.get_by_role("heading", name=f"Member registered: {MEMBER}"))
    expect(registered).to_contain_text("Recorded")
    on_screen(page, page.get_by_role("button", name="Show"))
    screenshots(page, f"04-late-facts-{width}")
    page.get_by_label("Kind of fact").select_option(label="Consents given")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("section h2")).to_have_text([f"Consent given: {MEMBER}"])
    expect(page.locator("section").first).to_contain_text("Until then no organisation could see their data under it.")
    screenshots(page, f"05-late-facts-consents-given-{width}")

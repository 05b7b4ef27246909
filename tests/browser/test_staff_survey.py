"""A staff survey in the browser: a business signs in to its portal, writes a question and gets its
codes as slips; a member of staff, on a 320 px phone, answers with a code, and the same code is
refused the second time. Every page axe-clean, and nothing to scroll sideways at 320 px."""

from playwright.sync_api import Page, expect

from tests.browser.test_member_portal import _axe_clean, _issue_link, _register_business
from tests.browser.test_phone_tables import _fits

BUSINESS = "Fellside Staff Bakery"
PHONE = {"width": 320, "height": 640}


def _on_a_phone(page: Page, where: str) -> None:
    expect(page.locator("main h1")).to_be_visible()
    _fits(page, PHONE["width"])
    _axe_clean(page, where)


def test_a_business_asks_its_staff_and_a_code_answers_once(seeded, open_page, screenshots):
    _register_business(seeded, BUSINESS)
    caseworker = open_page(storage_state=seeded.caseworker)
    link = _issue_link(caseworker, seeded, BUSINESS)

    owner = open_page(viewport=PHONE)
    owner.goto(link)
    owner.get_by_role("button", name="Sign in").click()
    owner.get_by_role("link", name="Ask your staff").click()
    _on_a_phone(owner, "ask your staff")
    owner.get_by_role("link", name="Start a staff survey").click()
    owner.get_by_label("Title").fill("How is work going?")
    owner.locator("#questions-0-text").fill("How fair is the rota?")
    owner.locator("#questions-0-options").fill("Fair\nMixed\nUnfair")
    owner.get_by_label("How many staff codes do you need?").fill("4")
    owner.get_by_role("button", name="Start the survey and make the codes").click()
    expect(owner.get_by_role("alert")).to_contain_text("Ask for at least 10 staff codes")
    _on_a_phone(owner, "a survey with too few codes")
    owner.get_by_label("How many staff codes do you need?").fill("10")
    owner.get_by_role("button", name="Start the survey and make the codes").click()
    expect(owner.get_by_role("status")).to_contain_text("the only time these codes are shown")
    _on_a_phone(owner, "the codes")
    screenshots(owner, "01-codes")
    codes = [code.strip() for code in owner.locator(".slips .code").all_inner_texts()]
    assert len(set(codes)) == 10

    staff = open_page(viewport=PHONE)
    staff.goto(seeded.url("/survey"))
    _on_a_phone(staff, "the code page")
    staff.get_by_label("Your code").fill(codes[0].lower())
    staff.get_by_role("button", name="Continue").click()
    _on_a_phone(staff, "the questions")
    staff.get_by_label("Mixed").check()
    screenshots(staff, "02-questions")
    staff.get_by_role("button", name="Send my answers").click()
    expect(staff.get_by_role("status")).to_contain_text("Your answers are recorded")
    _on_a_phone(staff, "thanks")

    staff.goto(seeded.url("/survey"))
    staff.get_by_label("Your code").fill(codes[0])
    staff.get_by_role("button", name="Continue").click()
    expect(staff.get_by_role("alert")).to_contain_text("has already been used")
    _on_a_phone(staff, "a used code")
    screenshots(staff, "03-used-code")

    owner.goto(seeded.url("/portal/staff-surveys"))
    expect(owner.locator("main")).to_contain_text("1 of 10 codes used")

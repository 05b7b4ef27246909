"""Someone using only a keyboard: the skip link comes first, and signing in
needs nothing but typing, Tab and Enter."""

import re

from playwright.sync_api import expect

from tests.browser.steps import PASSWORD


def active(page) -> dict:  # type: ignore[no-untyped-def]
    return page.evaluate(
        "({id: document.activeElement.id, text: document.activeElement.textContent.trim(),"
        " tag: document.activeElement.tagName.toLowerCase()})"
    )


def test_sign_in_with_the_keyboard_only(seeded, open_page):
    page = open_page()
    page.goto(seeded.url("/sign-in"))
    keys = page.keyboard

    # The first Tab stop is the skip link, and it shows itself when focused.
    keys.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0, box

    # It jumps to the main content; the next Tab stop is the username.
    keys.press("Enter")
    assert active(page)["id"] == "main", active(page)
    keys.press("Tab")
    expect(page.get_by_label("Username")).to_be_focused()
    keys.type(seeded.trustee_username)
    keys.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    keys.type(PASSWORD)
    keys.press("Enter")

    # (The browser keeps the "#main" it jumped to through the redirect.)
    expect(page).to_have_url(re.compile(re.escape(seeded.url("/trustee")) + r"(#main)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The trust at a glance")
    expect(page.locator(".sign-out")).to_contain_text(f"Signed in as {seeded.trustee_username}")

"""What people do on the trust's pages, step by step, as they would: by the words
on the page (labels, buttons, links), never by the markup behind them.

Each step checks what the person would notice before moving on."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

LONDON = ZoneInfo("Europe/London")  # the trust's local time: the forms' dates are UK dates
PASSWORD = "correct horse battery staple"  # noqa: S105 - the test accounts' password
FIRST_TRUSTEE = "trustee"  # made by `datatrust serve` on a new store
LENDER = "Eden Valley Credit Union"
MEMBER = "Mary Atkinson"
CODE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")


def now() -> datetime:
    return datetime.now(LONDON)


def days_ago(days: int) -> str:
    """A date as a date input takes it (YYYY-MM-DD), in UK time."""
    return (now().date() - timedelta(days=days)).isoformat()


def local_moment(moment: datetime) -> str:
    """A UK moment as a datetime-local input takes it (seconds only when not zero,
    as the browser itself writes it)."""
    moment = moment.astimezone(LONDON)
    return f"{moment:%Y-%m-%dT%H:%M}" + (f":{moment:%S}" if moment.second else "")


def main_nav(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("navigation", name="Main")


def signed_in_as(page: Page, username: str) -> None:
    expect(page.locator(".sign-out")).to_contain_text(f"Signed in as {username}")


def choose_password(page: Page, link: str, password: str = PASSWORD) -> None:
    """Open a one-time link, choose a password: signed in, on the home page."""
    page.goto(link)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Welcome, "))
    username = heading.inner_text().removeprefix("Welcome, ").strip()
    page.get_by_label("New password").fill(password)
    page.get_by_label("Type the password again").fill(password)
    page.get_by_role("button", name="Save password and sign in").click()
    signed_in_as(page, username)


def sign_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base_url + "/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    signed_in_as(page, username)


def open_account(page: Page, username: str, roles: list[str]) -> str:
    """A trustee opens a staff account; returns the one-time link shown for it."""
    main_nav(page).get_by_role("link", name="Staff accounts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff accounts")
    page.get_by_label("Username", exact=True).fill(username)
    for role in roles:
        page.get_by_role("group", name="Roles").get_by_label(role, exact=True).check()
    page.get_by_role("button", name="Open account").click()
    notice = page.get_by_role("status").filter(has_text=f"Sign-in link for {username}.")
    expect(notice).to_be_visible()
    link = notice.locator(".secret").inner_text().strip()
    assert "/welcome/" in link, link
    expect(page.get_by_role("table", name="Staff accounts").get_by_role("link", name=username)).to_be_visible()
    return link


def caseworker_on_new_server(browser, server) -> dict:  # type: ignore[no-untyped-def]
    """On a fresh server: the first trustee opens an account for caseworker "cal", who chooses a
    password; cal's signed-in storage state (cookies) to open pages with."""
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    try:
        trustee = context.new_page()
        choose_password(trustee, server.welcome_url)
        cal_link = open_account(trustee, "cal", ["Caseworker"])
        cal = browser.new_context(locale="en-GB", timezone_id="Europe/London")
        choose_password(cal.new_page(), cal_link)
        signed_in = cal.storage_state()
        cal.close()
    finally:
        context.close()
    return signed_in


def register_organisation(page: Page, name: str, kind: str) -> str:
    """A trustee registers an organisation; returns its page's address."""
    main_nav(page).get_by_role("link", name="Organisations").click()
    page.get_by_label("Organisation name").fill(name)
    page.get_by_label("Kind").select_option(label=kind)
    page.get_by_role("button", name="Register organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("status")).to_contain_text("It sees nothing until approved.")
    return page.url


def approve_organisation(page: Page, agreement_ref: str, signed_on: str) -> None:
    """On an organisation's page, a trustee approves it under an agreement."""
    page.get_by_label("Data-sharing agreement reference").fill(agreement_ref)
    page.get_by_label("Date the agreement was signed").fill(signed_on)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text("Organisation approved under the agreement.")
    expect(page.locator("dl.summary")).to_contain_text("approved")
    expect(page.locator("dl.summary")).to_contain_text(agreement_ref)


def register_member(page: Page, name: str, signed_on: str, form_ref: str = "PF-1042") -> tuple[str, str]:
    """A caseworker copies a paper form: affordable credit for every approved
    social lender. Returns the member page's address and the reference code."""
    main_nav(page).get_by_role("link", name="Register from a paper form").click()
    page.get_by_label("Name or nickname").fill(name)
    page.get_by_label("How to reach them (optional)").fill("07700 900123")
    page.get_by_label("Date the form was signed").fill(signed_on)
    page.get_by_label("Paper form reference").fill(form_ref)
    page.get_by_label("Which postcode district do you live in?").fill("CA11")
    page.get_by_label("Which age band are you in?").select_option("65-74")
    page.get_by_label("How would you describe your gender?").select_option(label="Prefers not to say")
    credit = page.get_by_role("group", name="Affordable credit", exact=True)
    credit.get_by_label("Ticked: Affordable credit").check()
    credit.get_by_label("Who may see it").select_option(label="Every approved social lender")
    data = credit.get_by_role("group", name="Which data")
    data.get_by_label("How to reach you (name, phone, chat)").check()
    data.get_by_label("Your household income and outgoings").check()
    page.get_by_role("button", name="Register member").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("status").filter(has_text="Member registered with 1 consent.")).to_be_visible()
    code = page.locator("dl.summary dd.code").inner_text().strip()
    assert CODE.match(code), code
    return page.url, code


def confirm_in_person(page: Page, name: str) -> None:
    """A second caseworker finds the member waiting and confirms them in person."""
    main_nav(page).get_by_role("link", name="Waiting to confirm").click()
    page.get_by_role("table").get_by_role("link", name=name).click()
    page.get_by_role("link", name="in person with a second caseworker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Confirm {name}'s membership in person")
    page.get_by_label("I have met this member in person").check()
    page.get_by_role("button", name="Confirm membership").click()
    expect(page.get_by_role("status").filter(has_text="Membership confirmed.")).to_be_visible()
    expect(page.get_by_text("Not confirmed yet.")).to_have_count(0)


def record_withdrawal(page: Page, member_url: str, purpose: str, signed_on: str, form_ref: str) -> None:
    """A caseworker records a signed withdrawal from the member's page."""
    page.goto(member_url)
    page.get_by_role("link", name=f"Record withdrawal of {purpose}").click()
    consent = page.get_by_role("group", name="Which consent is withdrawn").get_by_role("radio")
    expect(consent).to_have_count(1)
    expect(consent).to_be_checked()  # the one chosen on the member's page
    page.get_by_label("Date the withdrawal was signed").fill(signed_on)
    page.get_by_label("Withdrawal form reference").fill(form_ref)
    page.get_by_role("button", name="Record withdrawal").click()
    expect(page.get_by_role("status").filter(has_text="Withdrawal recorded.")).to_be_visible()


def ask_who_could_see(page: Page, member: str, at: datetime, axis: str) -> None:
    """A trustee asks the audit question on one time axis ("recorded" or "effective")."""
    main_nav(page).get_by_role("link", name="Audit").click()
    page.get_by_role("link", name="Who could see a member's data?").click()
    page.get_by_label("Member").fill(member)
    page.get_by_label("At (optional)").fill(local_moment(at))
    page.get_by_role("group", name="Time axis").get_by_label(f"({axis})").check()
    page.get_by_role("button", name="Answer").click()
    expect(page.get_by_role("heading", name="Answer", exact=True)).to_be_visible()

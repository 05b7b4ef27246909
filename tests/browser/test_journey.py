"""The whole journey of a late withdrawal, by the people who do it, in a browser.

A member signs a paper form; a caseworker registers it; trustees approve a
social lender; a second caseworker confirms the member in person. Later the
member's signed withdrawal, dated two days ago, is recorded today: a late fact.
Until it was recorded the system let the lender see the member's data (the
recorded axis); in the world the member had already said no (the effective
axis). The audit pages show both, and the late-facts report lists it."""

import time
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser import steps
from tests.browser.steps import LENDER, MEMBER


def test_a_late_withdrawal_is_seen_on_the_recorded_axis_only(start_servers, open_page, screenshots):
    server = start_servers()  # a new store: no staff accounts yet
    shot = screenshots

    # The first trustee opens the one-time link `datatrust serve` printed, and chooses a password.
    trustee = open_page()
    steps.choose_password(trustee, server.welcome_url)
    expect(trustee.get_by_role("heading", level=1)).to_have_text("The trust at a glance")
    shot(trustee, "01-first-trustee-signed-in")

    # The trustee opens two caseworker accounts, each with its own one-time link.
    cal_link = steps.open_account(trustee, "cal", ["Caseworker"])
    shot(trustee, "02-caseworker-account-opened")
    cass_link = steps.open_account(trustee, "cass", ["Caseworker"])
    assert cal_link != cass_link

    # Cal, in a browser of their own, signs in through the link and registers the paper form.
    cal = open_page()
    steps.choose_password(cal, cal_link)
    expect(cal.get_by_role("heading", level=1)).to_have_text("Find a member")
    member_url, code = steps.register_member(cal, MEMBER, signed_on=steps.days_ago(5))
    expect(cal.get_by_text("Not confirmed yet.")).to_be_visible()
    consents = cal.get_by_role("table", name="This member's consents")
    expect(consents).to_contain_text("Affordable credit")
    expect(consents).to_contain_text("every approved social-lender")
    shot(cal, "03-member-registered-unconfirmed")

    # The trustee registers the social lender and approves it.
    steps.register_organisation(trustee, LENDER, "Social lender")
    shot(trustee, "04-lender-registered")
    steps.approve_organisation(trustee, "DSA-2026-01", steps.days_ago(0))
    shot(trustee, "05-lender-approved")

    # Cal may not confirm their own registration; Cass, a second caseworker, does, in person.
    cal.goto(member_url + "/confirm")
    cal.get_by_label("I have met this member in person").check()
    cal.get_by_role("button", name="Confirm membership").click()
    expect(cal.get_by_role("alert")).to_contain_text("A second caseworker")
    cass = open_page()
    steps.choose_password(cass, cass_link)
    steps.confirm_in_person(cass, MEMBER)
    expect(cass.locator("dl.summary")).to_contain_text("active")
    shot(cass, "06-member-confirmed")

    # A moment when the lender could see the member's data, as far as the system knew.
    lender_could_see = (steps.now() + timedelta(seconds=1)).replace(microsecond=0)
    while steps.now() <= lender_could_see:
        time.sleep(0.05)

    # Cal records the withdrawal the member signed two days ago: a late withdrawal.
    steps.record_withdrawal(cal, member_url, "Affordable credit", steps.days_ago(2), "WF-2001")
    expect(consents).to_contain_text("withdrawn")
    expect(cal.get_by_role("link", name="Record withdrawal of Affordable credit")).to_have_count(0)
    shot(cal, "07-late-withdrawal-recorded")

    # Recorded axis: what the system enforced then. The lender could see the member.
    steps.ask_who_could_see(trustee, code, lender_could_see, "recorded")
    answer = trustee.get_by_role("table", name="Answer")
    expect(answer).to_contain_text(LENDER)
    expect(answer).to_contain_text("Affordable credit")
    shot(trustee, "08-who-could-see-recorded")
    with trustee.expect_download() as download:
        trustee.get_by_role("link", name="Download this answer as CSV").click()
    with open(download.value.path(), encoding="utf-8") as csv:
        assert LENDER in csv.read()

    # Effective axis: what was true in the world. The member had already withdrawn.
    steps.ask_who_could_see(trustee, code, lender_could_see, "effective")
    expect(trustee.get_by_role("table", name="Answer")).to_have_count(0)
    expect(trustee.get_by_text("No organisation could see this member's data then.")).to_be_visible()
    shot(trustee, "09-who-could-see-effective")

    # The late-facts report lists the withdrawal, and the lender that could still see.
    steps.main_nav(trustee).get_by_role("link", name="Audit").click()
    trustee.get_by_role("link", name="Late facts: what was recorded after it took effect").click()
    withdrawal = trustee.locator("section").filter(
        has=trustee.get_by_role("heading", name=f"Consent withdrawn: {MEMBER}")
    )
    expect(withdrawal).to_have_count(1)
    expect(withdrawal).to_contain_text("WF-2001")
    expect(withdrawal).to_contain_text(f"{LENDER} could still see {MEMBER}'s data")
    shot(trustee, "10-late-facts")

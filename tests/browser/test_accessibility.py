"""axe-core on the main pages, as the people who use them see them.

No violation of impact "serious" or "critical" is allowed. Every page's full
result (all impacts) is written to test-artifacts/browser/axe/<page>.json."""

import json
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, Seeded

BLOCKING = {"serious", "critical"}
AXE = Axe()


def _go(path: str) -> Callable[[Page, Seeded], None]:
    def go(page: Page, seeded: Seeded) -> None:
        page.goto(seeded.url(path))

    return go


def register_errors(page: Page, seeded: Seeded) -> None:
    page.goto(seeded.url("/members/new"))
    page.get_by_role("button", name="Register member").click()
    expect(page.get_by_role("alert")).to_contain_text("problems")


def member(page: Page, seeded: Seeded) -> None:
    page.goto(seeded.member_url)


def withdraw(page: Page, seeded: Seeded) -> None:
    page.goto(seeded.member_url)
    page.get_by_role("link", name="Record withdrawal of Affordable credit").click()


def member_terms(page: Page, seeded: Seeded) -> None:
    page.goto(seeded.member_url)
    page.get_by_role("link", name="Record agreement to the membership terms (version 2) from a signed form").click()


def organisation(page: Page, seeded: Seeded) -> None:
    page.goto(seeded.organisation_url)


def who_could_see(page: Page, seeded: Seeded) -> None:
    # "At" left blank: now, when the confirmed member's lender can see them.
    page.goto(seeded.url(f"/trustee/audit/who-could-see?member={seeded.member_code}&at=&axis=recorded"))
    expect(page.get_by_role("table", name="Answer")).to_be_visible()


def explain(page: Page, seeded: Seeded) -> None:
    page.goto(seeded.url("/trustee/audit/explain"))
    page.get_by_label("Organisation").select_option(index=1)
    page.get_by_label("Member").fill(seeded.member_code)
    page.get_by_role("button", name="Answer").click()
    expect(page.locator("p.answer")).to_be_visible()


PAGES = [
    ("sign-in", None, _go("/sign-in")),
    ("find-a-member", "caseworker", _go("/members?q=Atkinson")),
    ("register", "caseworker", _go("/members/new")),
    ("register-errors", "caseworker", register_errors),
    ("member", "caseworker", member),
    ("withdraw", "caseworker", withdraw),
    ("member-terms", "caseworker", member_terms),
    ("dashboard", "trustee", _go("/trustee")),
    ("organisations", "trustee", _go("/trustee/organisations")),
    ("organisation", "trustee", organisation),
    ("staff-accounts", "trustee", _go("/trustee/staff")),
    ("who-could-see", "trustee", who_could_see),
    ("late-facts", "trustee", _go("/trustee/audit/late-facts")),
    ("late-facts-errors", "trustee", _go("/trustee/audit/late-facts?start=someday")),
    ("explain", "trustee", explain),
    ("audit-find-member", "trustee", _go("/trustee/audit/members?q=Atkinson")),
]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} - {v['helpUrl']}")
        for node in v["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.mark.parametrize(("name", "person", "open_it"), PAGES, ids=[p[0] for p in PAGES])
def test_no_serious_accessibility_problems(name, person, open_it, seeded, open_page):
    state = getattr(seeded, person) if person else None
    page = open_page(storage_state=state)
    open_it(page, seeded)
    expect(page.locator("main h1")).to_be_visible()

    results = AXE.run(page).response
    assert results["passes"], "axe checked nothing"
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(results["violations"], indent=2))
    if results["violations"]:
        print(f"axe on {name} ({page.url}):\n{describe(results['violations'])}")

    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"axe found serious problems on {name} ({page.url}):\n{describe(blocking)}"

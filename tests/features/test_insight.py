"""Insight requests answered by community panels: features/insight/."""

import re
from uuid import UUID

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from domain.insight.model import PanelCriteria
from domain.insight.sortition import Quota
from domain.kernel.errors import TrustError
from domain.trust import Audience
from tests.features.conftest import TRUSTEE, words
from tests.integration.insight_support import COUNCIL_CLIENT, MEMBER, QUESTIONS, answer_all
from tests.integration.test_insight_release import unrecoverable

scenarios("insight")


@pytest.fixture
def panel() -> dict:
    return {}


@given(
    parsers.re(
        r"(?P<count>\d+) members let every approved council have their panel answers for community insight: "
        r"(?P<areas>.+)"
    )
)
def consenting_members(trust, panel, count, areas):
    groups = re.findall(r"(\d+) (?:in (\w+)|who prefer not to say)", areas)
    panel["consents"] = {}
    for how_many, area in groups:
        for number in range(int(how_many)):
            member = trust.register_member(
                f"Panel member {area or 'x'}{number}",
                MEMBER,
                channel="bot",
                profile={"area": area or "prefer-not-to-say"},
            )
            panel["consents"][member] = trust.grant_consent(
                member, "community-insight", ["profile", "panel-answers"], Audience(kind="council"), MEMBER
            )
    assert len(panel["consents"]) == int(count)


@given(
    words(
        '"{organisation:Q}" has asked "{title:Q}" of a panel of {size:d} with at least {ca1:d} from CA1, '
        "{ca2:d} from CA2 and {ca3:d} from CA3, broken down by area, closing on {closes:Moment}, for a fee of £{fee}"
    )
)
def asked(trust, scene, panel, organisation, title, size, ca1, ca2, ca3, closes, fee):
    quotas = (Quota("area", "CA1", ca1, size), Quota("area", "CA2", ca2, size), Quota("area", "CA3", ca3, size))
    panel["request"] = trust.submit_insight_request(
        scene.organisations[organisation],
        title,
        "community-insight",
        QUESTIONS,
        PanelCriteria(size, quotas, ("area",)),
        int(fee.replace(",", "")) * 100,
        closes,
        COUNCIL_CLIENT,
    )


@given(words('a trustee has approved the request because "{reason:Q}"'))
def approve(trust, panel, reason):
    trust.review_insight_request(panel["request"], "approve", reason, TRUSTEE)


@given("a trustee has drawn the panel")
@when("a trustee draws the panel")
def draw(trust, views, clock, panel):
    trust.draw_panel(panel["request"], TRUSTEE)
    panel["seated"] = [row["member_id"] for row in views.panel_roster(panel["request"])]
    clock.advance(hours=1)


@given("every member of the panel has answered")
@when("every member of the panel answers")
def everyone_answers(trust, panel):
    answer_all(trust, panel["request"], panel["seated"])


@when("a member of the panel withdraws their consent for community insight")
def withdraws(trust, panel):
    panel["leaver"] = panel["seated"][0]
    trust.revoke_consent(panel["consents"][panel["leaver"]], MEMBER)


@when("the request is closed")
def close(trust, panel):
    panel["release"] = trust.close_insight_request(panel["request"], TRUSTEE)


def result(views, panel) -> dict:
    return views.insight_request(panel["request"])["result"]


@then(words("the council's result counts {count:d} respondents"))
def respondents(views, panel, count):
    assert result(views, panel)["respondents"] == count == panel["release"].respondents


@then(words("the council's result by area withholds the {area} row"))
def withholds_row(views, panel, area):
    for table in result(views, panel)["tables"]:
        if table["attribute"] == "area":
            (row,) = [row for row in table["rows"] if row["group"] == area]
            assert row["respondents"]["suppressed"]
            assert all(cell["suppressed"] for cell in row["answers"].values())


@then("no withheld figure of the result can be worked out from the published ones")
def nothing_recoverable(views, panel):
    for table in result(views, panel)["tables"]:
        if table["attribute"]:
            unrecoverable(table)


@then("the trustees can run the draw again and get the same panel")
def rerun(trust, panel):
    check = trust.rerun_panel_draw(panel["request"])
    assert check.matches and sorted(check.rerun) == sorted(str(m) for m in panel["seated"])


@then(words('the roster shows that member "{state:Q}" since {since:Moment}'))
def roster_now(views, panel, state, since):
    row = {r["member_id"]: r for r in views.panel_roster(panel["request"])}[panel["leaver"]]
    assert (row["state"], row["changed_at"]) == (state, since)


@then(words('the roster as of {at:Moment} shows that member "{state:Q}"'))
def roster_then(views, panel, at, state):
    rows = {r["member_id"]: r["state"] for r in views.panel_roster(panel["request"], as_of=at)}
    assert rows[panel["leaver"]] == state


# Reserves, and the nearest quotas (features/insight/panel_reserves.feature, nearest_quotas.feature)


def _area(trust, member) -> str:
    return trust.member_personal_data(member)["profile"]["area"]


def _meets(trust, panel_request, members) -> bool:
    quotas = trust.insight_request(panel_request).criteria["quotas"]
    areas = [_area(trust, m) for m in members]
    return all(q["minimum"] <= areas.count(q["value"]) <= q["maximum"] for q in quotas)


def _seated(views, panel) -> list:
    return [r["member_id"] for r in views.panel_roster(panel["request"]) if r["state"] in ("invited", "answered")]


@when("a member of the panel from CA3 declines")
def ca3_declines(trust, views, panel):
    panel["before"] = _seated(views, panel)
    panel["leaver"] = next(m for m in panel["before"] if _area(trust, m) == "CA3")
    trust.decline_panel(panel["request"], panel["leaver"], MEMBER)


@then("the first reserve in order whose taking the seat keeps every quota met is invited")
def first_suitable(trust, views, panel):
    (replaced,) = views.panel_reserves(panel["request"])["replacements"]
    rest = [m for m in panel["before"] if m != panel["leaver"]]
    reserves = trust.insight_request(panel["request"]).draw["reserves"]
    suitable = next(UUID(r) for r in reserves if _meets(trust, panel["request"], [*rest, UUID(r)]))
    assert replaced["leaver"] == panel["leaver"] and replaced["reserve"] == suitable
    panel["reserve"] = suitable


@then(words("the panel has {count:d} members meeting every quota"))
def panel_meets(trust, views, panel, count):
    seated = _seated(views, panel)
    assert len(seated) == count and _meets(trust, panel["request"], seated)


@then(words('the trustees see that the member "{reason:Q}" and which reserve took the seat'))
def trustees_see(views, panel, reason):
    (replaced,) = views.panel_reserves(panel["request"])["replacements"]
    codes = {r["member_id"]: r["reference_code"] for r in views.panel_roster(panel["request"])}
    assert replaced["reason"] == reason
    assert (replaced["leaver_code"], replaced["reserve_code"]) == (codes[panel["leaver"]], codes[panel["reserve"]])


@then("the reserve finds the panel among their invitations")
def reserve_invited(trust, panel):
    (invitation,) = trust.panel_invitations(panel["reserve"])
    assert invitation.request_id == panel["request"] and not invitation.answered


@when("a trustee tries to draw the panel")
def try_draw(trust, panel):
    try:
        trust.draw_panel(panel["request"], TRUSTEE)
    except TrustError as error:  # the refusal is the behaviour under test
        panel["refused"] = str(error)


@then(words('the draw is refused saying "{quota:Q}" is "{how:Q}"'))
def refused(views, panel, quota, how):
    assert quota in panel["refused"] and how in panel["refused"]
    assert views.insight_request(panel["request"])["draw"] is None


@then(words('the trustee is shown the nearest quotas: "{change:Q}"'))
def shown_nearest(trust, panel, change):
    panel["nearest"] = trust.nearest_quotas(panel["request"])
    assert [str(c) for c in panel["nearest"].changes] == [change]


@when("the trustee accepts the nearest quotas")
def accepts(trust, clock, panel):
    trust.accept_nearest_quotas(panel["request"], panel["nearest"].proposal, TRUSTEE)
    panel["accepted_at"] = clock()


@then(words('the request records the trustee\'s decision "{change:Q}"'))
def recorded_decision(views, panel, change):
    (decision,) = views.panel_reserves(panel["request"])["quota_changes"]
    assert decision == dict(changes=[change], actor=str(TRUSTEE), at=panel["accepted_at"])

"""A council, a community of consenting members and a well-formed insight request, for the insight tests."""

from datetime import timedelta

from domain.insight.disclosure.release import Question
from domain.insight.model import PanelCriteria
from domain.insight.sortition import Quota
from domain.kernel.actors import Actor
from domain.trust import Audience
from tests.conftest import MEMBER_THEMSELF, OPERATOR, TRUSTEE

COUNCIL_CLIENT = Actor("organisation", "cumbria council")
MEMBER = Actor("member", "via bot")
QUESTIONS = (
    Question("buses", "single", "How good are the buses where you live?", ("good", "fair", "poor")),
    Question("needs", "multiple", "What would help most?", ("more-buses", "cheaper-fares", "later-buses")),
    Question("ideas", "text", "Anything else?", ()),
)
CRITERIA = PanelCriteria(
    size=30,
    quotas=(Quota("area", "CA1", 12, 16), Quota("area", "CA2", 12, 16), Quota("area", "CA3", 2, 10)),
    breakdown=("area",),
)
AREAS = ["CA1"] * 26 + ["CA2"] * 26 + ["CA3"] * 5 + ["prefer-not-to-say"] * 3
AGES = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74"]


def council(trust, clock, name: str = "Cumbria Council"):
    organisation = trust.register_organisation(name, "council", TRUSTEE)
    trust.approve_organisation(organisation, "DSA-7", clock().date(), TRUSTEE)
    return organisation


def community(trust, count: int = len(AREAS)) -> dict:
    """Members who let councils have their panel answers for community insight: id -> consent id."""
    joined = {}
    for number in range(count):
        member = trust.register_member(
            f"Member {number}",
            MEMBER_THEMSELF,
            channel="bot",
            profile={"area": AREAS[number % len(AREAS)], "age-band": AGES[number % len(AGES)]},
        )
        joined[member] = trust.grant_consent(
            member, "community-insight", ["profile", "panel-answers"], Audience(kind="council"), OPERATOR
        )
    return joined


def submit(trust, clock, organisation, **changes):
    asked = dict(
        organisation_id=organisation,
        title="Buses in the Carlisle area",
        purpose="community-insight",
        questions=QUESTIONS,
        criteria=CRITERIA,
        fee_offered_pence=150_000,
        closes_at=clock() + timedelta(days=14),
        actor=COUNCIL_CLIENT,
    )
    asked.update(changes)
    return trust.submit_insight_request(**asked)


def approved_request(trust, clock, organisation):
    request = submit(trust, clock, organisation)
    trust.review_insight_request(request, "approve", "Clear questions, fair fee.", TRUSTEE)
    return request


def answer_all(trust, request, members, skip=()):
    """Every seated member answers (choices spread so some cells are small)."""
    options = ["good", "fair", "poor"]
    for number, member in enumerate(members):
        if member in skip:
            continue
        answers = {"buses": options[number % 3], "needs": ["more-buses"] if number % 2 else ["cheaper-fares"]}
        if number % 4 == 0:
            answers["ideas"] = f"Idea number {number}"
        trust.answer_panel(request, member, answers, MEMBER)

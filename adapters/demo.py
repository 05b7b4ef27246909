"""A realistic small history for trying the trust out (`datatrust demo`).

Recorded as if it happened over the last four months: members joining by bot,
web and paper, three organisations, consents given and withdrawn (one on a paper
form entered days late), a suspension, reads by organisations, and an erasure; then
every other capability once: members who let councils have their community panel
answers, an insight request reviewed, drawn, answered and closed with its anonymised
result, a proposal voted on and closed, and one still open for votes.
"""

import random
from datetime import datetime, timedelta

from adapters.bootstrap import Services
from domain.insight.disclosure.release import Question
from domain.insight.model import PanelCriteria
from domain.kernel.actors import Actor
from domain.kernel.errors import NotAllowedNow, TrustError
from domain.trust import Audience

FIRST = [
    "Aisha",
    "Ben",
    "Carys",
    "Dev",
    "Elin",
    "Fraser",
    "Grace",
    "Hamza",
    "Iona",
    "Jack",
    "Kiran",
    "Lowri",
    "Mo",
    "Nia",
    "Owen",
    "Priya",
    "Quinn",
    "Rhys",
    "Sana",
    "Tom",
    "Uma",
    "Vik",
    "Wren",
    "Yusuf",
]
LAST = ["Armstrong", "Bell", "Carr", "Dixon", "Elliot", "Graham", "Hodgson", "Irving", "Jackson", "Nixon"]
AREAS = ["CA1", "CA2", "CA3", "CA11", "LA9", "LA12", "CA28"]
TRUSTEE, CASEWORKER, SECOND = Actor("trustee", "tess"), Actor("caseworker", "cal"), Actor("caseworker", "sam")


class DemoClock:
    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def load_demo(services: Services, members: int = 36, seed: int = 7) -> dict:
    trust, views = services.trust, services.views
    if trust.last_position():
        raise NotAllowedNow("The demo history only loads into an empty store.")
    rng = random.Random(seed)
    panel_rng = random.Random(seed + 1)  # its own, so the rest of the history stays as it was
    real_clock = trust.clock
    clock = DemoClock(real_clock() - timedelta(days=120))
    trust.clock = clock
    try:
        lender = trust.register_organisation("Eden Valley Credit Union", "social-lender", TRUSTEE)
        council = trust.register_organisation("Cumbria County Council", "council", TRUSTEE)
        funder = trust.register_organisation("Northern Community Fund", "funder", TRUSTEE)
        for organisation, ref in ((lender, "DSA-2026-001"), (council, "DSA-2026-002"), (funder, "DSA-2026-003")):
            clock.advance(hours=2)
            trust.approve_organisation(organisation, ref, clock.now.date(), TRUSTEE)
        people = []
        for number in range(members):
            clock.advance(hours=rng.randint(20, 60))
            channel = rng.choice(["bot", "bot", "web", "paper"])
            answers = {
                "area": rng.choice(AREAS),
                "age-band": rng.choice(["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]),
                "gender": rng.choice(["woman", "man", "non-binary", "prefer-not-to-say"]),
            }
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            signed = clock.now - timedelta(days=2) if channel == "paper" else None
            actor = CASEWORKER if channel == "paper" else Actor("member", f"m{number}")
            member = trust.register_member(
                name,
                actor,
                channel=channel,
                profile=answers,
                effective_at=signed,
                evidence_ref=f"PF-{1000 + number}" if channel == "paper" else None,
            )
            if channel == "paper" and rng.random() < 0.7:
                clock.advance(hours=30)
                trust.confirm_member(member, SECOND, how="in person with a second caseworker")
            people.append(member)
            via = "paper" if channel == "paper" else channel
            evidence = f"PF-{1000 + number}" if via == "paper" else None
            trust.grant_consent(
                member,
                "affordable-credit",
                ["household-finances", "housing"],
                Audience(lender),
                actor,
                collected_via=via,
                evidence_ref=evidence,
                effective_at=signed,
            )
            if rng.random() < 0.6:
                trust.grant_consent(
                    member,
                    "service-planning",
                    ["housing", "profile"],
                    Audience(kind="council"),
                    actor,
                    collected_via=via,
                    evidence_ref=evidence,
                    effective_at=signed,
                )
            if rng.random() < 0.4:
                trust.grant_consent(
                    member,
                    "grant-making",
                    ["profile"],
                    Audience(funder),
                    actor,
                    collected_via=via,
                    evidence_ref=evidence,
                    expires_at=clock.now + timedelta(days=60),
                    effective_at=signed,
                )
            if panel_rng.random() < 0.8:  # community insight: only anonymised counts reach councils
                trust.grant_consent(
                    member,
                    "community-insight",
                    ["profile", "panel-answers"],
                    Audience(kind="council"),
                    actor,
                    collected_via=via,
                    evidence_ref=evidence,
                    effective_at=signed,
                )
        clock.advance(days=2)
        for member in people[:12]:
            clock.advance(hours=3)
            trust.record_access(
                lender, member, "affordable-credit", ["household-finances"], Actor("organisation", "evcu-api")
            )
        # A member signs a withdrawal at the library on Monday; it is entered on Thursday.
        late_member = people[1]
        credit = next(c for c in views.consents(late_member, clock.now) if c["purpose"] == "affordable-credit")
        signed_on = clock.advance(days=1)
        clock.advance(hours=20)
        trust.record_access(lender, late_member, "affordable-credit", ["housing"], Actor("organisation", "evcu-api"))
        clock.advance(days=2)
        trust.revoke_consent(credit["consent_id"], CASEWORKER, effective_at=signed_on, evidence_ref="WD-0042")
        for member in rng.sample(people[2:], 4):
            clock.advance(hours=rng.randint(5, 30))
            for consent in views.consents(member, clock.now):
                if consent["status"] == "active":
                    trust.revoke_consent(consent["consent_id"], Actor("member", "self"))
                    break
        clock.advance(days=3)
        trust.suspend_organisation(funder, "Data-sharing agreement breached: data kept past retention", TRUSTEE)
        clock.advance(days=10)
        trust.reinstate_organisation(funder, "Retention fixed and audited", TRUSTEE)
        clock.advance(days=1)
        trust.member_leaves(people[3], Actor("member", "self"))
        clock.advance(days=2)
        trust.erase_member(people[4], TRUSTEE)
        insight = _closed_insight_request(trust, views, clock, council, panel_rng)
        proposals = _proposals(trust, clock, people, real_clock)
    finally:
        trust.clock = real_clock
    return {
        "members": people,
        "organisations": {"lender": lender, "council": council, "funder": funder},
        "late_member": late_member,
        "insight_request": insight,
        "proposals": proposals,
    }


BUS_QUESTIONS = (
    Question("buses", "single", "How good are the buses where you live?", ("good", "fair", "poor")),
    Question("help", "multiple", "What would help most?", ("more buses", "cheaper fares", "later buses")),
)


def _closed_insight_request(trust, views, clock: DemoClock, council, rng: random.Random):  # type: ignore[no-untyped-def]
    """The council asks the community about buses; trustees approve and draw the panel; most of
    it answers; after the closing time the anonymised result is recorded (small groups withheld)."""
    clock.advance(days=1)
    request = trust.submit_insight_request(
        council,
        "Buses in Cumbria",
        "community-insight",
        BUS_QUESTIONS,
        PanelCriteria(size=20),
        75_000,
        clock.now + timedelta(days=10),
        Actor("organisation", "council portal"),
    )
    clock.advance(hours=20)
    trust.review_insight_request(request, "approve", "Clear questions and a fair fee.", TRUSTEE)
    clock.advance(hours=1)
    trust.draw_panel(request, TRUSTEE)
    for number, row in enumerate(views.panel_roster(request)):
        clock.advance(hours=rng.randint(1, 8))
        if number % 7 == 6:
            continue  # a few never answer
        bus = "good" if number % 3 else rng.choice(["fair", "poor"])
        helps = ["more buses", "later buses"] if number % 3 else ["cheaper fares"]
        trust.answer_panel(request, row["member_id"], {"buses": bus, "help": helps}, Actor("member", "self"))
    clock.now = max(clock.now, views.insight_request(request)["closes_at"]) + timedelta(hours=1)
    trust.close_insight_request(request, TRUSTEE)
    return request


def _proposals(trust, clock: DemoClock, people: list, real_clock) -> dict:  # type: ignore[no-untyped-def]
    """A poll voted on and closed, and a second still open for votes after the demo."""
    clock.advance(days=1)
    closed = trust.open_proposal(
        "Pay members who answer a community panel",
        "Share each insight fee with the members who answered: half to them, half to the trust's running costs.",
        ["For", "Against"],
        clock.now + timedelta(days=7),
        TRUSTEE,
    )
    _votes(trust, clock, closed, people, [0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0])
    clock.advance(days=7)
    trust.close_proposal(closed, TRUSTEE)
    clock.advance(days=1)
    still_open = trust.open_proposal(
        "Add a 'transport' data category",
        "Let members share how they get about (car, bus, bike), for councils planning transport.",
        ["For", "Against"],
        real_clock() + timedelta(days=14),
        TRUSTEE,
    )
    _votes(trust, clock, still_open, people, [0, 1, 0, 0])
    return {"closed": closed, "open": still_open}


def _votes(trust, clock: DemoClock, proposal, people: list, choices: list[int]) -> None:  # type: ignore[no-untyped-def]
    """The first members of the electorate vote, one choice each."""
    choices = list(choices)
    for member in people:
        if not choices:
            return
        clock.advance(hours=2)
        try:
            trust.cast_vote(proposal, member, choices[0], Actor("member", "self"))
        except TrustError:
            continue  # not in the electorate (left, erased or not yet confirmed)
        choices.pop(0)

"""A realistic small history for trying the trust out (`datatrust demo`).

Recorded as if it happened over the last four months: members joining by bot,
web and paper, three organisations, consents given and withdrawn (one on a paper
form entered days late), a suspension, reads by organisations, and an erasure.
"""

import random
from datetime import datetime, timedelta

from adapters.bootstrap import Services
from domain.kernel.actors import Actor
from domain.kernel.errors import NotAllowedNow
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
    finally:
        trust.clock = real_clock
    return {
        "members": people,
        "organisations": {"lender": lender, "council": council, "funder": funder},
        "late_member": late_member,
    }

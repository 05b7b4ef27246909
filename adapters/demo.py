"""A realistic small history for trying the trust out (`datatrust demo`).

Recorded as if it happened over the last four months: members joining by bot,
web and paper, three organisations, consents given and withdrawn (one on a paper
form entered days late), a suspension, reads by organisations, and an erasure; then
every other capability once: members who let councils have their community panel
answers, an insight request reviewed, drawn, answered and closed with its anonymised
result, a proposal voted on and closed, and one still open for votes. Members share
data under the trust's standard (household finances, housing, well-being), and two
social businesses share their profile and funding history once and let two funders
read it for their funding applications; with twelve more in food and hospitality they
agree to benchmarking, so each sees how it compares with its peers in the portal.
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
    data_rng = random.Random(seed + 2)  # likewise, for the data members share
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
            terms = trust.catalogue.latest_terms  # agreed when joining, or signed on the paper form
            trust.agree_to_terms(
                member,
                terms,
                actor,
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
            _share(trust, member, actor if channel == "bot" else CASEWORKER, channel, number, data_rng)
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
        businesses = _social_businesses(trust, clock, funder)
        insight = _closed_insight_request(trust, views, clock, council, panel_rng)
        proposals = _proposals(trust, clock, people, real_clock)
    finally:
        trust.clock = real_clock
    return {
        "members": people,
        "organisations": {"lender": lender, "council": council, "funder": funder, **businesses["funders"]},
        "social_businesses": businesses["benchmarked"],  # the two applicants among them
        "late_member": late_member,
        "insight_request": insight,
        "proposals": proposals,
    }


BANDS = ["under-1000", "1000-1499", "1500-1999", "2000-2999", "3000-or-more"]
TENURES = ["own-with-mortgage", "social-rent", "private-rent", "own-outright", "with-family-or-friends"]


def _share(trust, member, actor: Actor, channel: str, number: int, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    """What a member shares as they join: household finances and housing (most), well-being (some)."""
    via = "bot" if channel == "bot" else "paper"
    evidence = None if via == "bot" else f"PF-{1000 + number}"
    shared = {}
    if rng.random() < 0.75:
        shared["household-finances"] = {
            "income-band": rng.choice(BANDS[:4]),
            "outgoings-band": rng.choice(BANDS[:3]),
            "behind-with-bills": rng.random() < 0.3,
            "benefits": rng.random() < 0.4,
        }
        shared["housing"] = {
            "tenure": rng.choice(TENURES),
            "bedrooms": rng.randint(1, 4),
            "repairs-needed": rng.random() < 0.25,
            "warm-enough": rng.random() < 0.7,
        }
    if rng.random() < 0.5:
        shared["wellbeing"] = {
            question: rng.randint(3, 9) for question in ("life-satisfaction", "worthwhile", "happiness")
        } | {"anxiety": rng.randint(1, 7)}
    for category, values in shared.items():
        trust.share_data(member, category, values, actor, via, evidence_ref=evidence)


BUSINESSES = (
    (
        "Quarry Lane Community Bakery",
        {
            "org-id": "GB-MPR-31042R",
            "legal-form": "co-operative",
            "sector": "I",
            "area": "CA11",
            "year-founded": 2011,
            "employees": 7.5,
            "annual-income": 41_250_000,
            "income-trading": 85,
            "income-grants": 10,
            "income-donations": 5,
        },
        [
            (
                "360G-ncf-2023-0141",
                "A second oven",
                "GB-CHC-1102215",
                "Northern Community Fund",
                1_500_000,
                "grant",
                "2023-05-12",
            ),
            (
                "GB-COH-07845123-L19",
                "Working capital",
                "GB-COH-07845123",
                "Fell Foot Social Investment",
                4_000_000,
                "loan",
                "2024-09-02",
            ),
        ],
    ),
    (
        "Eden Riverside Care CIC",
        {
            "org-id": "GB-COH-11234567",
            "legal-form": "cic-guarantee",
            "sector": "Q",
            "area": "CA10",
            "year-founded": 2018,
            "employees": 14,
            "annual-income": 62_000_000,
            "income-trading": 70,
            "income-grants": 25,
            "income-other": 5,
        },
        [
            (
                "360G-ncf-2022-0087",
                "Befriending in the Eden valley",
                "GB-CHC-1102215",
                "Northern Community Fund",
                2_400_000,
                "grant",
                "2022-11-30",
            )
        ],
    ),
)


def _social_businesses(trust, clock: DemoClock, funder) -> dict:  # type: ignore[no-untyped-def]
    """Two social businesses share their profile and funding history once, on paper at the advice
    centre, and let two funders read them for their applications; each funder reads one pack."""
    investor = trust.register_organisation("Fell Foot Social Investment", "investor", TRUSTEE)
    clock.advance(hours=3)
    trust.approve_organisation(investor, "DSA-2026-004", clock.now.date(), TRUSTEE)
    members = []
    for number, (name, profile, grants) in enumerate(BUSINESSES):
        clock.advance(days=1)
        ref = f"OF-{200 + number}"
        member = trust.register_member(name, CASEWORKER, channel="paper", kind="organisation-member", evidence_ref=ref)
        clock.advance(hours=4)
        trust.confirm_member(member, SECOND, how="in person with a second caseworker")
        trust.share_data(member, "organisation-profile", profile, CASEWORKER, "paper", evidence_ref=ref)
        fields = ("grant-id", "title", "funder", "funder-name", "amount", "instrument", "date")
        history = [dict(zip(fields, grant, strict=True)) for grant in grants]
        trust.share_data(member, "funding-history", history, CASEWORKER, "paper", evidence_ref=ref)
        for organisation in (funder, investor):
            trust.grant_consent(
                member,
                "funding-applications",
                ["contact", "organisation-profile", "funding-history"],
                Audience(organisation),
                CASEWORKER,
                collected_via="paper",
                evidence_ref=ref,
            )
        members.append(member)
    members_benchmarked = _benchmarking_club(trust, clock, members)
    clock.advance(days=2)
    for member in members:
        for organisation, client in ((funder, "ncf-api"), (investor, "fellfoot-api")):
            clock.advance(hours=2)
            trust.record_access(
                organisation,
                member,
                "funding-applications",
                ["contact", "organisation-profile", "funding-history"],
                Actor("organisation", client),
            )
    return {"members": members, "funders": {"investor": investor}, "benchmarked": members_benchmarked}


CLUB = ("Cafe", "Community Kitchen", "Tea Room", "Community Pub", "Bakehouse", "Food Co-op")
CLUB_PLACES = ("Keswick", "Penrith", "Appleby", "Alston", "Kirkby Stephen", "Shap", "Brampton", "Wigton")


def _benchmarking_club(trust, clock: DemoClock, businesses: list) -> list:  # type: ignore[no-untyped-def]
    """Twelve more food and hospitality social businesses in Cumbria join on the web, share their
    profiles in the portal and, with the two above, agree to benchmarking: so the bakery's
    "How you compare" shows its sector and area (and, with fewer peers, what is withheld)."""
    rng, club = random.Random(42), []
    for n in range(12):
        clock.advance(hours=7)
        name = f"{CLUB_PLACES[n % len(CLUB_PLACES)]} {CLUB[n % len(CLUB)]}"
        actor = Actor("member", "self")
        member = trust.register_member(name, actor, channel="web", kind="organisation-member")
        employees = round(rng.uniform(1.5, 12), 1)
        profile = {
            "org-id": f"GB-COH-{12_340_000 + n:08d}",
            "legal-form": rng.choice(["cic-guarantee", "co-operative", "community-benefit-society"]),
            "sector": "I",
            "area": rng.choice(["CA11", "CA12", "CA10", "CA16", "CA8"]),
            "year-founded": rng.randint(1995, 2022),
            "employees": employees,
            "annual-income": int(employees * rng.uniform(30_000, 55_000)) * 100,
            "income-trading": (trading := rng.randint(55, 95)),
            "income-grants": 100 - trading,
        }
        trust.share_data(member, "organisation-profile", profile, actor, "portal")
        club.append((member, actor, "portal", None))
    for member in businesses:
        club.append((member, CASEWORKER, "paper", "BM-1"))
    for member, actor, via, ref in club:
        clock.advance(hours=1)
        categories = ["organisation-profile", "funding-history"]
        trust.grant_consent(
            member, "benchmarking", categories, Audience(kind="trust"), actor, collected_via=via, evidence_ref=ref
        )
    return [member for member, *_ in club]


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

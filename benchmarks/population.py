"""A large, realistic history, built through the real application objects.

One command per fact would take hours for a million events, so each batch of
members is one transaction (``trust.command()``) in which the real aggregates
are created exactly as domain/membership/commands.py and domain/consent/commands.py create
them (personal data sealed with the member's own vault key) and saved with
``trust.application.save``, so the real mapper, recorder and projector run. Each event is
stamped with its own instant (``recording_at``) so times rise with positions.
Organisations go through the real commands. About ten events per member:
registration (the member and its reference-code index, ``MemberCode``), four
consents, three reads, and some confirmations, profile and contact changes,
withdrawals (a few reported late), expiries, leavers, erasures.
"""

import heapq
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from adapters.bootstrap import Services
from adapters.demo import DemoClock
from domain.consent.access import AccessAttempt
from domain.consent.model import ACTIVE, Consent
from domain.kernel.actors import SCHEDULER, Actor
from domain.kernel.clock import recording_at
from domain.kernel.references import reference
from domain.membership.codes import MemberCode, new_code
from domain.membership.commands import registers_themself
from domain.membership.model import CONFIRMATION_WAYS, Member

START = datetime(2024, 1, 1, 9, tzinfo=UTC)
PER_MEMBER = timedelta(minutes=5)  # one member joins every five minutes, on average
ORGANISATIONS = [  # name, kind, approved
    ("Eden Valley Credit Union", "social-lender", True),
    ("Solway Credit Union", "social-lender", True),
    ("Cumbria County Council", "council", True),
    ("Northern Community Fund", "funder", True),  # suspended for a while, then reinstated
    ("Lakeland Research Institute", "researcher", True),
    ("Border Analytics", "researcher", True),  # suspended for good, three quarters in
    ("Fellside Social Investment", "investor", False),  # never approved
]
OFFERS = [  # purpose, categories offered, audience: an organisation's name or "kind:<kind>"
    ("affordable-credit", ("household-finances", "housing", "contact"), "Eden Valley Credit Union"),
    ("affordable-credit", ("household-finances", "housing"), "Solway Credit Union"),
    ("service-planning", ("housing", "profile"), "kind:council"),
    ("grant-making", ("profile", "household-finances"), "Northern Community Fund"),
    ("research", ("wellbeing", "profile", "panel-answers"), "kind:researcher"),
    ("community-insight", ("panel-answers", "profile"), "kind:investor"),
]
FIRST = ["Aisha", "Ben", "Carys", "Dev", "Elin", "Fraser", "Grace", "Hamza", "Iona", "Jack", "Kiran", "Lowri"]
LAST = ["Armstrong", "Bell", "Carr", "Dixon", "Elliot", "Graham", "Hodgson", "Irving", "Jackson", "Nixon"]
AREAS = ["CA1", "CA2", "CA3", "CA11", "LA9", "LA12", "CA28"]
AGES = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
CASEWORKER, SECOND, TRUSTEE = Actor("caseworker", "cal"), Actor("caseworker", "sam"), Actor("trustee", "tess")


@dataclass
class Joiner:
    member: Member
    key: bytes
    actor: Actor
    evidence_ref: str | None
    consents: list[Consent] = field(default_factory=list)


class Population:
    def __init__(self, services: Services, seed: int = 7):
        self.trust, self.views, self.vault = services.trust, services.views, services.trust.vault
        self.catalogue = services.catalogue
        self.rng = random.Random(seed)
        self.clock = DemoClock(START)
        self.organisations: dict[str, UUID] = {}
        self.kinds: dict[str, list[UUID]] = {}
        self.expiring: list[tuple[datetime, int, UUID]] = []  # a heap of consents with an expiry
        self.codes: set[str] = set()  # reference codes given so far (this builder writes the whole store)

    def build(self, members: int, batch: int, progress=print) -> None:  # type: ignore[no-untyped-def]
        self.trust.clock = self.clock
        self.register_organisations()
        batches = (members + batch - 1) // batch
        for number in range(batches):
            size = min(batch, members - number * batch)
            self.batch(number * batch, size, self.clock.now, PER_MEMBER * size)
            self.clock.now += PER_MEMBER * size
            self.organisation_news(number, batches)
            progress(number + 1, batches, self.trust.last_position())

    # Organisations: through the real commands.

    def register_organisations(self) -> None:
        for name, kind, approved in ORGANISATIONS:
            self.clock.now += timedelta(hours=2)
            organisation = self.trust.register_organisation(name, kind, TRUSTEE)
            self.organisations[name] = organisation
            self.kinds.setdefault(kind, []).append(organisation)
            if approved:
                self.clock.now += timedelta(hours=1)
                agreement = f"DSA-{len(self.organisations):03}"
                self.trust.approve_organisation(organisation, agreement, START.date(), TRUSTEE)

    def organisation_news(self, number: int, batches: int) -> None:
        self.clock.now += timedelta(minutes=30)
        fund, analytics = self.organisations["Northern Community Fund"], self.organisations["Border Analytics"]
        started = time.perf_counter()
        if number == batches // 3:
            self.trust.suspend_organisation(fund, "Data kept past the agreed retention", TRUSTEE)
        elif number == batches // 2 and number != batches // 3:
            self.trust.reinstate_organisation(fund, "Retention fixed and audited", TRUSTEE)
        elif number == 3 * batches // 4 and number not in (batches // 3, batches // 2):
            self.trust.suspend_organisation(analytics, "Agreement ended", TRUSTEE)
        else:
            return
        print(f"  (a suspension or reinstatement command took {time.perf_counter() - started:.1f} s)")

    # Members: one transaction per batch, phases in time order.

    def batch(self, first: int, size: int, start: datetime, length: timedelta) -> None:
        moments = iter([start + length * n / 10 for n in range(10)])
        with self.trust.command() as (session, _now):
            joiners = self.join(session, first, size, next(moments), length * 0.5)
            for _ in range(4):
                next(moments)
            self.save(self.follow_up(joiners, next(moments), length * 0.1))
            self.save(self.reads(session, joiners, next(moments), length * 0.1))
            self.save(self.withdrawals(session, joiners, next(moments), length * 0.1))
            self.save(self.expiries(next(moments), length * 0.1))

    def save(self, aggregates: list) -> None:
        if aggregates:
            self.trust.application.save(*aggregates)

    def join(self, session, first: int, size: int, start: datetime, length: timedelta) -> list[Joiner]:  # type: ignore[no-untyped-def]
        joiners, aggregates = [], []
        for n in range(size):
            now = start + length * n / size
            with recording_at(now):
                joiner = self.register(session, first + n, now)
                member = joiner.member
                aggregates += [member, MemberCode(code=member.reference_code, member_id=member.id)]
            for offer in self.rng.sample(OFFERS, self.rng.choice([2, 3, 4, 4, 5, 6])):
                now += timedelta(seconds=20)
                with recording_at(now):
                    consent = self.consent(joiner, offer, now)
                joiner.consents.append(consent)
                aggregates.append(consent)
            joiners.append(joiner)
        self.save(aggregates)
        return joiners

    def register(self, session, number: int, now: datetime) -> Joiner:  # type: ignore[no-untyped-def]
        """As MembershipCommands.register_member does."""
        rng = self.rng
        channel = rng.choices(["bot", "web", "paper"], [45, 45, 10])[0]
        paper = channel == "paper"
        answers = {"area": rng.choice(AREAS), "age-band": rng.choice(AGES), "gender": rng.choice(["woman", "man"])}
        personal = {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "profile": self.catalogue.clean_profile(answers)}
        if channel == "bot":
            personal["contact"] = f"@member{number}"
        actor = CASEWORKER if paper else Actor("member", f"m{number}")
        evidence_ref = reference(f"PF-{number}" if paper else None)
        member_id = uuid4()
        key = self.vault.create_key(session, member_id)
        member = Member(
            id=member_id,
            reference_code=self.unused_code(),
            kind="individual",
            channel=channel,
            personal=self.vault.seal(key, member_id, personal),
            questions=sorted(personal["profile"]),
            has_contact="contact" in personal,
            confirmed=registers_themself(actor, channel),
            effective_at=now - timedelta(days=2) if paper else now,
            actor=str(actor),
            evidence_ref=evidence_ref,
        )
        return Joiner(member, key, actor, evidence_ref)

    def unused_code(self) -> str:
        """As MembershipCommands.unused_code does, from memory instead of the store
        (with 100,000 members a repeated code is likely: 31**7 bodies)."""
        while (code := new_code()) in self.codes:
            pass
        self.codes.add(code)
        return code

    def consent(self, joiner: Joiner, offer: tuple, now: datetime) -> Consent:
        """As ConsentCommands.grant_consent does."""
        purpose, offered, audience = offer
        categories = self.rng.sample(offered, self.rng.randint(1, len(offered)))
        expires_at = now + timedelta(days=self.rng.uniform(3, 90)) if self.rng.random() < 0.25 else None
        consent = self.new_consent(joiner, purpose, categories, audience, expires_at, now)
        if expires_at is not None:
            heapq.heappush(self.expiring, (expires_at, len(self.expiring), consent.id))
        return consent

    def new_consent(self, joiner: Joiner, purpose: str, categories, audience: str, expires_at, now) -> Consent:  # type: ignore[no-untyped-def]
        """The Consent aggregate as ConsentCommands.grant_consent makes it (audience: a name or "kind:<kind>")."""
        chosen = self.catalogue.purpose(purpose)
        return Consent(
            member_id=joiner.member.id,
            purpose=purpose,
            categories=list(self.catalogue.check_categories(categories)),
            audience_organisation_id=None if audience.startswith("kind:") else self.organisations[audience],
            audience_kind=audience.removeprefix("kind:") if audience.startswith("kind:") else None,
            expires_at=expires_at,
            notice_version=chosen.latest_notice,
            notice_hash=chosen.notice_hash(chosen.latest_notice),
            collected_via=joiner.member.channel,
            evidence_ref=joiner.evidence_ref,
            effective_at=joiner.member.registered_effective_at if joiner.evidence_ref else now,
            actor=str(joiner.actor),
        )

    def follow_up(self, joiners: list[Joiner], start: datetime, length: timedelta) -> list:
        """Confirmations of paper members, profile changes and contacts linked."""
        changed = []
        for n, joiner in enumerate(joiners):
            member, rng = joiner.member, self.rng
            now = start + length * n / len(joiners)
            with recording_at(now):
                if member.channel == "paper" and rng.random() < 0.7:
                    member.confirm(effective_at=now, actor=str(SECOND), how=CONFIRMATION_WAYS[-1])
                if rng.random() < 0.3:
                    answers = self.catalogue.clean_profile({"household": rng.choice(["1", "2", "3", "4", "5+"])})
                    sealed = self.vault.seal(joiner.key, member.id, {"profile": answers})
                    member.update_profile(sealed, sorted(answers), now, str(joiner.actor))
                if rng.random() < 0.3:
                    sealed = self.vault.seal(joiner.key, member.id, {"contact": f"+44 7700 {n:06}"})
                    member.link_contact(sealed, "web", str(joiner.actor))
            changed.append(member)
        return changed

    def reads(self, session, joiners: list[Joiner], start: datetime, length: timedelta) -> list:  # type: ignore[no-untyped-def]
        attempts = []
        for n, joiner in enumerate(joiners):
            now = start + length * n / len(joiners)
            for _ in range(self.rng.choice([1, 2, 3, 3, 4, 5, 6])):
                with recording_at(now):
                    attempts.append(self.read(session, joiner.member.id, *self.read_request(joiner), now))
        return attempts

    def read(self, session, member_id: UUID, organisation: UUID, purpose: str, categories, now) -> AccessAttempt:  # type: ignore[no-untyped-def]
        """As ConsentCommands.record_access does: allowed or refused by the access rules."""
        allowing = self.views.allowing_consents(session, organisation, member_id, purpose, categories, now)
        refused = tuple(c for c in categories if c not in allowing)
        return AccessAttempt(
            organisation_id=organisation,
            member_id=member_id,
            purpose=purpose,
            granted={c: str(cid) for c, cid in allowing.items()},
            refused=list(refused),
            reason="allowed by consent" if not refused else "no active consent for " + ", ".join(refused),
            actor="organisation:api",
        )

    def read_request(self, joiner: Joiner) -> tuple[UUID, str, tuple[str, ...]]:
        rng = self.rng
        consent = rng.choice(joiner.consents)
        if rng.random() < 0.15:
            organisation = rng.choice(list(self.organisations.values()))
            return organisation, consent.purpose, ("wellbeing",)
        organisation = consent.audience_organisation_id or rng.choice(self.kinds[consent.audience_kind])
        asked = set(rng.sample(consent.categories, rng.randint(1, len(consent.categories))))
        if rng.random() < 0.2:
            asked.add("contact")
        return organisation, consent.purpose, self.catalogue.check_categories(list(asked))

    def withdrawals(self, session, joiners: list[Joiner], start: datetime, length: timedelta) -> list:  # type: ignore[no-untyped-def]
        """Withdrawals (one in ten entered a day late, from paper), leavers and erasures."""
        changed = []
        for n, joiner in enumerate(joiners):
            now = start + length * n / len(joiners)
            with recording_at(now):
                for consent in joiner.consents:
                    if self.rng.random() < 0.2 and consent.ended_by(now) is None:
                        late = self.rng.random() < 0.1 and now - timedelta(days=1) > consent.granted_effective_at
                        effective_at = now - timedelta(days=1) if late else now
                        consent.revoke(effective_at, str(joiner.actor), reference(f"WD-{n}" if late else None))
                        changed.append(consent)
                chance = self.rng.random()
                if chance < 0.005:
                    joiner.member.leave(effective_at=now, actor=str(joiner.actor), evidence_ref=None)
                    changed.append(joiner.member)
                elif chance < 0.007:
                    joiner.member.erase(effective_at=now, actor=str(TRUSTEE))
                    self.vault.destroy_key(session, joiner.member.id)
                    changed.append(joiner.member)
        return changed

    def expiries(self, start: datetime, length: timedelta) -> list:
        """As ConsentCommands.record_expiry does (the scheduler's job): load, expire."""
        due = []
        while self.expiring and self.expiring[0][0] <= start + length:
            due.append(heapq.heappop(self.expiring))
        expired = []
        for n, (expires_at, _, consent_id) in enumerate(due):
            now = max(expires_at, start + length * n / len(due))
            consent = self.trust.consent(consent_id)
            if consent.status == ACTIVE:
                with recording_at(now):
                    consent.expire(now=now, actor=str(SCHEDULER))
                expired.append(consent)
        return expired

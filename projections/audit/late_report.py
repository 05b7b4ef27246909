"""The late-facts report: every fact recorded after it took effect, and what the
system enforced in the window while it did not know."""

from sqlalchemy import Connection, select

from domain.sealing.vault import Vault
from projections.audit.tables import late_facts
from projections.consent.reach import CP, OP, covering, meeting, reach
from projections.consent.tables import access_attempts
from projections.core.wording import short
from projections.membership.registers import display_names
from projections.organisations.tables import organisations

ENDING = {"consent withdrawn", "member left", "organisation suspended"}
BEGINNING = {"consent given", "membership confirmed", "organisation approved", "organisation reinstated"}


def late_facts_report(conn: Connection, vault: Vault) -> list[dict]:
    """Oldest first, as `datatrust audit late-facts --json` has always answered."""
    return [{k: v for k, v in entry.items() if k not in DETAIL} for entry in late_fact_details(conn, vault)]


DETAIL = ("could_see",)  # kept out of the report's JSON: the words (projections.audit.words) use it


def late_fact_details(conn: Connection, vault: Vault) -> list[dict]:
    """The report, with who could still see whom in each window as ids (``could_see``)."""
    names = dict(conn.execute(select(organisations.c.organisation_id, organisations.c.name)).all())
    report = []
    facts = conn.execute(select(late_facts).order_by(late_facts.c.position)).all()
    member_names = display_names(conn, vault, {fact.member_id for fact in facts if fact.member_id})
    for fact in facts:
        start, end = fact.effective_at, fact.recorded_at
        entry = {
            "fact": fact.fact,
            "member_id": fact.member_id,
            "member": member_names.get(fact.member_id),
            "organisation": names.get(fact.organisation_id),
            "consent_id": fact.consent_id,
            "effective_at": start,
            "recorded_at": end,
            "late_by_seconds": int((end - start).total_seconds()),
            "recorded_by": fact.actor,
            "evidence_ref": fact.evidence_ref,
            "window": [],
            "reads": [],
            "could_see": [],
        }
        if fact.fact in ENDING:
            scope = _scope(fact)
            grants = conn.execute(
                reach("recorded")
                .with_only_columns(OP.organisation_id, CP.member_id)
                .where(scope, meeting(start, end))
                .distinct()
            ).all()
            entry["could_see"] = sorted(
                {(g.organisation_id, g.member_id) for g in grants}, key=lambda g: (names.get(g[0], "?"), str(g[1]))
            )
            entry["window"] = sorted(
                {f"{names.get(g.organisation_id, '?')} could still see member {short(g.member_id)}" for g in grants}
            )
            reads = conn.execute(
                select(access_attempts).where(
                    _reads_scope(fact), access_attempts.c.recorded_at >= start, access_attempts.c.recorded_at < end
                )
            ).all()
            entry["reads"] = [
                {
                    "organisation": names.get(r.organisation_id),
                    "member_id": r.member_id,
                    "at": r.recorded_at,
                    "categories": wrongful,
                }
                for r in reads
                if (wrongful := _not_true_in_the_world(conn, r))
            ]
            entry["meaning"] = "The system still allowed access that was no longer true in the world."
        elif fact.fact in BEGINNING:
            entry["meaning"] = "The system did not yet allow access that was already agreed."
        else:
            entry["meaning"] = "Recorded late; it does not change who could see what."
        report.append(entry)
    return report


def _scope(fact):  # type: ignore[no-untyped-def]
    if fact.consent_id is not None:
        return CP.consent_id == fact.consent_id
    if fact.organisation_id is not None:
        return OP.organisation_id == fact.organisation_id
    return CP.member_id == fact.member_id


def _reads_scope(fact):  # type: ignore[no-untyped-def]
    if fact.organisation_id is not None:
        return access_attempts.c.organisation_id == fact.organisation_id
    return access_attempts.c.member_id == fact.member_id


def _not_true_in_the_world(conn: Connection, read) -> list[str]:  # type: ignore[no-untyped-def]
    """The categories of a read that no consent allowed on the effective axis at that moment."""
    wrongful = []
    for category in sorted(read.granted):
        allowed = conn.execute(
            reach("effective")
            .with_only_columns(CP.consent_id)
            .where(
                CP.member_id == read.member_id,
                OP.organisation_id == read.organisation_id,
                CP.category == category,
                CP.purpose == read.purpose,
                covering(read.recorded_at),
            )
            .limit(1)
        ).first()
        if allowed is None:
            wrongful.append(category)
    return wrongful

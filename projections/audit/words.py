"""The audit answers in the words a trustee reads: people's and organisations'
names, the catalogue's titles, days as a person writes them; ids only as detail.

The web pages and `datatrust audit` (as text) both speak through here, so they
say the same thing. The JSON answers (`--json`, CSV) keep their codes and ids."""

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, select

from domain.kernel.catalogue import Catalogue
from domain.membership.codes import display
from domain.sealing.vault import Vault
from projections.audit.history import history_with_details
from projections.audit.late_report import late_fact_details
from projections.audit.naming import VIA, Titles, category_title, lower, purpose_title
from projections.consent.tables import consents
from projections.core.wording import LOCAL
from projections.membership.registers import display_name, display_names, member_row
from projections.organisations.tables import organisations
from projections.staff.tables import api_tokens

AXIS_WORDS = {
    "recorded": "As the system enforced it at the time (recorded axis).",
    "effective": "As we now know the facts (effective axis).",
}
FACT_KINDS = {
    "consent withdrawn": "Consents withdrawn",
    "consent given": "Consents given",
    "member left": "Members who left",
    "membership confirmed": "Memberships confirmed",
    "member registered": "Members registered",
    "profile changed": "Panel answers changed",
    "organisation approved": "Organisations approved",
    "organisation suspended": "Organisations suspended",
    "organisation reinstated": "Organisations reinstated",
}


def day(moment: datetime) -> str:
    """25 Nov 2026 at 12:00 (UK time)."""
    local = moment.astimezone(LOCAL)
    return f"{local.day} {local:%b %Y} at {local:%H:%M}"


def date(moment: datetime) -> str:
    local = moment.astimezone(LOCAL)
    return f"{local.day} {local:%b %Y}"


def category_words(catalogue: Catalogue, code: str, whose: str) -> str:
    """Inside a sentence: "Aisha Elliot's household income and outgoings"."""
    title = catalogue.categories.get(code)
    if title is None:
        return f"{whose} {code}"
    if title.lower().startswith("your "):
        return f"{whose} {lower(category_title(catalogue, code))}"
    return f"{whose} data in “{title}”"


def categories_words(catalogue: Catalogue, codes: Iterable[str], whose: str) -> str:
    codes = list(codes)
    if len(codes) == 1:
        return category_words(catalogue, codes[0], whose)
    titles = [lower(category_title(catalogue, c)) for c in codes]
    return f"{whose} {', '.join(titles[:-1])} and {titles[-1]}"


def purpose_words(catalogue: Catalogue, code: str) -> str:
    return lower(purpose_title(catalogue, code))


def collected(via: str, evidence_ref: str | None) -> str:
    words = VIA.get(via, f"via {via}")
    return f"{words} (form {evidence_ref})" if evidence_ref else words


def possessive(name: str) -> str:
    return f"{name}'s"


def member_named(conn: Connection, vault: Vault, member_id: UUID) -> dict:
    """The member as a trustee recognises them: name and reference code (ids are detail)."""
    row = member_row(conn, member_id)
    return {
        "member_id": member_id,
        "name": display_name(conn, vault, member_id),
        "reference_code": display(row.reference_code) if row.reference_code else None,
    }


# Explain one decision


def explain_in_words(conn: Connection, catalogue: Catalogue, answer: dict) -> dict:
    """The answer first, in one sentence; then the consents relied on, in words."""
    rows = {}
    if answer["consent_ids"]:
        found = conn.execute(select(consents).where(consents.c.consent_id.in_(answer["consent_ids"]))).all()
        rows = {r.consent_id: r for r in found}
    relied_on = [
        {
            "consent_id": r.consent_id,
            "purpose": purpose_title(catalogue, r.purpose),
            "given": date(r.granted_eff),
            "how": collected(r.collected_via, r.evidence_ref),
            "notice_version": r.notice_version,
        }
        for consent_id in dict.fromkeys(answer["consent_ids"])
        if (r := rows.get(consent_id)) is not None
    ]
    return {
        "sentence": explain_sentence(catalogue, answer, relied_on),
        "reasons": [reason_words(catalogue, reason) for reason in answer["reasons"]],
        "axis": AXIS_WORDS.get(answer["axis"], answer["axis"]),
        "consents": relied_on,
    }


def reason_words(catalogue: Catalogue, reason: str) -> str:
    """A reason of ``explain`` with the catalogue's titles for its codes ("for household-finances")."""
    for code in catalogue.purposes:
        reason = re.sub(rf"\bfor {re.escape(code)}\b", f"for {purpose_words(catalogue, code)}", reason)
    for code in catalogue.categories:
        reason = re.sub(rf"\bfor {re.escape(code)}\b", f"for “{category_title(catalogue, code)}”", reason)
    return reason


def explain_sentence(catalogue: Catalogue, answer: dict, relied_on: list[dict]) -> str:
    """ "Yes: Eden Valley Credit Union could see Aisha Elliot's household income and outgoings on
    25 Nov 2026 at 12:00, under their consent of 19 Sep 2026 for affordable credit, given on
    paper (form PF-1024)." """
    what = category_words(catalogue, answer["category"], possessive(answer["member"]))
    moment = day(answer["at"])
    if not answer["allowed"]:
        return f"No: {answer['organisation']} could not see {what} on {moment}."
    under = " and ".join(
        f"their consent of {c['given']} for {lower(c['purpose'])}, given {c['how']}" for c in relied_on
    )
    return f"Yes: {answer['organisation']} could see {what} on {moment}" + (f", under {under}." if under else ".")


# Who could see a member, and what an organisation could see


def span(valid_from: datetime, valid_to: datetime | None) -> str:
    return f"from {day(valid_from)}" + (f" until {day(valid_to)}" if valid_to else ", with no end set")


def who_could_see_in_words(catalogue: Catalogue, member: dict, rows: list[dict], at: datetime) -> dict:
    """The answer first ("On 4 Mar 2026 at 12:00, 1 organisation could see Aisha Elliot's data."),
    then a sentence for each consent relied on, with its id as detail."""
    whose = possessive(member["name"])
    seen = len({r["organisation"] for r in rows})
    sentence = (
        f"On {day(at)}, {seen} organisation{'' if seen == 1 else 's'} could see {whose} data."
        if rows
        else "No organisation could see this member's data then."
    )
    lines = [
        {
            "text": f"{r['organisation']} could see {categories_words(catalogue, c['categories'], whose)}, "
            f"for {purpose_words(catalogue, c['purpose'])}, {span(c['valid_from'], c['valid_to'])}.",
            "consent_id": c["consent_id"],
        }
        for r in rows
        for c in r["consents"]
    ]
    return {"sentence": sentence, "lines": lines}


def what_could_see_sentence(organisation: str, members: int, start: datetime, end: datetime | None) -> str:
    when = f" between {day(start)} and {day(end)}" if end else f" on {day(start)}"
    if not members:
        return f"This organisation could see nothing then: {organisation}{when}."
    return f"{organisation} could see the data of {members} member{'' if members == 1 else 's'}{when}."


def what_could_see_in_words(catalogue: Catalogue, organisation: str, rows: list[dict], start, end) -> dict:  # type: ignore[no-untyped-def]
    """The answer first, then each member's data the organisation could see, by name and title."""
    members = len({r["member_id"] for r in rows})
    lines = [
        {
            "text": f"{categories_words(catalogue, [r['category']], possessive(r['member']))}, "
            f"for {purpose_words(catalogue, r['purpose'])}, {span(r['valid_from'], r['valid_to'])}.",
            "member_id": r["member_id"],
            "consent_id": r["consent_id"],
        }
        for r in rows
    ]
    return {"sentence": what_could_see_sentence(organisation, members, start, end), "lines": lines}


# Who did what: the actor of a fact, in words


def actor_words(conn: Connection) -> Callable[[str], str]:
    """ "organisation:api token 6196…" -> "Eden Valley Credit Union (API token “reports”)";
    "caseworker:cal" -> "caseworker cal"; "member:…" -> "the member"."""
    names = dict(conn.execute(select(organisations.c.organisation_id, organisations.c.name)).all())
    tokens = {
        str(t.token_id): (names.get(t.organisation_id, "an organisation"), t.label)
        for t in conn.execute(select(api_tokens.c.token_id, api_tokens.c.organisation_id, api_tokens.c.label))
    }

    def words(actor: str) -> str:
        role, _, name = actor.partition(":")
        if role == "organisation" and name.startswith("api token "):
            organisation, label = tokens.get(name.removeprefix("api token "), ("An organisation", None))
            return f"{organisation} (API token “{label}”)" if label else organisation
        if role == "member":
            return "the member"
        if role == "scheduler":
            return "the trust's scheduler"
        if role in ("caseworker", "trustee", "operator", "organisation"):
            return f"{role} {name}"
        return actor

    return words


# A member's history


def history_in_words(conn: Connection, catalogue: Catalogue, member_id: UUID) -> list[dict]:
    """Each fact of the member's history in the catalogue's titles (the same sentences as the
    JSON's, named for a trustee), and its actor in words."""
    who = actor_words(conn)
    return [
        {**{k: v for k, v in row.items() if k != "details"}, "by": who(row["actor"])}
        for row in history_with_details(conn, member_id, Titles(catalogue))
    ]


# Late facts


def _meaning(entry: dict) -> str:
    fact, member, organisation = entry["fact"], entry["member"], entry["organisation"]
    took, recorded = day(entry["effective_at"]), day(entry["recorded_at"])
    late = f"on {took}, but it was recorded only on {recorded}"
    if fact == "membership confirmed":
        return (
            f"{member} confirmed their membership {late}. Until then the system treated them as unconfirmed: "
            "no organisation could see their data, even under consents they had given."
        )
    if fact == "consent given":
        return f"{member} gave this consent {late}. Until then no organisation could see their data under it."
    if fact in ("organisation approved", "organisation reinstated"):
        how = "approved" if fact == "organisation approved" else "reinstated"
        return f"{organisation} was {how} {late}. Until then it could see no member's data."
    if fact == "consent withdrawn":
        return f"{member} withdrew this consent {late}. Until then the system still let organisations rely on it."
    if fact == "member left":
        return f"{member} left the trust {late}. Until then the system still let organisations see their data."
    if fact == "organisation suspended":
        return f"{organisation} was suspended {late}. Until then the system still let it see members' data."
    if fact == "member registered":
        return (
            f"{member} was registered {late}. This does not change who could see what: "
            "no organisation sees a member's data before they confirm their membership."
        )
    if fact == "profile changed":
        return f"{member} changed their panel answers {late}. This does not change who could see what."
    return f"Recorded late ({took}, recorded {recorded}); it does not change who could see what."


def _read_words(catalogue: Catalogue, read: dict, members: dict[UUID, str]) -> str:
    whose = possessive(members.get(read["member_id"], "a member"))
    what = categories_words(catalogue, read["categories"], whose)
    return f"{read['organisation'] or 'An organisation'} read {what} on {day(read['at'])}"


def late_facts_in_words(conn: Connection, vault: Vault, catalogue: Catalogue) -> list[dict]:
    """Newest first (by when each was recorded): each late fact, what it meant, and by
    name who could still see whom, and who read what, while the system did not know."""
    entries = late_fact_details(conn, vault)
    names = dict(conn.execute(select(organisations.c.organisation_id, organisations.c.name)).all())
    wanted = {m for e in entries for _o, m in e["could_see"]} | {r["member_id"] for e in entries for r in e["reads"]}
    members = display_names(conn, vault, wanted)
    who = actor_words(conn)
    report = []
    for entry in entries:
        could_see = [
            {
                "organisation": names.get(organisation_id, "An organisation"),
                "member_id": member_id,
                "text": f"{names.get(organisation_id, 'An organisation')} could still see "
                f"{possessive(members.get(member_id, 'a member'))} data",
            }
            for organisation_id, member_id in entry["could_see"]
        ]
        reads = [
            {**read, "text": _read_words(catalogue, read, members)}
            for read in sorted(entry["reads"], key=lambda r: r["at"])
        ]
        report.append(
            {
                **entry,
                "could_see": could_see,
                "reads": reads,
                "meaning": _meaning(entry),
                "by": who(entry["recorded_by"]),
                "member_ids": {
                    entry["member_id"],
                    *(c["member_id"] for c in could_see),
                    *(r["member_id"] for r in reads),
                },
            }
        )
    report.sort(key=lambda e: e["recorded_at"], reverse=True)
    return report


def choose_late_facts(
    report: list[dict],
    kind: str | None = None,
    with_reads: bool = False,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[dict]:
    """The late facts of one kind, only those with reads in their window, recorded in [start, end)."""
    return [
        e
        for e in report
        if (not kind or e["fact"] == kind)
        and (not with_reads or e["reads"])
        and (start is None or e["recorded_at"] >= start)
        and (end is None or e["recorded_at"] < end)
    ]

"""A member's full timeline in plain words (no personal data in the wording)."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, select

from domain.membership.model import STOP_WAYS
from domain.staff.reads import PAGES
from projections.audit.naming import CODES, Codes
from projections.core.tables import timeline
from projections.core.wording import when
from projections.help.handlers import ASKED, HANDLED
from projections.membership.registers import member_row
from projections.membership.terms_handlers import TOLD
from projections.organisations.tables import organisations
from projections.portal.handlers import PORTAL_WORDS
from projections.staff.read_handlers import STAFF_READ
from projections.surplus.handlers import DIVIDEND_GIVEN

CHANNEL_NAMES = {"telegram": "Telegram", "sms": "SMS", "whatsapp": "WhatsApp"}


def _audience(details: dict, names: dict[str, str], naming: Codes) -> str:
    if details.get("organisation"):
        return names.get(details["organisation"], "an organisation")
    return f"every approved {naming.kind(details.get('kind') or '')}"


def describe(what: str, d: dict, names: dict[str, str], naming: Codes = CODES) -> str:
    """The one sentence for a fact of a member's history, its codes named by ``naming``
    (CODES for JSON and CSV, Titles(catalogue) for what a trustee reads)."""
    if what == "registered":
        if d["confirmed"]:
            return f"The {d['kind']} joined {naming.via(d['channel'])}."
        if d.get("evidence_ref"):
            return f"The {d['kind']} was registered on paper (form {d['evidence_ref']}), unconfirmed."
        return f"The {d['kind']} was registered on their behalf {naming.via(d['channel'])}, unconfirmed."
    if what == "confirmed":
        return f"Confirmed their membership ({d['how']})."
    if what == "profile updated":
        via = f" {naming.via(d['channel'])}" if d.get("channel") else ""
        return f"Changed panel answers{via}: {', '.join(d['questions']) or 'none'}."
    if what == "terms accepted":
        sent = d.get("sent", "full text")
        seen = "having been sent the whole text" if sent == "full text" else f"having been sent its {sent} by SMS"
        if d.get("evidence_ref"):
            seen = f"on a signed paper form (form {d['evidence_ref']})"
        return f"Agreed to the membership terms, version {d['version']} (text hash {d['terms_hash'][:12]}), {seen}."
    if what == TOLD:
        on = CHANNEL_NAMES.get(d["network"], d["network"])
        sent = "its whole text" if d["sent"] == "full text" else f"its {d['sent']}"
        told = f"Was told on {on} that the membership terms changed"
        return f"{told}, sent version {d['version']} ({sent}), and asked to agree."
    if what == "contact linked":
        return f"Linked a {d['channel']} contact."
    if what == "household recorded":
        return "Who they live with was recorded (a panel takes at most one member of a household)."
    if what == "messages stopped":
        return (
            f"Stopped messages on {CHANNEL_NAMES.get(d['network'], d['network'])} "
            f"({STOP_WAYS.get(d['how'], d['how'])}): nothing is sent there until they start again. "
            "Their consents are unchanged."
        )
    if what == "messages started":
        return f"Started messages on {CHANNEL_NAMES.get(d['network'], d['network'])} again."
    if what == "channel preferred":
        return f"Chose {CHANNEL_NAMES.get(d['network'], d['network'])} for the trust's messages."
    if what == ASKED:
        on = CHANNEL_NAMES.get(d["channel"], d["channel"])
        if d.get("added"):
            return f"Wrote more to their open request for help, on {on}."
        return f"Asked the trust's caseworkers for help, on {on}."
    if what == HANDLED:
        return "Their request for help was marked handled" + (", with a note." if d.get("with_note") else ".")
    if what == DIVIDEND_GIVEN:
        via = naming.via(d["channel"])
        return f"Gave their dividend from the {d['year']} surplus to a community project, {d['project']} {via}."
    if what == "left":
        return "Left the trust."
    if what == "erased":
        return "Personal data erased: name, contact and answers destroyed; the audit facts remain."
    if what.startswith("consent "):
        return _consent(what, d, names, naming)
    if what == "data shared":
        given = f"{d['records']} records" if "records" in d else ", ".join(d["fields"])
        paper = f" (form {d['evidence_ref']})" if d.get("evidence_ref") else ""
        shared = naming.categories([d["category"]])
        return f"Shared {shared} (version {d['version']}) {naming.via(d['channel'])}{paper}: {given}."
    if what in PORTAL_WORDS:
        return PORTAL_WORDS[what](d)
    if what == STAFF_READ:
        return f"Read by the trust's staff: {PAGES.get(d['page'], d['page'])}."
    organisation = names.get(d.get("organisation", ""), "an organisation")
    if what == "read":
        refused = f"; refused {naming.categories(d['refused'])}" if d["refused"] else ""
        return f"{organisation} read {naming.categories(d['categories'])} for {naming.purpose(d['purpose'])}{refused}."
    if what == "read refused":
        return f"{organisation} was refused {naming.categories(d['refused'])} for {naming.purpose(d['purpose'])}."
    return what


def _consent(what: str, d: dict, names: dict[str, str], naming: Codes) -> str:
    consent = f"consent {naming.consent(d['consent'])}for {naming.purpose(d['purpose'])}"
    if what == "consent given":
        until = f", until {when_iso(d['expires_at'])}" if d.get("expires_at") else ""
        return (
            f"Gave {consent} to {_audience(d, names, naming)}: "
            f"{naming.categories(d['categories'])} ({naming.via(d['via'])}{until})."
        )
    if what == "consent withdrawn":
        return f"Withdrew {consent}."
    if what == "consent expired":
        return f"{consent[:1].upper()}{consent[1:]} expired."
    if what == "consent renewed":
        return f"Renewed {consent} until {when_iso(d['expires_at'])} ({naming.notice(d['notice_version'])})."
    return what


def when_iso(text: str) -> str:
    return when(datetime.fromisoformat(text))


def _read_facts(what: str, details: dict, names: dict) -> dict:
    """For a read: who, for what purpose, which categories (codes), so a reader can word it for the member."""
    if what not in ("read", "read refused"):
        return {}
    d = details or {}
    return {
        "organisation": names.get(d.get("organisation", ""), None),
        "purpose": d.get("purpose"),
        "categories": list(d.get("categories") or []),
        "refused": list(d.get("refused") or []),
    }


def history(conn: Connection, member_id: UUID, naming: Codes = CODES) -> list[dict]:
    rows = history_with_details(conn, member_id, naming)
    return [{k: v for k, v in row.items() if k != "details"} for row in rows]


def history_with_details(conn: Connection, member_id: UUID, naming: Codes = CODES) -> list[dict]:
    """The history, each fact with its recorded details (for projections.audit.words)."""
    member_row(conn, member_id)
    names = {str(k): v for k, v in conn.execute(select(organisations.c.organisation_id, organisations.c.name))}
    rows = conn.execute(select(timeline).where(timeline.c.member_id == member_id).order_by(timeline.c.position))
    return [
        {
            "recorded_at": r.recorded_at,
            "effective_at": r.effective_at,
            "what": r.what,
            "text": describe(r.what, r.details, names, naming),
            "actor": r.actor,
            "details": r.details,
            **_read_facts(r.what, r.details, names),
        }
        for r in rows
    ]

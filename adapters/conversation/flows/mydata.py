"""My data (MYDATA): what the trust holds about the member, who could see it now, and who
actually read it and when; where the channel can send a file, the whole of it as JSON on request.
Staff are shown by their role and their reads by the day only (the trustees' history keeps more)."""

import json
from datetime import datetime

from adapters.conversation import dividend_replies, fund_replies, member_replies, replies, share_replies
from adapters.conversation.messages import Document
from adapters.conversation.talk import Talk
from adapters.conversation.texts import Translate, day
from domain.kernel.errors import TrustError
from domain.membership.addresses import ADDRESS_FIELDS
from projections.staff.read_handlers import STAFF_READ

NETWORKS = tuple(ADDRESS_FIELDS)

READS = ("read", "read refused", STAFF_READ)
ONE_MESSAGE = 4096  # what a Telegram message holds: a longer my-data answer goes as two


def for_member(_: Translate, entry: dict, language: str, catalogue=None) -> dict:  # type: ignore[no-untyped-def]
    """A history entry as the member sees it: the trust's staff by their role, never by username;
    an organisation's read in the catalogue's words, never its codes."""
    if catalogue is not None and entry["what"] in ("read", "read refused") and entry.get("purpose"):
        entry = {**entry, "text": member_replies.read_words(_, catalogue, entry)}
    who = {
        "caseworker": _("a caseworker of the trust"),
        "trustee": _("a trustee of the trust"),
        "operator": _("an operator of the trust"),
    }.get(entry["actor"].partition(":")[0])
    if who is None:
        return entry
    if entry["what"] != STAFF_READ:
        return {**entry, "actor": who}
    on = entry["recorded_at"]
    text = _("{who}, on {date}").format(who=who[:1].upper() + who[1:], date=day(on, language))
    return {**entry, "actor": who, "text": text, "recorded_at": on.date(), "effective_at": on.date()}


def gather(services, _: Translate, member_id, language: str) -> dict:  # type: ignore[no-untyped-def]
    now = services.clock()
    personal, shared = services.trust.held_data(member_id)
    held = personal or {}
    card = services.views.member_card(member_id)
    history = [for_member(_, e, language, services.catalogue) for e in services.views.history(member_id)]
    return {
        "held": {**held, "reference_code": card["reference_code"], "status": card["status"]},
        "consents": services.views.consents(member_id, now),
        "could_see_now": services.views.who_could_see(member_id, now),
        "reads": [entry for entry in history if entry["what"] in READS],
        "history": history,
        "shared": {c: s.as_json() for c, s in shared.items()},
        "dividends": services.views.dividends_of(member_id),
        "funds_told": services.views.funds_told(member_id),
        "as_of": now,
    }


def as_file(facts: dict) -> bytes:
    return json.dumps(facts, default=_plain, indent=2, ensure_ascii=False).encode("utf-8")


def _plain(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)  # ids


def show(talk: Talk) -> None:
    if talk.member_id is None:
        talk.say(replies.not_a_member(talk._))
        return
    facts = gather(talk.services, talk._, talk.member_id, talk.language)
    reply = member_replies.my_data(
        talk._,
        talk.catalogue,
        facts["held"],
        facts["could_see_now"],
        facts["reads"],
        talk.language,
        short=talk.channel.short,
        stopped=[network for network in NETWORKS if talk.views.messages_stopped_on(talk.member_id, network)],
    )
    shared = share_replies.what_i_shared(
        talk._,
        talk.catalogue,
        talk.catalogue.standard,
        talk.trust.shared_data(talk.member_id),
        talk.language,
        short=talk.channel.short,
    )
    funds = fund_replies.funds_told(talk._, talk.views.funds_told(talk.member_id), talk.services.clock(), talk.language)
    if funds:
        shared += ("\n" if talk.channel.short else "\n\n") + funds
    buttons = reply.buttons if talk.channel.sends_files else []
    together = reply.text + ("\n" if talk.channel.short else "\n\n") + shared
    if len(together) <= ONE_MESSAGE:
        talk.say(replies.Reply(together, buttons))
    else:
        talk.say(replies.Reply(reply.text, buttons))  # what they shared, below, in a message of its own
        talk.say(replies.Reply(shared))
    dividends = talk.views.dividends_of(talk.member_id)
    if dividends:  # their share of the co-op's surplus, in a message of its own with its choices
        talk.say(dividend_replies.dividends(talk._, dividends))


def give_dividend(talk: Talk, choice: str) -> None:
    """dividend:<year> offers the year's community projects; dividend:<year>:<n> gives it to one."""
    year, _sep, number = choice.removeprefix(dividend_replies.PREFIX).partition(":")
    rows = [] if talk.member_id is None else talk.views.dividends_of(talk.member_id)
    row = next((r for r in rows if str(r["year"]) == year and not r["given_to"] and r["projects"]), None)
    if row is None:
        talk.say(replies.stale(talk._))
        return
    if not number:
        talk.say(dividend_replies.projects(talk._, row))
        return
    if not number.isdigit() or int(number) >= len(row["projects"]):
        talk.say(replies.stale(talk._))
        return
    project = row["projects"][int(number)]
    try:
        talk.act(talk.trust.give_dividend, row["year"], talk.member_id, project, talk.actor, talk.channel.collected_via)
    except TrustError:
        talk.say(replies.stale(talk._))
        return
    talk.say(dividend_replies.given(talk._, row, project))


def chosen(talk: Talk, choice: str) -> bool:
    if choice.startswith(dividend_replies.PREFIX):
        give_dividend(talk, choice)
        return True
    if choice != "mydata:file":
        return False
    if talk.member_id is None or not talk.channel.sends_files:
        talk.say(replies.stale(talk._))
        return True
    facts = gather(talk.services, talk._, talk.member_id, talk.language)
    talk.say(Document("my-data.json", as_file(facts), talk._("Everything the trust holds about you, as a file.")))
    return True

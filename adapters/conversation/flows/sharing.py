"""Sharing data with the trust (/share, SHARE): the categories of the data standard for the
member's kind, with when they last shared each; then a short check-in for one category, one
question at a time (each skippable unless required), the answers shown in words to confirm or
cancel, and only then recorded, with the member as actor and the channel they used.

The answers wait in the conversation's draft, sealed under the member's key. A confirmation
records under a key of its own for this check-in, so a second tap (or a second delivery racing
the first) records nothing more: the draft is gone, or the key is taken."""

import re
from uuid import uuid4

from adapters.conversation import replies
from adapters.conversation import share_replies as words
from adapters.conversation.talk import FREE_TEXT, NUMBER_ANSWERS, Talk
from domain.kernel.errors import InvalidData, TrustError
from domain.kernel.standard import Unclear
from domain.store.once import AlreadyHandled

FLOW = "sharing"
NAMED = re.compile(r"/?share\s+(.+)", re.IGNORECASE | re.DOTALL)  # "/share wellbeing", "SHARE housing"


def _categories(talk: Talk) -> tuple[list[str], list[str]]:
    """(the categories for the member's kind, those of them asked in the chat: not lists of entries)."""
    standard = talk.catalogue.standard
    kind = talk.views.member_card(talk.member_id)["kind"]
    categories = standard.categories_for(kind)
    return categories, [c for c in categories if not standard.schema(c).entries]


def show(talk: Talk, before: str | None = None) -> None:
    if talk.member_id is None:
        talk.say(replies.not_a_member(talk._))
        return
    talk.draft.clear()
    categories, askable = _categories(talk)
    last = {c: s.shared_at for c, s in talk.trust.shared_data(talk.member_id, categories).items()}
    reply = words.overview(talk._, talk.catalogue, categories, askable, last, talk.language)
    talk.say(replies.Reply(f"{before}\n\n{reply.text}", reply.buttons) if before else reply)


def named(talk: Talk, text: str) -> bool:
    """ "/share wellbeing": the check-in for the category named by its code or its title (True if it was this)."""
    found = NAMED.fullmatch(text.strip())
    if found is None:
        return False
    if not text.strip().startswith("/") and talk.draft.get("flow") not in (None, FLOW):
        return False  # "Share the costs" typed as an answer in another flow (a name, a panel's question): that answer
    if talk.member_id is None:
        talk.say(replies.not_a_member(talk._))
        return True
    wanted = found.group(1).strip().casefold()
    categories, _askable = _categories(talk)
    for category in categories:
        if wanted in (category, words.title(talk.catalogue, category).casefold()):
            _begin(talk, category)
            return True
    show(talk, before=words.not_known(talk._))
    return True


def _begin(talk: Talk, category: str) -> None:
    categories, askable = _categories(talk)
    if category not in categories:
        talk.say(replies.stale(talk._))
        return
    if category not in askable:
        talk.draft.clear()
        talk.say_text(f"{words.title(talk.catalogue, category)}: {words.elsewhere(talk._)}")
        return
    schema = talk.catalogue.standard.schema(category)
    talk.draft.clear()
    talk.draft.update(flow=FLOW, category=category, version=schema.version, field=0, values={}, nonce=uuid4().hex)
    _ask(talk)


def _schema(talk: Talk):  # type: ignore[no-untyped-def]
    return talk.catalogue.standard.schema(talk.draft["category"], talk.draft["version"])


def _field(talk: Talk):  # type: ignore[no-untyped-def]
    return list(_schema(talk).fields.values())[talk.draft["field"]]


def _ask(talk: Talk, why: str | None = None) -> None:
    fields = list(_schema(talk).fields.values())
    number, count = talk.draft["field"] + 1, len(fields)
    spec = fields[talk.draft["field"]]
    typed = spec.type in words.TYPED
    for flag in (FREE_TEXT, NUMBER_ANSWERS):  # a typed number answers it, never picks the skip
        if typed:
            talk.draft[flag] = True
        else:
            talk.draft.pop(flag, None)
    short = talk.channel.short
    if why is None:
        talk.say(words.ask(talk._, spec, number, count, short))
    else:
        talk.say(words.unclear(talk._, spec, why, number, count, short))


def _answered(talk: Talk, value: object | None) -> None:
    if value is not None:
        talk.draft["values"][_field(talk).code] = value
    talk.draft["field"] += 1
    if talk.draft["field"] < len(_schema(talk).fields):
        _ask(talk)
        return
    _check(talk)


def _check(talk: Talk) -> None:
    """Every question answered or skipped: what will be recorded, in words, to confirm."""
    for flag in (FREE_TEXT, NUMBER_ANSWERS):
        talk.draft.pop(flag, None)
    schema, values = _schema(talk), talk.draft["values"]
    if not values:
        talk.draft.clear()
        talk.say(words.all_skipped(talk._))
        return
    try:
        schema.clean(values, talk.services.clock().date())  # the whole (shares that add up): before confirming
    except InvalidData as error:
        talk.draft.clear()
        talk.say(words.refused(talk._, [sentence for _code, sentence in error.problems]))
        return
    talk.draft["step"] = "checking"
    talk.say(words.check(talk._, talk.catalogue, schema, values, talk.draft["nonce"], talk.language))


def chosen(talk: Talk, choice: str) -> bool:
    if not choice.startswith("share:"):
        return False
    verb, _sep, rest = choice.removeprefix("share:").partition(":")
    if talk.member_id is None:
        talk.say(replies.stale(talk._))
        return True
    if verb == "cat":
        _begin(talk, rest)
        return True
    asking = talk.draft.get("flow") == FLOW and talk.draft.get("step") is None
    checking = talk.draft.get("flow") == FLOW and talk.draft.get("step") == "checking"
    if verb in ("ans", "skip") and asking:
        spec = _field(talk)
        code, _sep, answer = rest.partition(":")
        if code == spec.code and verb == "skip" and not spec.required:
            _answered(talk, None)
            return True
        if code == spec.code and verb == "ans":
            if spec.type == "yes-no" and answer in ("yes", "no"):
                _answered(talk, answer == "yes")
                return True
            if answer in spec.choices:
                _answered(talk, answer)
                return True
    if verb in ("yes", "no") and checking and rest == talk.draft.get("nonce"):
        if verb == "no":
            talk.draft.clear()
            talk.say(words.cancelled(talk._))
        else:
            _record(talk)
        return True
    talk.say(replies.stale(talk._))
    return True


def typed(talk: Talk, text: str) -> bool:
    if talk.draft.get("flow") != FLOW:
        return False
    if talk.draft.get("step") == "checking":
        talk.say(replies.Reply(replies.answer_above(talk._)))
        return True
    spec = _field(talk)
    if not spec.required and text.strip().casefold() in ("skip", talk._("skip").casefold()):
        _answered(talk, None)
        return True
    try:
        value = spec.read(text, talk.services.clock().date())
    except Unclear as why:
        _ask(talk, str(why))
        return True
    _answered(talk, value)
    return True


def _record(talk: Talk) -> None:
    draft = talk.draft
    category = draft["category"]
    try:
        with talk.trust.once(f"chat-share:{draft['nonce']}"):
            talk.trust.share_data(
                talk.member_id,
                category,
                draft["values"],
                talk.actor,
                channel=talk.channel.collected_via,
                version=draft["version"],
            )
    except AlreadyHandled:  # a second tap that raced the first: that one recorded it
        draft.clear()
        talk.say(replies.stale(talk._))
        return
    except InvalidData as error:
        draft.clear()
        talk.say(words.refused(talk._, [sentence for _code, sentence in error.problems]))
        return
    except TrustError:  # refused (the member left meanwhile, say): nothing was recorded
        draft.clear()
        talk.say(replies.went_wrong(talk._))
        return
    draft.clear()
    talk.say(words.recorded(talk._, talk.catalogue, category))


def cancel(talk: Talk) -> None:
    talk.draft.clear()
    talk.say(words.cancelled(talk._))

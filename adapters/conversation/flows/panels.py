"""Community panels (PANEL): the member's open panels, then one question at a time (a typed
message for free text), a summary, and one choice that records all the answers in one command.
The answers so far are kept in the conversation's draft, sealed under the member's key, until
then; a choice from an earlier question or another panel is stale and changes nothing."""

from uuid import UUID

from adapters.conversation import panel_replies, replies
from adapters.conversation.talk import FREE_TEXT, Talk
from domain.kernel.errors import TrustError

FLOW = "panel"
MAX_TEXT = 1000


def _open_invitations(talk: Talk) -> list:
    if talk.member_id is None:
        return []
    return [i for i in talk.trust.panel_invitations(talk.member_id) if not i.declined]


def _invitation(talk: Talk, hexed: str):  # type: ignore[no-untyped-def]
    return next((i for i in _open_invitations(talk) if i.request_id.hex == hexed), None)


def show(talk: Talk) -> None:
    if talk.draft.get("flow") == FLOW:
        talk.draft.clear()
    if talk.member_id is None:
        talk.say(replies.not_a_member(talk._))
        return
    open_ones = _open_invitations(talk)
    if not open_ones:
        talk.say(panel_replies.no_panels(talk._))
        return
    min_cell = talk.trust.live_rule("min-cell-size").value
    for invitation in open_ones:
        talk.say(panel_replies.invitation(talk._, invitation, min_cell, talk.language))


def _stale(talk: Talk) -> bool:
    talk.say(replies.stale(talk._))
    return True


def chosen(talk: Talk, choice: str) -> bool:
    if not choice.startswith("panel:"):
        return False
    verb, _sep, rest = choice.removeprefix("panel:").partition(":")
    if verb == "go":
        invitation = _invitation(talk, rest)
        if invitation is None:
            return _stale(talk)
        talk.draft.clear()
        talk.draft.update(flow=FLOW, request=invitation.request_id.hex, index=0, answers={})
        talk.draft["count"] = len(invitation.questions)
        _ask(talk, list(invitation.questions))
        return True
    if verb == "leave":
        invitation = _invitation(talk, rest)
        if invitation is None:
            return _stale(talk)
        talk.say(panel_replies.leave_question(talk._, invitation.title, invitation.request_id.hex))
        return True
    if verb == "left":
        return _leave(talk, rest)
    if verb == "stay":
        talk.say(panel_replies.stayed(talk._))
        return True
    invitation = _invitation(talk, talk.draft.get("request", "")) if talk.draft.get("flow") == FLOW else None
    if invitation is None and verb == "send" and talk.draft.get("flow") == FLOW:
        return _send_closed(talk)
    if invitation is None:
        return _stale(talk)
    questions = list(invitation.questions)
    if verb == "again":
        talk.draft.update(index=0, answers={})
        _ask(talk, questions)
        return True
    if verb == "send":
        return _send(talk, invitation)
    return _answer_choice(talk, questions, verb, rest.split(":"))


def _answer_choice(talk: Talk, questions: list, verb: str, parts: list[str]) -> bool:
    """panel:a:<question>:<option> (one choice), panel:t:... (tick), panel:done:<q>, panel:skip:<q>."""
    index = talk.draft["index"]
    if index >= len(questions) or parts[0] != str(index):
        return _stale(talk)
    asked, answers = questions[index], talk.draft["answers"]
    if verb in ("a", "t"):
        number = int(parts[1]) if len(parts) == 2 and parts[1].isdigit() else -1
        if not 0 <= number < len(asked.options) or (verb == "t") != (asked.kind == "multiple"):
            return _stale(talk)
        option = asked.options[number]
        if verb == "t":
            ticked = answers.setdefault(asked.code, [])
            ticked.remove(option) if option in ticked else ticked.append(option)
            talk.say(panel_replies.question(talk._, questions, index, ticked))
            return True
        answers[asked.code] = option
    elif verb == "skip":
        answers.pop(asked.code, None)
    elif verb != "done":
        return _stale(talk)
    _next(talk, questions)
    return True


def typed(talk: Talk, text: str) -> bool:
    """Typed text while answering a panel: the answer to a free-text question."""
    if talk.draft.get("flow") != FLOW:
        return False
    invitation = _invitation(talk, talk.draft.get("request", ""))
    if invitation is None:
        talk.draft.clear()
        return False
    questions, index = list(invitation.questions), talk.draft["index"]
    if index >= len(questions) or questions[index].kind != "text":
        talk.say(panel_replies.use_the_buttons(talk._))
        return True
    text = text.strip()
    if len(text) > MAX_TEXT:
        talk.say(panel_replies.too_long(talk._))
        return True
    if text:
        talk.draft["answers"][questions[index].code] = text
    _next(talk, questions)
    return True


def _next(talk: Talk, questions: list) -> None:
    talk.draft["index"] += 1
    _ask(talk, questions)


def _ask(talk: Talk, questions: list) -> None:
    """The question the draft stands at, or the summary after the last."""
    index, answers = talk.draft["index"], talk.draft["answers"]
    if index < len(questions):
        talk.draft[FREE_TEXT] = questions[index].kind == "text"  # a typed number is an answer there, not a pick
        talk.say(panel_replies.question(talk._, questions, index, answers.get(questions[index].code)))
    else:
        talk.draft.pop(FREE_TEXT, None)
        talk.say(panel_replies.summary(talk._, questions, answers))


def _send(talk: Talk, invitation) -> bool:  # type: ignore[no-untyped-def]
    if talk.draft["index"] < len(invitation.questions):
        return _stale(talk)
    answers = {code: value for code, value in talk.draft["answers"].items() if value not in ([], "")}
    talk.draft.clear()
    try:
        talk.act(talk.trust.answer_panel, invitation.request_id, talk.member_id, answers, talk.actor)
    except TrustError as error:  # e.g. the panel closed meanwhile, or the member left it
        talk.say(panel_replies.refused(str(error)))
        return True
    talk.say(panel_replies.recorded(talk._, invitation.closes_at, talk.language))
    return True


def _send_closed(talk: Talk) -> bool:
    """Send, for a panel no longer open to the member (it closed meanwhile, or they stopped
    consenting): the trust's refusal says why. A send before the last question is stale."""
    if talk.draft["index"] < talk.draft.get("count", len(talk.draft["answers"]) + 1):
        return _stale(talk)
    answers = {code: value for code, value in talk.draft["answers"].items() if value not in ([], "")}
    request_id = UUID(hex=talk.draft["request"])
    talk.draft.clear()
    try:
        talk.act(talk.trust.answer_panel, request_id, talk.member_id, answers, talk.actor)
    except TrustError as error:
        talk.say(panel_replies.refused(str(error)))
        return True
    talk.say(replies.Reply(talk._("Thank you: your answers are recorded.")))
    return True


def _leave(talk: Talk, hexed: str) -> bool:
    invitation = _invitation(talk, hexed)
    if invitation is None:
        return _stale(talk)
    try:
        talk.act(talk.trust.decline_panel, invitation.request_id, talk.member_id, talk.actor)
    except TrustError as error:
        talk.say(panel_replies.refused(str(error)))
        return True
    if talk.draft.get("request") == UUID(hex=hexed).hex:
        talk.draft.clear()
    talk.say(panel_replies.left_panel(talk._))
    return True

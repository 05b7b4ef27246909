"""Changing my details (/details): the member's own profile answers (area, age band...), one
question at a time, each recorded by the trust's one command for profile changes, with the
member as actor and the channel they changed it on."""

from adapters.conversation import member_replies, replies
from adapters.conversation.talk import FREE_TEXT, Talk
from domain.kernel.catalogue import PREFER_NOT_TO_SAY
from domain.kernel.errors import InvalidRequest

FLOW = "details"
PREFIX = "detail:"  # detail:<question code> to pick one; detail:<code>:<choice> to answer it


def show(talk: Talk) -> None:
    if talk.member_id is None:
        talk.say(replies.not_a_member(talk._))
        return
    talk.draft.clear()
    talk.draft.update(flow=FLOW)
    held = talk.services.trust.member_personal_data(talk.member_id) or {}
    talk.say(member_replies.my_details(talk._, talk.catalogue, held))


def chosen(talk: Talk, choice: str) -> bool:
    if not choice.startswith(PREFIX):
        return False
    code, _sep, answer = choice.removeprefix(PREFIX).partition(":")
    question = talk.catalogue.profile.get(code)
    waiting = talk.draft.get("flow") == FLOW
    if talk.member_id is None or question is None or not waiting:
        talk.say(replies.stale(talk._))
        return True
    if not answer:
        talk.draft.update(question=code)
        talk.draft[FREE_TEXT] = bool(question.pattern)
        talk.say(member_replies.ask_detail(talk._, question))
        return True
    if talk.draft.get("question") != code or (answer not in question.choices and answer != PREFER_NOT_TO_SAY):
        talk.say(replies.stale(talk._))
        return True
    _record(talk, code, answer)
    return True


def typed(talk: Talk, text: str) -> bool:
    if talk.draft.get("flow") != FLOW or not talk.draft.get("question"):
        return False
    question = talk.catalogue.profile[talk.draft["question"]]
    try:
        answer = question.clean(text)
    except InvalidRequest:
        reply = member_replies.ask_detail(talk._, question)
        talk.say(
            replies.Reply(talk._("Sorry, that is not an answer I can take here.") + "\n\n" + reply.text, reply.buttons)
        )
        return True
    _record(talk, question.code, answer)
    return True


def _record(talk: Talk, code: str, answer: str) -> None:
    talk.act(
        talk.trust.update_profile,
        talk.member_id,
        {code: answer},
        talk.actor,
        channel=talk.channel.collected_via,
    )
    talk.draft.clear()
    talk.say(member_replies.detail_changed(talk._, talk.catalogue.profile[code], answer))

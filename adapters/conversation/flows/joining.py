"""Joining (JOIN, or /start on Telegram): welcome, the membership terms, a name, the panel
questions (each skippable), then one yes/no question per offered purpose. Or, for someone a
caseworker registered (or whose number changed hands): the terms, then their reference code.

What they type is kept in the conversation's draft, sealed, until the one command that records
it. On SMS the terms are sent as the catalogue's summary with TERMS for the whole text, and the
agreement records which of the two they were sent."""

from adapters.conversation import replies
from adapters.conversation.flows import consents
from adapters.conversation.talk import FREE_TEXT, Talk
from domain.kernel.errors import InvalidRequest, NotAllowedNow, TrustError
from domain.kernel.text import one_line
from domain.membership.chat import MAX_NAME, WrongReferenceCode
from domain.store.credentials import TooManyAttempts

FLOW = "joining"
FULL_TEXT, SUMMARY, SUMMARY_AND_FULL_TEXT = "full text", "summary", "summary and full text"


def start(talk: Talk) -> None:
    if talk.member_id is not None:
        talk.draft.clear()
        if talk.channel.network == "telegram":
            talk.say(replies.already_member(talk._))
            return
        # A phone number can change hands: its new holder joins with the reference code a caseworker gave them.
        talk.draft.update(flow=FLOW, step="choosing")
        talk.say(replies.number_already_member(talk._))
        return
    talk.draft.clear()
    talk.draft.update(flow=FLOW, step="choosing")
    talk.say(replies.welcome(talk._, short=talk.channel.short))


def terms_reply(talk: Talk) -> replies.Reply:
    if talk.channel.short and talk.catalogue.terms_summary(talk.catalogue.latest_terms):
        talk.draft["terms_sent"] = talk.draft.get("terms_sent") or SUMMARY
        return replies.terms_summary(talk._, talk.catalogue)
    talk.draft["terms_sent"] = FULL_TEXT
    return replies.terms(talk._, talk.catalogue)


def whole_terms(talk: Talk) -> None:
    """TERMS: the whole text of the membership terms (and, while joining, the question again)."""
    talk.say(replies.whole_terms(talk._, talk.catalogue))
    if talk.draft.get("flow") == FLOW and talk.draft.get("step") == "terms":
        talk.draft["terms_sent"] = SUMMARY_AND_FULL_TEXT
        talk.say(replies.agree_question(talk._))


def chosen(talk: Talk, choice: str) -> bool:
    """A picked choice that belongs to joining (True if it did)."""
    step = talk.draft.get("step") if talk.draft.get("flow") == FLOW else None
    if choice in ("start:new", "start:code") and step == "choosing":
        if talk.member_id is not None and choice == "start:new":
            talk.draft.clear()
            talk.say(replies.already_member(talk._))
            return True
        talk.draft.update(path=choice.removeprefix("start:"), step="terms")
        talk.say(terms_reply(talk))
        return True
    if choice in ("terms:yes", "terms:no") and step == "terms":
        if choice == "terms:no":
            talk.draft.clear()
            talk.say(replies.not_now(talk._))
            return True
        talk.draft["terms"] = talk.catalogue.latest_terms
        talk.draft[FREE_TEXT] = True  # a name or a code: whatever is typed, a number too, is the answer
        if talk.draft.get("path") == "code":
            talk.draft["step"] = "code"
            talk.say(replies.ask_code(talk._))
        else:
            talk.draft["step"] = "name"
            talk.say(replies.ask_name(talk._))
        return True
    if choice.startswith(("answer:", "skip:")) and step == "questions":
        verb, code, *answer = choice.split(":", 2)
        question = _current_question(talk)
        if code != question.code or (verb == "answer" and (not answer or answer[0] not in question.choices)):
            talk.say(replies.stale(talk._))
            return True
        _answered(talk, answer[0] if verb == "answer" else None)
        return True
    if choice.startswith("offer:") and step == "offers":
        _offer_answered(talk, choice)
        return True
    return False


def typed(talk: Talk, text: str) -> bool:
    """Typed text that belongs to joining (True if it did)."""
    step = talk.draft.get("step") if talk.draft.get("flow") == FLOW else None
    if step == "name":
        try:
            name = one_line(text, "A name", MAX_NAME)
        except InvalidRequest:
            talk.say(replies.name_refused(talk._, MAX_NAME))
            return True
        talk.draft.update(name=name, profile={}, question=0, step="questions")
        _next_question(talk)
        return True
    if step == "questions":
        question = _current_question(talk)
        try:
            answer = question.clean(text)
        except InvalidRequest:
            answer = None
        if answer is None:
            talk.say(replies.answer_refused(talk._, question))
        else:
            _answered(talk, answer)
        return True
    if step == "code":
        _code_typed(talk, text)
        return True
    if step in ("choosing", "terms", "offers"):
        talk.say(replies.Reply(replies.answer_above(talk._)))
        return True
    return False


def _current_question(talk: Talk):  # type: ignore[no-untyped-def]
    return list(talk.catalogue.profile.values())[talk.draft["question"]]


def _answered(talk: Talk, answer: str | None) -> None:
    if answer is not None:
        talk.draft["profile"][_current_question(talk).code] = answer
    talk.draft["question"] += 1
    _next_question(talk)


def _next_question(talk: Talk) -> None:
    questions = list(talk.catalogue.profile.values())
    if talk.draft["question"] < len(questions):
        question = questions[talk.draft["question"]]
        talk.draft[FREE_TEXT] = bool(question.pattern)  # a typed number is an answer here, not a pick
        talk.say(replies.ask_question(talk._, question))
        return
    talk.draft.pop(FREE_TEXT, None)
    _join(talk)


def _join(talk: Talk) -> None:
    draft = talk.draft
    try:
        member_id = talk.act(
            talk.trust.join_at_address,
            talk.channel.network,
            talk.address,
            draft["name"],
            draft["profile"],
            draft["terms"],
            talk.actor,
            draft.get("terms_sent", FULL_TEXT),
        )
    except NotAllowedNow:
        draft.clear()
        talk.say(replies.already_member(talk._))
        return
    except TrustError:  # nothing was recorded: begin again rather than stay past the last question
        draft.clear()
        talk.say(replies.went_wrong(talk._))
        return
    talk.member_id = member_id
    card = talk.views.member_card(member_id)
    draft.clear()  # the name and answers are forgotten here: they are in the member's sealed record
    draft.update(flow=FLOW, step="offers", offer=0)
    talk.say(replies.joined(talk._, card["reference_code"]))
    _next_offer(talk)


def _next_offer(talk: Talk) -> None:
    offered = talk.catalogue.offered_purposes()
    if talk.draft["offer"] < len(offered):
        talk.say(replies.offer(talk._, talk.catalogue, offered[talk.draft["offer"]], short=talk.channel.short))
        return
    talk.draft.clear()
    talk.say(replies.all_set(talk._))


def _offer_answered(talk: Talk, choice: str) -> None:
    purpose = talk.catalogue.offered_purposes()[talk.draft["offer"]]
    if choice == f"offer:{purpose.code}:notice":
        talk.say(replies.whole_notice(talk._, talk.catalogue, purpose))
        return
    if choice not in (f"offer:{purpose.code}:yes", f"offer:{purpose.code}:no"):
        talk.say(replies.stale(talk._))
        return
    if choice.endswith(":yes") and talk.member_id is not None:
        consents.give(talk, purpose)
    talk.say_text(replies.offer_answered(talk._, purpose, choice.endswith(":yes")))
    talk.draft["offer"] += 1
    _next_offer(talk)


def _code_typed(talk: Talk, text: str) -> None:
    try:
        talk.member_id = talk.act(
            talk.trust.confirm_at_address,
            talk.channel.network,
            talk.address,
            text,
            talk.draft["terms"],
            talk.actor,
            talk.draft.get("terms_sent", FULL_TEXT),
        )
    except WrongReferenceCode:
        talk.say(replies.code_refused(talk._))
        return
    except TooManyAttempts as refused:
        talk.draft.clear()
        talk.say(replies.too_many_codes(talk._, max(1, (refused.retry_after + 59) // 60)))
        return
    except NotAllowedNow:
        talk.draft.clear()
        talk.say(replies.already_member(talk._))
        return
    talk.draft.clear()
    talk.say(replies.confirmed(talk._))


def cancel(talk: Talk) -> None:
    joined = talk.draft.get("flow") == FLOW and talk.draft.get("step") == "offers"
    talk.draft.clear()
    talk.say(replies.all_set(talk._) if joined else replies.not_now(talk._))

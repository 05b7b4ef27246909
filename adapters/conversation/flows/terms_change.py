"""New membership terms: a member who last agreed to an older version is told, when they next write,
before what they asked for (at most once a day: domain.membership.terms); "I agree" records their
agreement to the latest, with what they were sent, then what they asked for goes on.

Not agreeing yet blocks nothing, and some things are never held up by the question at all: their
data (/mydata, /portal), their consents (/consents, to withdraw one), leaving (/leave, /forget),
asking for a person (/ask), where their messages go (/here, STOP, START), /help, /terms and /cancel.
"Not now" records nothing and what they asked for goes on; the reply says how to leave if they disagree."""

from adapters.conversation import replies, terms_replies
from adapters.conversation.flows import sharing
from adapters.conversation.talk import Talk
from domain.kernel.errors import NotAllowedNow
from domain.membership.terms import ASK_AGAIN_AFTER, FULL_TEXT, SUMMARY, SUMMARY_AND_FULL_TEXT

FLOW = "new terms"
NEVER_HELD_UP = ("mydata", "consents", "portal", "leave", "forget", "ask", "here", "help", "terms", "cancel")
# JOIN from a member's number may be its new holder with their reference code: never asked as the member.
NOT_ASKED = (*NEVER_HELD_UP, "start")


def asks_first(talk: Talk, text: str, command: str | None) -> bool:
    """Before a command, or typed text outside any flow, from a member on older terms who was not
    told of the new ones in the last day: tell them and ask (True). A command waits for their answer."""
    if talk.member_id is None or command in NOT_ASKED:
        return False
    if command is None and talk.draft.get("flow"):
        return False  # an answer to a question in progress (a panel, a message for a caseworker)
    latest = talk.catalogue.latest_terms
    terms = talk.views.member_terms(talk.member_id)
    if not terms["current"] or terms["version"] in (None, latest):
        return False  # (no agreement recorded: registered on paper or by staff; a caseworker records it from a form)
    told_at = terms["told_at"]
    if terms["told_version"] == latest and told_at is not None and talk.services.clock() - told_at < ASK_AGAIN_AFTER:
        return False
    sent = SUMMARY if talk.channel.short and talk.catalogue.terms_summary(latest) else FULL_TEXT
    if not talk.act(talk.trust.tell_terms_changed, talk.member_id, talk.channel.network, sent, talk.actor):
        return False
    goes_on = command is not None or sharing.NAMED.fullmatch(text.strip()) is not None  # "/share wellbeing" too
    talk.draft.clear()
    talk.draft.update(flow=FLOW, sent=sent, waiting=text if goes_on else None)
    talk.say(terms_replies.terms_changed(talk._, talk.catalogue, terms["version"], talk.channel.short))
    return True


def whole_terms(talk: Talk) -> bool:
    """TERMS while the question waits: the whole text, then the question again (True)."""
    if talk.draft.get("flow") != FLOW:
        return False
    if talk.draft.get("sent") == SUMMARY:
        talk.draft["sent"] = SUMMARY_AND_FULL_TEXT
    talk.say(replies.whole_terms(talk._, talk.catalogue))
    talk.say(terms_replies.question(talk._, talk.catalogue.latest_terms))
    return True


def chosen(talk: Talk, choice: str) -> tuple[bool, str | None]:
    """(whether the choice was an answer to the question, the command that waited for it to go on with)."""
    if not choice.startswith((terms_replies.AGREE, terms_replies.NOT_NOW)):
        return False, None
    version = choice.rpartition(":")[2]
    latest = talk.catalogue.latest_terms
    if talk.member_id is None or version != latest:
        talk.say(replies.stale(talk._))
        return True, None
    default = SUMMARY if talk.channel.short and talk.catalogue.terms_summary(latest) else FULL_TEXT
    asked = talk.draft.get("flow") == FLOW
    waiting, sent = (talk.draft.get("waiting"), talk.draft.get("sent", default)) if asked else (None, default)
    if asked:
        talk.draft.clear()
    if talk.views.member_terms(talk.member_id)["version"] == latest:
        talk.say(terms_replies.already_agreed(talk._, latest))
        return True, None
    if choice.startswith(terms_replies.NOT_NOW):
        talk.say(terms_replies.not_now(talk._))
        return True, waiting
    try:
        agreed = talk.act(talk.trust.agree_to_terms, talk.member_id, latest, talk.actor, sent)
    except NotAllowedNow:  # no longer a member
        talk.say(replies.stale(talk._))
        return True, None
    if not agreed:  # (another delivery's tap got there first)
        talk.say(terms_replies.already_agreed(talk._, latest))
        return True, None
    if waiting is None:
        talk.say(terms_replies.agreed_then_help(talk._, latest, talk.channel.short))
        return True, None
    talk.say(terms_replies.agreed(talk._, latest))
    return True, waiting

"""My consents (CONSENTS, /consents): each active consent with one choice to withdraw it, each
offered purpose not given with one choice to give it. A withdrawal is recorded before the reply
is sent, and a choice only ever acts on the talking member's own consents."""

from uuid import UUID

from adapters.conversation import member_replies, replies
from adapters.conversation.talk import Talk
from domain.kernel.catalogue import Purpose
from domain.kernel.errors import TrustError
from domain.trust import Audience


def show(talk: Talk, done: str = "") -> None:
    if talk.member_id is None:
        talk.say(replies.not_a_member(talk._))
        return
    consents = talk.views.consents(talk.member_id, talk.services.clock())
    reply = member_replies.consents_overview(
        talk._, talk.catalogue, consents, talk.language, short=talk.channel.short, kind=talk.member_kind
    )
    talk.say(replies.Reply(done + "\n\n" + reply.text, reply.buttons) if done else reply)


def chosen(talk: Talk, choice: str) -> bool:
    if choice.startswith("withdraw:"):
        consent = _own_active_consent(talk, choice.removeprefix("withdraw:"))
        if consent is None:  # not this member's, not active any more, or not a consent at all
            talk.say(replies.stale(talk._))
            return True
        talk.act(talk.trust.revoke_consent, consent["consent_id"], talk.actor)
        show(talk, member_replies.withdrawn(talk._, talk.catalogue, consent["purpose"]))
        return True
    if choice.startswith("give:"):
        code = choice.removeprefix("give:")
        offered = talk.catalogue.offered_purposes(talk.member_kind)  # a business's, or an individual's
        purpose = next((p for p in offered if p.code == code), None)
        if talk.member_id is None or purpose is None or any(c["purpose"] == code for c in _active(talk)):
            talk.say(replies.stale(talk._))
            return True
        give(talk, purpose)
        show(talk, member_replies.given(talk._, talk.catalogue, purpose.code))
        return True
    return False


def give(talk: Talk, purpose: Purpose) -> None:
    """The member's "yes" to an offered purpose: every approved organisation of its kind, its categories,
    recorded as collected by this channel."""
    offer = purpose.offer
    assert offer is not None and talk.member_id is not None
    talk.act(
        talk.trust.grant_consent,
        talk.member_id,
        purpose.code,
        offer.categories,
        Audience(kind=offer.kind),
        talk.actor,
        talk.channel.collected_via,
    )


def _active(talk: Talk) -> list[dict]:
    if talk.member_id is None:
        return []
    try:
        consents = talk.views.consents(talk.member_id, talk.services.clock())
    except TrustError:
        return []
    return [c for c in consents if c["status"] == member_replies.ACTIVE]


def _own_active_consent(talk: Talk, text: str) -> dict | None:
    try:
        wanted = UUID(hex=text)
    except ValueError:
        return None
    return next((c for c in _active(talk) if c["consent_id"] == wanted), None)

"""Renewing a consent that ends soon: the "Renew" choice an offer to renew carries names the
consent and the expiry it was offered for, so a second pick renews once, and it only ever acts
on the talking member's own consent."""

from datetime import UTC, datetime
from uuid import UUID

from adapters.conversation import renewal_replies, replies
from adapters.conversation.messages import BELOW, BESIDE, NOTICE
from adapters.conversation.talk import Talk
from domain.kernel.errors import NotAllowedNow, NotFound


def chosen(talk: Talk, choice: str) -> bool:
    if not choice.startswith(renewal_replies.PREFIX):
        return False
    _ = talk._
    consent_hex, _sep, offered = choice.removeprefix(renewal_replies.PREFIX).partition(":")
    try:
        consent_id, offered_until = UUID(hex=consent_hex), datetime.fromtimestamp(int(offered), UTC)
    except (ValueError, OverflowError, OSError):
        consent_id = None
    consent = None
    if consent_id is not None and talk.member_id is not None:
        try:
            consents = talk.views.consents(talk.member_id, talk.services.clock())
        except NotFound:
            consents = []
        consent = next((c for c in consents if c["consent_id"] == consent_id), None)
    if consent is None or consent["expires_at"] is None:
        talk.say(replies.stale(_))
        return True
    title = replies.title_of(talk.catalogue, consent["purpose"])
    if consent["status"] in ("withdrawn", "expired"):
        talk.say(renewal_replies.ended(_, title, consent["status"] == "withdrawn").shown_as(BESIDE))
        return True
    if int(consent["expires_at"].timestamp()) != int(offered_until.timestamp()):
        done = renewal_replies.already_renewed(_, title, consent["expires_at"], talk.language)
        talk.say(replies.Reply(done, shown=NOTICE))
        return True
    try:
        until = talk.act(talk.trust.renew_consent, consent["consent_id"], talk.member_id, talk.actor)
    except NotAllowedNow:
        talk.say(renewal_replies.ended(_, title, withdrawn=False).shown_as(BESIDE))
        return True
    except NotFound:
        talk.say(replies.stale(_))
        return True
    audience = replies.audience_words(
        _, talk.catalogue, consent["audience_organisation"], consent["audience_kind"], begins=False
    )
    renewed = renewal_replies.renewed(_, title, audience, until, talk.language)
    talk.say(replies.Reply("✅ " + renewed, shown=BELOW))  # below the offer, where the channel keeps it
    return True

"""A member asks for a way into the members' web portal (/portal, PORTAL): the trust sends a
one-time sign-in link to the chat they asked from, which is linked to them (their proof of who they
are); it works once, for a short time, and a newer one ends it. Recorded by the trust's one command
for it, with the member as actor. Without the web address set (DATATRUST_PUBLIC_URL) the chat says
the portal is not open here and that a caseworker can help."""

from adapters.conversation import portal_replies, replies
from adapters.conversation.talk import Talk


def show(talk: Talk) -> None:
    talk.draft.clear()
    if talk.member_id is None:
        talk.say(replies.not_a_member(talk._))
        return
    if talk.services.settings.public_url is None:
        talk.say(portal_replies.not_open(talk._))
        return
    issued = talk.act(talk.trust.issue_member_sign_in_link, talk.member_id, talk.actor)
    minutes = max(1, round((issued.expires_at - talk.services.clock()).total_seconds() / 60))
    talk.say(portal_replies.link(talk._, talk.services.settings.portal_link(issued.token), minutes))

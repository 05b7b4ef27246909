"""Leaving (LEAVE) and erasure (FORGET), each after a yes/no question that says plainly what is
kept and what is destroyed. The choice names the membership it was asked of, so a stale one
(asked of an earlier membership on this number) changes nothing."""

from adapters.conversation import member_replies, replies
from adapters.conversation.talk import Talk


def ask(talk: Talk, verb: str) -> None:
    if talk.member_id is None:
        talk.say(replies.not_a_member(talk._))
        return
    question = member_replies.leave_question if verb == "leave" else member_replies.forget_question
    talk.say(question(talk._, talk.member_id.hex))


def chosen(talk: Talk, choice: str) -> bool:
    verb, _sep, rest = choice.partition(":")
    if verb not in ("leave", "forget"):
        return False
    answer, _sep, asked_of = rest.partition(":")
    if talk.member_id is None or talk.member_id.hex != asked_of or answer not in ("yes", "no"):
        talk.say(replies.stale(talk._))
        return True
    if answer == "no":
        talk.say_text(member_replies.kept(talk._))
        return True
    if verb == "leave":
        talk.act(talk.trust.member_leaves, talk.member_id, talk.actor)
        talk.say_text(member_replies.left(talk._))
    else:
        talk.act(talk.trust.erase_member, talk.member_id, talk.actor)
        talk.say_text(member_replies.forgotten(talk._))
    talk.member_id = None  # this number is a stranger's again
    talk.draft.clear()
    return True

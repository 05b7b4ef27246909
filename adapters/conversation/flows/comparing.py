"""How my well-being compares (/compare, COMPARE): an individual's well-being answers against the
median of their postcode area's members who agreed to the comparison, in words, under the trust's
disclosure rules (domain/reports/wellbeing.py). Reading it records nothing."""

from adapters.conversation import compare_replies, replies
from adapters.conversation.talk import Talk
from domain.reports.wellbeing import PURPOSE

INDIVIDUAL = "individual"


def show(talk: Talk) -> None:
    talk.draft.clear()
    if talk.member_id is None:
        talk.say(replies.not_a_member(talk._))
        return
    if talk.member_kind != INDIVIDUAL:
        talk.say(compare_replies.for_businesses(talk._))
        return
    now = talk.services.clock()
    comparison = talk.views.wellbeing_comparison(talk.member_id, now, talk.trust.disclosure_rules())
    if comparison is not None:
        talk.say(compare_replies.compared(talk._, comparison, short=talk.channel.short))
        return
    agreed = any(c["purpose"] == PURPOSE and c["status"] == "active" for c in talk.views.consents(talk.member_id, now))
    talk.say(compare_replies.nothing_shared(talk._) if agreed else compare_replies.not_agreed(talk._, talk.catalogue))

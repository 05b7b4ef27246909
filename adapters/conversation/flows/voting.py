"""Voting (VOTE): a ballot per proposal open to the member, a choice per option; picking one
records the vote (the latest counts until the close) and answers with a receipt that names the
vote, not the choice. A choice only ever votes for the talking member; a stale one changes nothing.
A split ballot takes typed shares instead ("50 30 20"), for the last split ballot shown."""

import re
from uuid import UUID

from adapters.conversation import ballot_replies, replies
from adapters.conversation.messages import BESIDE
from adapters.conversation.talk import FREE_TEXT, Talk
from domain.governance.votes import NotInElectorate, SameChoice, VotingClosed
from domain.kernel.errors import InvalidRequest, NotFound

SPLIT_FLOW = "split-vote"
SHARE = re.compile(r"\d+")


def show(talk: Talk) -> None:
    if talk.member_id is None:
        talk.say(replies.not_a_member(talk._))
        return
    shown, before_them = 0, []
    for proposal in talk.views.open_proposals(talk.services.clock()):
        ballot = talk.trust.member_ballot(proposal["proposal_id"], talk.member_id)
        if ballot.eligible and ballot.open and ballot.split:
            talk.say(ballot_replies.split_ballot_message(talk._, ballot, talk.language))
            talk.draft.clear()
            talk.draft.update(flow=SPLIT_FLOW, proposal=proposal["proposal_id"].hex, **{FREE_TEXT: True})
            shown += 1
        elif ballot.eligible and ballot.open:
            talk.say(ballot_replies.ballot_message(talk._, proposal["proposal_id"], ballot, talk.language))
            shown += 1
        elif ballot.open:  # its electorate is the members confirmed when it opened: they were not yet
            before_them.append(proposal)
    if not shown:
        talk.say(ballot_replies.nothing_open(talk._, before_them, talk.language))


def chosen(talk: Talk, choice: str) -> bool:
    if not choice.startswith(ballot_replies.PREFIX):
        return False
    proposal, _sep, option = choice.removeprefix(ballot_replies.PREFIX).partition(":")
    try:
        proposal_id, number = UUID(hex=proposal), int(option)
    except ValueError:
        proposal_id = None
    if talk.member_id is None or proposal_id is None:
        talk.say(replies.stale(talk._))
        return True
    _ = talk._
    try:
        receipt = talk.act(
            talk.trust.cast_vote, proposal_id, talk.member_id, number, talk.actor, talk.channel.collected_via
        )
    except SameChoice as same:
        talk.say(ballot_replies.already_chosen(_, same.option).shown_as(BESIDE))
    except VotingClosed:
        talk.say(ballot_replies.voting_closed(_).shown_as(BESIDE))
    except NotInElectorate:
        talk.say(ballot_replies.not_in_electorate(_).shown_as(BESIDE))
    except (NotFound, InvalidRequest):  # another proposal's, an option it does not have, or garbage
        talk.say(replies.stale(_))
    else:  # the ballot stays as it was (the latest vote counts until the close): the receipt comes beside it
        talk.say(ballot_replies.recorded(_, receipt.receipt, receipt.closes_at, talk.language).shown_as(BESIDE))
    return True


def typed(talk: Talk, text: str) -> bool:
    """The member's split for the split ballot last shown: a whole percentage per option, in order."""
    if talk.draft.get("flow") != SPLIT_FLOW or talk.member_id is None or not SHARE.search(text):
        return False  # words without a number are not a split: the conversation says it did not understand
    proposal_id = UUID(hex=talk.draft["proposal"])
    ballot = talk.trust.member_ballot(proposal_id, talk.member_id)
    shares = [int(share) for share in SHARE.findall(text)]
    if len(shares) != len(ballot.options) or sum(shares) != 100 or any(share > 100 for share in shares):
        talk.say(ballot_replies.split_not_understood(talk._, len(ballot.options)))
        return True
    try:
        receipt = talk.act(
            talk.trust.cast_split_vote, proposal_id, talk.member_id, shares, talk.actor, talk.channel.collected_via
        )
    except VotingClosed:
        talk.say(ballot_replies.voting_closed(talk._))
    except NotInElectorate:
        talk.say(ballot_replies.not_in_electorate(talk._))
    else:
        talk.say(ballot_replies.recorded(talk._, receipt.receipt, receipt.closes_at, talk.language))
    talk.draft.clear()
    return True

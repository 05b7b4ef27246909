"""What the trust says about votes: a ballot with a choice per option, the receipt, and why
a vote was not recorded. Pure functions from facts to a ``Reply``."""

from datetime import datetime
from uuid import UUID

from adapters.conversation.messages import Reply
from adapters.conversation.texts import Translate, day, moment
from domain.governance.votes import MemberBallot

PREFIX = "vote:"  # vote:<proposal id, 32 hex>:<option number>


def ballot_message(_: Translate, proposal_id: UUID, ballot: MemberBallot, language: str = "en") -> Reply:
    lines = [f"🗳 {ballot.title}", "", ballot.text, ""]
    if ballot.choice is not None:
        lines.append(
            _("You chose {option}. You can change it until {closes}.").format(
                option=ballot.options[ballot.choice], closes=moment(ballot.closes_at, language)
            )
        )
    else:
        lines.append(_("Choose an option. Voting closes {closes}.").format(closes=moment(ballot.closes_at, language)))
    buttons = [[(option, f"{PREFIX}{proposal_id.hex}:{index}")] for index, option in enumerate(ballot.options)]
    return Reply("\n".join(lines), buttons)


def split_ballot_message(_: Translate, ballot: MemberBallot, language: str = "en") -> Reply:
    """A split ballot: the member types a whole percentage for each option, in order, adding up to 100."""
    lines = [f"🗳 {ballot.title}", "", ballot.text, ""]
    lines += [f"{number}. {option}" for number, option in enumerate(ballot.options, 1)]
    lines.append("")
    if ballot.shares is not None:
        split = ", ".join(f"{option} {share}%" for option, share in zip(ballot.options, ballot.shares, strict=True))
        lines.append(
            _("Your split: {split}. You can change it until {closes}.").format(
                split=split, closes=moment(ballot.closes_at, language)
            )
        )
    example = " ".join(str(share) for share in example_split(len(ballot.options)))
    lines.append(
        _(
            "Share 100% between these: reply with a whole percentage for each, in this order, "
            "adding up to 100 (for example: {example}). Voting closes {closes}."
        ).format(example=example, closes=moment(ballot.closes_at, language))
    )
    return Reply("\n".join(lines))


def example_split(count: int) -> list[int]:
    """100 shared as evenly as whole numbers allow (e.g. 34 33 33)."""
    return [100 // count + (1 if n < 100 % count else 0) for n in range(count)]


def split_not_understood(_: Translate, count: int) -> Reply:
    return Reply(
        _(
            "Give a whole percentage for each of the {count} options, in order, adding up to 100; nothing was recorded."
        ).format(count=count)
    )


def nothing_open(_: Translate, opened_before_them: list[dict] | None = None, language: str = "en") -> Reply:
    """Nothing to vote on; ``opened_before_them``: open proposals whose electorate was fixed
    (the confirmed members when each opened) before this member became one."""
    if not opened_before_them:
        return Reply(_("There is no proposal open for your vote just now. You will be told here when there is."))
    lines = [
        _(
            "“{title}” opened on {opened}. Only those who were members then may vote on it, and you "
            "became a member after it opened, so it is not open for your vote."
        ).format(title=proposal["title"], opened=day(proposal["opened_at"], language))
        for proposal in opened_before_them
    ]
    lines.append(_("You will be told here when a proposal you can vote on opens."))
    return Reply("\n\n".join(lines))


def recorded(_: Translate, receipt: str, closes_at: datetime, language: str = "en") -> Reply:
    return Reply(
        _("Your vote is recorded. You can change it until {closes}.").format(closes=moment(closes_at, language))
        + "\n"
        + _(
            "Your receipt: {receipt}. Keep it to check that your vote was counted: it names your vote, "
            "never your choice. If you ever doubt it was counted, quote it to the trustees."
        ).format(receipt=receipt)
    )


def already_chosen(_: Translate, option: str) -> Reply:
    return Reply(_("You already chose {option}; nothing was changed.").format(option=option))


def voting_closed(_: Translate) -> Reply:
    return Reply(_("Voting on this proposal has closed; your vote was not recorded."))


def not_in_electorate(_: Translate) -> Reply:
    return Reply(
        _(
            "You cannot vote on this proposal: only members who were confirmed members when it opened "
            "(and still are) may vote. Nothing was recorded."
        )
    )

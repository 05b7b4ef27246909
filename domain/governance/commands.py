"""Commands about proposals: opening one, casting a vote (in the bot or from a
signed paper ballot), closing it, and what a member may know of their own vote.

Ballots are secret: the choice is sealed with the voter's key and opened only
here, at closing (to count) and for the member themself. A member erased before
the close cannot be counted (their key, and so their choice, is gone)."""

from collections.abc import Sequence
from datetime import datetime
from typing import cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from sqlalchemy.orm import Session

from domain.announcements.commands import AnnouncementCommands
from domain.governance.live_rules import RuleCommands
from domain.governance.model import Ballot, Proposal
from domain.governance.rules import RULES, Rule, rule
from domain.governance.votes import (
    CLOSED,
    RECEIPT_KEY,
    MemberBallot,
    NotASplitBallot,
    NotInElectorate,
    ProposalOutcome,
    Result,
    SameChoice,
    SplitBallot,
    TooEarlyToClose,
    UnknownProposal,
    VoteReceipt,
    VotingClosed,
    receipt,
)
from domain.kernel.actors import Actor
from domain.kernel.clock import uk_time
from domain.kernel.errors import InvalidRequest, InvalidTime
from domain.kernel.ports import AccessRules
from domain.kernel.references import reference
from domain.kernel.text import CONTROL, one_line
from domain.membership.commands import MembershipCommands
from domain.store.application import TrustApplication

MIN_OPTIONS, MAX_OPTIONS = 2, 8
MAX_TITLE, MAX_TEXT, MAX_OPTION = 150, 3000, 60
VOTE_CHANNELS = ("bot", "sms", "whatsapp", "paper")  # "bot": Telegram


def percent(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise InvalidRequest(f"The {what} must be a whole percentage from 0 to 100.")
    return value


def clean_options(options: Sequence[str]) -> list[str]:
    cleaned = [one_line(option, "Each option", MAX_OPTION) for option in options if option and option.strip()]
    if not MIN_OPTIONS <= len(cleaned) <= MAX_OPTIONS:
        raise InvalidRequest(f"A proposal needs {MIN_OPTIONS} to {MAX_OPTIONS} options.")
    if len({option.casefold() for option in cleaned}) != len(cleaned):
        raise InvalidRequest("Each option must be different from the others.")
    return cleaned


def proposal_text(text: str) -> str:
    text = (text or "").strip()
    if CONTROL.search(text):
        raise InvalidRequest("The proposal's text contains a control character; type it again as plain text.")
    if not text or len(text) > MAX_TEXT:
        raise InvalidRequest(f"The proposal's text must be 1 to {MAX_TEXT} characters.")
    return text


class ProposalCommands:
    def __init__(
        self,
        app: TrustApplication,
        announcements: "AnnouncementCommands",
        rules: "RuleCommands",
        members: "MembershipCommands",
    ) -> None:
        self.app = app
        self.announcements = announcements
        self.rules = rules
        self.members = members

    def open_proposal(
        self,
        title: str,
        text: str,
        options: Sequence[str],
        closes_at: datetime,
        actor: Actor,
        *,
        quorum_percent: int = 25,
        pass_percent: int = 50,
        passing_option: int | None = None,
        rule_code: str | None = None,
        rule_value: int | None = None,
        split: bool = False,
    ) -> UUID:
        """Open a proposal to the members active and confirmed now (the electorate is fixed
        here), and announce it to them. With a rule change, the passing option (by default
        the first) decides it; without one and without a passing option, it is an advisory poll.
        A split ballot (``split``) asks each voter to share 100% across the options (e.g. the
        uses of a year's surplus); its result is the mean split, with the quorum as for any vote."""
        title = one_line(title, "A proposal's title", MAX_TITLE)
        text = proposal_text(text)
        options = clean_options(options)
        quorum_percent = percent(quorum_percent, "quorum")
        pass_percent = percent(pass_percent, "share needed to pass")
        if split and (rule_code is not None or passing_option is not None):
            raise InvalidRequest("A split ballot shares 100% across its options; it cannot also change a rule or pass.")
        if rule_code is not None:
            rule_value = rule(rule_code).check(rule_value)  # type: ignore[arg-type]
            passing_option = 0 if passing_option is None else passing_option
        elif rule_value is not None:
            raise InvalidRequest("Choose which rule the new value is for.")
        if passing_option is not None and (isinstance(passing_option, bool) or not 0 <= passing_option < len(options)):
            raise InvalidRequest("The passing option must be one of the proposal's options.")
        if not isinstance(closes_at, datetime) or closes_at.tzinfo is None:
            raise InvalidTime("A closing time needs a time zone.")
        with self.app.command() as (session, now):
            if closes_at <= now:
                raise InvalidTime("A proposal's closing time must be in the future.")
            electorate = self._electorate().eligible_voters(session)
            proposal = Proposal(
                title=title,
                text=text,
                options=options,
                passing_option=passing_option,
                quorum_percent=quorum_percent,
                pass_percent=pass_percent,
                closes_at=closes_at,
                electorate=sorted(str(member_id) for member_id in electorate),
                rule_code=rule_code,
                rule_value=rule_value,
                actor=str(actor),
                split=bool(split),
            )
            invitation = (
                f"A new proposal is open for your vote: {title}. "
                f"Send /vote to read it and vote by {uk_time(closes_at)}."
            )
            announcement = self.announcements.new_announcement(session, now, invitation, actor, recipients=electorate)
            self.app.save(proposal, announcement)
        return proposal.id

    def cast_vote(
        self,
        proposal_id: UUID,
        member_id: UUID,
        option: int,
        actor: Actor,
        channel: str = "bot",
        evidence_ref: str | None = None,
    ) -> VoteReceipt:
        """Record a member's vote; a later vote replaces an earlier one until the close.
        From paper, the signed ballot's reference is required."""
        return self._record_ballot(proposal_id, member_id, option, actor, channel, evidence_ref)

    def cast_split_vote(
        self,
        proposal_id: UUID,
        member_id: UUID,
        shares: Sequence[int],
        actor: Actor,
        channel: str = "bot",
        evidence_ref: str | None = None,
    ) -> VoteReceipt:
        """Record a member's split in a split ballot: a whole percentage for each option, adding up
        to 100. A later split replaces an earlier one until the close, as any vote."""
        return self._record_ballot(proposal_id, member_id, list(shares), actor, channel, evidence_ref)

    def _record_ballot(
        self,
        proposal_id: UUID,
        member_id: UUID,
        choice: int | list[int],
        actor: Actor,
        channel: str,
        evidence_ref: str | None,
    ) -> VoteReceipt:
        if channel not in VOTE_CHANNELS:
            raise InvalidRequest(f"Unknown voting channel {channel!r}; use one of: {', '.join(VOTE_CHANNELS)}.")
        if channel == "paper" and not (evidence_ref or "").strip():
            raise InvalidRequest("A paper vote needs the signed ballot's reference as evidence.")
        evidence_ref = reference(evidence_ref)
        with self.app.command() as (session, now):
            proposal = self.proposal_record(proposal_id)
            if proposal.status == CLOSED or now >= proposal.closes_at:
                raise VotingClosed(proposal.closes_at)
            if not proposal.may_vote(member_id) or not self.members.is_active(member_id):
                raise NotInElectorate()
            if proposal.split:
                if not isinstance(choice, list):
                    raise SplitBallot()
                payload: dict = {"proposal": str(proposal_id), "shares": split_shares(choice, proposal.options)}
            else:
                if isinstance(choice, list):
                    raise NotASplitBallot()
                if isinstance(choice, bool) or not isinstance(choice, int) or not 0 <= choice < len(proposal.options):
                    raise InvalidRequest(f"Choose one of the proposal's {len(proposal.options)} options.")
                payload = {"proposal": str(proposal_id), "choice": choice}
            key = self.app.vault.key_for(session, member_id)
            ballot = self._ballot(proposal_id, member_id)
            # Only the member themself hears that a choice repeats their own: telling a caseworker
            # would tell them the member's earlier (secret) choice, so a paper ballot is recorded.
            again = channel == "bot" and ballot is not None and not proposal.split
            if again and self._choice(session, ballot) == choice:  # type: ignore[arg-type]
                raise SameChoice(proposal.options[choice])  # type: ignore[index]
            sealed = self.app.vault.seal(key, member_id, payload)  # type: ignore[arg-type]
            if ballot is None:
                ballot = Ballot(
                    proposal_id=proposal_id,
                    member_id=member_id,
                    sealed_choice=sealed,
                    channel=channel,
                    evidence_ref=evidence_ref,
                    actor=str(actor),
                )
                changed = False
            else:
                ballot.change(sealed, channel, evidence_ref, str(actor))
                changed = True
            self.app.save(ballot)
        code = receipt(self.app.vault.derived_key(RECEIPT_KEY), ballot.id, ballot.version)
        return VoteReceipt(code, proposal.closes_at, changed)

    def close_proposal(self, proposal_id: UUID, actor: Actor) -> Result:
        """Count the latest vote of each voter, record the result, apply a rule change that
        passed, and announce the result to the electorate. Closing again changes nothing."""
        with self.app.command() as (session, now):
            proposal = self.proposal_record(proposal_id)
            if proposal.result is not None:
                return proposal.result
            if now < proposal.closes_at:
                raise TooEarlyToClose(proposal.closes_at)
            tally, counted = [0] * len(proposal.options), 0
            for member_id in self._electorate().voters(session, proposal_id):
                ballot = self._ballot(proposal_id, member_id)
                if ballot is None or not proposal.may_vote(member_id):
                    continue
                if proposal.split:
                    shares = self._shares(session, ballot)
                    if shares is not None and len(shares) == len(tally):
                        tally = [points + share for points, share in zip(tally, shares, strict=True)]
                        counted += 1
                    continue
                choice = self._choice(session, ballot)
                if choice is not None and 0 <= choice < len(tally):
                    tally[choice] += 1
            proposal.close(tally, str(actor), turnout=counted if proposal.split else None)
            result = cast(Result, proposal.result)
            changes = []
            if result.passed and proposal.rule_code is not None:
                changes.append(self.rules.change_rule(proposal.rule_code, proposal.rule_value, proposal.id, str(actor)))
            electorate = [UUID(member_id) for member_id in proposal.electorate]
            told = self.announcements.new_announcement(
                session, now, result_text(proposal, result), actor, recipients=electorate
            )
            self.app.save(proposal, *changes, told)
        return result

    def member_ballot(self, proposal_id: UUID, member_id: UUID) -> MemberBallot:
        """For the member themself: the proposal, whether they may vote, and their own latest choice."""
        proposal = self.proposal_record(proposal_id)
        ballot = self._ballot(proposal_id, member_id)
        choice, shares = None, None
        if ballot is not None:
            with self.app.reading() as session:
                choice = None if proposal.split else self._choice(session, ballot)
                shares = self._shares(session, ballot) if proposal.split else None
        return MemberBallot(
            title=proposal.title,
            text=proposal.text,
            options=tuple(proposal.options),
            closes_at=proposal.closes_at,
            open=proposal.status != CLOSED and self.app.clock() < proposal.closes_at,
            eligible=proposal.may_vote(member_id),
            choice=choice,
            split=proposal.split,
            shares=None if shares is None else tuple(shares),
        )

    def votable_rules(self) -> list[Rule]:
        """The rules members can change by vote, with their defaults and limits."""
        return list(RULES.values())

    def proposal_result(self, proposal_id: UUID) -> Result | None:
        return self.proposal_record(proposal_id).result

    def proposal_outcome(self, proposal_id: UUID) -> ProposalOutcome:
        proposal = self.proposal_record(proposal_id)
        return ProposalOutcome(proposal.title, tuple(proposal.options), proposal.split, proposal.result)

    def proposal_record(self, proposal_id: UUID) -> Proposal:
        return self.app.load(proposal_id, Proposal, UnknownProposal)

    def _ballot(self, proposal_id: UUID, member_id: UUID) -> Ballot | None:
        try:
            return self.app.repository.get(Ballot.create_id(proposal_id, member_id))
        except AggregateNotFoundError:
            return None

    def _choice(self, session: Session, ballot: Ballot) -> int | None:
        """The ballot's latest choice, or None once the member's key is destroyed."""
        return self._opened(session, ballot).get("choice")

    def _shares(self, session: Session, ballot: Ballot) -> list[int] | None:
        """A split ballot's latest shares, or None once the member's key is destroyed."""
        return self._opened(session, ballot).get("shares")

    def _opened(self, session: Session, ballot: Ballot) -> dict:
        key = self.app.vault.key_for(session, ballot.member_id)
        opened = self.app.vault.open(key, ballot.member_id, ballot.sealed_choice)
        if opened is None or opened.get("proposal") != str(ballot.proposal_id):
            return {}
        return opened

    def _electorate(self) -> AccessRules:
        assert self.app.access_rules is not None, "the read side is wired by the composition root"
        return self.app.access_rules


def split_shares(shares: list[int], options: Sequence[str]) -> list[int]:
    """One whole percentage per option, adding up to 100: else refused with a sentence."""
    if len(shares) != len(options):
        raise InvalidRequest(f"Give a share to each of the {len(options)} options ({', '.join(options)}).")
    for share in shares:
        if isinstance(share, bool) or not isinstance(share, int) or not 0 <= share <= 100:
            raise InvalidRequest("Each share must be a whole percentage from 0 to 100.")
    if sum(shares) != 100:
        raise InvalidRequest(f"The shares add up to {sum(shares)}%; they must add up to 100%. Nothing was recorded.")
    return shares


def result_text(proposal: Proposal, result: Result) -> str:
    lines = [f"The vote on “{proposal.title}” has closed. {result.turnout} of {result.electorate} members voted."]
    if proposal.split:
        if result.split is not None:
            shares = zip(proposal.options, result.split, strict=True)
            lines.append("The mean split: " + ", ".join(f"{option}: {share}%" for option, share in shares) + ".")
        lines.append(f"The quorum of {proposal.quorum_percent}% was {'met' if result.quorum_met else 'not met'}.")
        return "\n".join(lines)
    lines.append(", ".join(f"{option}: {count}" for option, count in zip(proposal.options, result.tally, strict=True)))
    quorum = f"The quorum of {proposal.quorum_percent}% was {'met' if result.quorum_met else 'not met'}."
    if result.passed is None:
        lines.append(quorum)
    else:
        lines.append(f"{quorum} The proposal {'passed' if result.passed else 'did not pass'}.")
    if result.passed and proposal.rule_code is not None:
        title = RULES[proposal.rule_code].title
        lines.append(f"From now on the {title[0].lower() + title[1:]} is {proposal.rule_value}.")
    return "\n".join(lines)

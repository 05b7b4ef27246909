"""What adapters may know about proposals and votes: the refusals, a closed
proposal's result, a vote's receipt (no aggregate internals here)."""

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.kernel.errors import InvalidRequest, NotAllowedNow, NotFound
from domain.kernel.shares import largest_remainder

OPEN, CLOSED = "open", "closed"
RECEIPT_KEY = "ballot receipts"
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0 O 1 I L, as reference codes


class UnknownProposal(NotFound):
    def __init__(self, reference: object):
        super().__init__(f"No proposal is known by {reference!s}.")


class NotInElectorate(NotAllowedNow):
    def __init__(self) -> None:
        super().__init__(
            "Only members who were active and confirmed when the proposal opened, and still are, may vote in it."
        )


class VotingClosed(NotAllowedNow):
    def __init__(self, closes_at: datetime) -> None:
        self.closes_at = closes_at
        super().__init__(f"Voting on this proposal closed at {closes_at:%Y-%m-%d %H:%M} UTC; nothing was recorded.")


class SameChoice(NotAllowedNow):
    def __init__(self, option: str) -> None:
        self.option = option
        super().__init__(f"This member already chose {option!r}; nothing was changed.")


class NotASplitBallot(InvalidRequest):
    def __init__(self) -> None:
        super().__init__("This proposal asks for one choice, not a split; nothing was recorded.")


class SplitBallot(InvalidRequest):
    def __init__(self) -> None:
        super().__init__("This proposal is a split ballot: give each use a share, adding up to 100%.")


class TooEarlyToClose(NotAllowedNow):
    def __init__(self, closes_at: datetime) -> None:
        super().__init__(f"This proposal closes at {closes_at:%Y-%m-%d %H:%M} UTC; it cannot be closed before then.")


@dataclass(frozen=True)
class Result:
    """What closing a proposal found: votes per option, in the options' order."""

    tally: tuple[int, ...]
    turnout: int
    electorate: int
    quorum_met: bool
    passed: bool | None  # None: an advisory poll, with no passing option
    closed_at: datetime
    split: tuple[int, ...] | None = None  # a split ballot's mean split in whole percents (adds up to 100)


def mean_split(points: Sequence[int], turnout: int) -> tuple[int, ...] | None:
    """A split ballot's result: the mean of the shares voters gave each use, in whole percents
    that add up to 100 (largest remainder); None when nobody voted."""
    if turnout <= 0 or sum(points) <= 0:
        return None
    return tuple(largest_remainder(100, list(points)))


@dataclass(frozen=True)
class ProposalOutcome:
    """What another part may know of a proposal: what it asked and, once closed, its result."""

    title: str
    options: tuple[str, ...]
    split: bool
    result: Result | None


@dataclass(frozen=True)
class VoteReceipt:
    receipt: str
    closes_at: datetime
    changed: bool  # True when it replaces an earlier vote


@dataclass(frozen=True)
class MemberBallot:
    """What one member may know about their own vote in one proposal."""

    title: str
    text: str
    options: tuple[str, ...]
    closes_at: datetime
    open: bool
    eligible: bool
    choice: int | None  # their latest choice, opened for them alone
    split: bool = False  # a split ballot: shares of 100% across the options (the uses)
    shares: tuple[int, ...] | None = None  # their latest split, opened for them alone


def receipt(key: bytes, ballot_id: UUID, version: int) -> str:
    """A short code for one cast of a ballot (e.g. K7Q2-9XPD): it names the cast, never the choice."""
    digest = hmac.new(key, f"{ballot_id}:{version}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    characters = []
    for _ in range(8):
        number, index = divmod(number, len(RECEIPT_ALPHABET))
        characters.append(RECEIPT_ALPHABET[index])
    code = "".join(characters)
    return f"{code[:4]}-{code[4:]}"

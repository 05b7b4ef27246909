"""Dividends in pence: the rule members voted (a share in equal parts, a share by participation),
each member's entitlement under it, and the refusals, each one plain sentence. Pure functions."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from uuid import UUID

from domain.kernel.errors import InvalidRequest
from domain.kernel.shares import largest_remainder


@dataclass(frozen=True)
class DividendRule:
    """How the dividend pot is shared: ``equal_percent`` of it in equal shares among the members,
    ``participation_percent`` in proportion to the community panels each answered in the year."""

    equal_percent: int
    participation_percent: int

    def __str__(self) -> str:
        if self.participation_percent == 0:
            return "equal shares"
        if self.equal_percent == 0:
            return "by participation (community panels answered)"
        return f"{self.equal_percent}% in equal shares, {self.participation_percent}% by participation"


def dividend_rule(equal_percent: object, participation_percent: object) -> DividendRule:
    for value, what in ((equal_percent, "equal shares"), (participation_percent, "participation")):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise InvalidRequest(f"The share for {what} must be a whole percentage from 0 to 100.")
    total = equal_percent + participation_percent  # type: ignore[operator]
    if total != 100:
        raise InvalidRequest(
            f"This dividend rule does not add up: {equal_percent}% in equal shares and {participation_percent}% "
            f"by participation make {total}%, and a rule must share all of the dividend (100%). Nothing was recorded."
        )
    return DividendRule(equal_percent, participation_percent)  # type: ignore[arg-type]


def entitlements(
    pot_pence: int, rule: DividendRule, members: Sequence[UUID], answered: Mapping[UUID, int], year: int
) -> dict[UUID, int]:
    """Each member's dividend in whole pence, adding up to the pot exactly (largest remainder; on a
    tie the member listed first, so list them in a fixed order). Refused with a sentence when the
    rule cannot be applied to this year."""
    if not members:
        raise InvalidRequest(f"No member was active at the end of {year}, so there is no one to share dividends with.")
    panels = {member: answered.get(member, 0) for member in members}
    all_panels = sum(panels.values())
    if rule.participation_percent and not all_panels:
        raise InvalidRequest(
            f"No member answered a community panel in {year}, so nothing can be shared by participation; "
            "only a rule of equal shares can be applied. Nothing was recorded."
        )
    equal = Fraction(rule.equal_percent, 100 * len(members))
    weights = [
        equal + (Fraction(rule.participation_percent * panels[m], 100 * all_panels) if all_panels else 0)
        for m in members
    ]
    shares = largest_remainder(pot_pence, weights)
    if sum(shares) != pot_pence:  # cannot happen with largest remainder; checked so it never goes unnoticed
        raise InvalidRequest(
            f"The dividends add up to {sum(shares)}p, not the dividend pot of {pot_pence}p. Nothing was recorded."
        )
    return dict(zip(members, shares, strict=True))


def pounds(pence: int) -> str:
    return f"£{pence // 100:,}.{pence % 100:02d}"

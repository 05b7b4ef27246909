"""A social business's benchmarked report: each of its figures against each of its peer groups,
every comparison published or withheld under the disclosure rules members voted (peers.py)."""

from collections.abc import Sequence
from dataclasses import dataclass

from domain.reports.figures import FIGURES, GROUPS
from domain.reports.peers import Comparison, DisclosureRules, compare


@dataclass(frozen=True)
class GroupReport:
    group: str  # sector | area | size
    title: str  # "Same sector"
    named: str | None  # the group in words ("Accommodation and food services"); None: the profile does not say
    peers: int  # organisations in the group who agreed to benchmarking, this one included
    comparisons: dict[str, Comparison]  # by figure code; empty when the whole group is withheld
    withheld: str | None = None


@dataclass(frozen=True)
class BenchmarkReport:
    own: dict[str, float | None]
    groups: list[GroupReport]
    rules: DisclosureRules


def benchmark(
    own: dict[str, float | None],
    peers: dict[str, tuple[int, dict[str, Sequence[float]]]],
    named: dict[str, str | None],
    rules: DisclosureRules,
) -> BenchmarkReport:
    """``own`` figures against each group's (``peers``: each group's size, every member of it this one
    included, and their figures, figure by figure, where shared)."""
    groups = []
    for group, title in GROUPS:
        if named.get(group) is None:
            reason = "Your profile does not say, so there is no group to compare with."
            groups.append(GroupReport(group, title, None, 0, {}, reason))
            continue
        size, columns = peers.get(group, (0, {}))
        if size < rules.min_cell:  # say it once for the group, not once per figure
            reason = (
                f"Only {size} organisation{'s' if size != 1 else ''} in this group agreed to "
                f"benchmarking, yours included: figures are compared once there are at least {rules.min_cell}, "
                "so that no one's can be read from the comparison."
            )
            groups.append(GroupReport(group, title, named[group], size, {}, reason))
            continue
        comparisons = {
            figure.code: compare(own.get(figure.code), columns.get(figure.code, ()), rules, figure.money)
            for figure in FIGURES
        }
        groups.append(GroupReport(group, title, named[group], size, comparisons))
    return BenchmarkReport(own, groups, rules)

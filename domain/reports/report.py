"""A social business's benchmarked report: each of its figures against each of its peer groups,
every comparison published or withheld under the disclosure rules members voted (peers.py)."""

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
    peers: dict[str, list[dict[str, float | None]]],
    named: dict[str, str | None],
    rules: DisclosureRules,
) -> BenchmarkReport:
    """``own`` figures against each group's (``peers``: every member of the group, this one included)."""
    groups = []
    for group, title in GROUPS:
        if named.get(group) is None:
            reason = "Your profile does not say, so there is no group to compare with."
            groups.append(GroupReport(group, title, None, 0, {}, reason))
            continue
        members = peers.get(group, [])
        if len(members) < rules.min_cell:  # say it once for the group, not once per figure
            reason = (
                f"Only {len(members)} organisation{'s' if len(members) != 1 else ''} in this group agreed to "
                f"benchmarking, yours included: figures are compared once there are at least {rules.min_cell}, "
                "so that no one's can be read from the comparison."
            )
            groups.append(GroupReport(group, title, named[group], len(members), {}, reason))
            continue
        comparisons = {
            figure.code: compare(
                own.get(figure.code),
                [values[figure.code] for values in members if values.get(figure.code) is not None],
                rules,
                figure.money,
            )
            for figure in FIGURES
        }
        groups.append(GroupReport(group, title, named[group], len(members), comparisons))
    return BenchmarkReport(own, groups, rules)

"""An individual's well-being against their area's: the ONS4 answers they shared (life satisfaction,
worthwhile, happiness and anxiety, 0 to 10) beside the median of the members in their postcode area
(CA for CA1) who agreed to the comparison, under the same disclosure control as the benchmarked
reports (peers.py): an area with fewer such members than the live minimum cell size is withheld,
with the reason. The peer groups are the benchmarked reports' (projections/reports), under a group of
their own ("wellbeing-area"), so an individual is never in a business's group or the other way round."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from domain.reports.figures import postcode_area
from domain.reports.peers import Comparison, DisclosureRules, compare

PURPOSE = "wellbeing-comparison"  # the catalogue purpose an individual agrees to
CATEGORY = "wellbeing"  # the shared category the answers come from
AREA_GROUP = "wellbeing-area"  # the peer group's name: its tags never equal a business group's
# (field, lower is better): anxiety is the one ONS4 question where a lower answer is the better one
QUESTIONS = (("life-satisfaction", False), ("worthwhile", False), ("happiness", False), ("anxiety", True))
NEEDED = ("profile", "wellbeing")  # the categories a consent must cover for the member to be compared


def kept(values: dict) -> list:
    """What the comparison keeps of a well-being submission: the four answers in QUESTIONS' order."""
    return [values.get(code) for code, _lower in QUESTIONS]


def area_of(profile: dict | None) -> str | None:
    """The postcode area the member is compared within, from their profile's district (None: not said)."""
    return postcode_area((profile or {}).get("area"))


def answer_rows(entries: list[tuple[list, dict | None]], _today: object = None) -> np.ndarray:
    """A group's answers, one row per member, one column per question (NaN: not answered)."""
    rows = np.full((len(entries), len(QUESTIONS)), np.nan)
    for n, (answers, _funding) in enumerate(entries):
        rows[n] = [np.nan if value is None else value for value in answers]
    return rows


@dataclass(frozen=True)
class WellbeingComparison:
    area: str | None  # the postcode area: "CA"; None: the member's profile does not say
    peers: int  # members in the area who agree to the comparison, this one included
    own: dict[str, float | None]  # the member's answers by question (None: not answered)
    answers: dict[str, Comparison]  # by question; empty when the whole area is withheld
    rules: DisclosureRules
    withheld: str | None = None  # why the area is not compared, in a sentence


def compare_wellbeing(
    own: dict[str, float | None],
    area: str,
    peers: tuple[int, dict[str, Sequence[float] | np.ndarray]],
    rules: DisclosureRules,
) -> WellbeingComparison:
    """``own`` answers against their area's (``peers``: how many in it agree now, theirs included, and
    the answers given, question by question). A question with fewer answers than the minimum is
    withheld on its own (peers.compare says why)."""
    size, columns = peers
    if size < rules.min_cell:
        reason = (
            f"Only {size} member{'s' if size != 1 else ''} in {area} agreed to compare, you included: "
            f"answers are compared once there are at least {rules.min_cell}, so that no one's can be read."
        )
        return WellbeingComparison(area, size, own, {}, rules, reason)
    answers = {code: compare(own.get(code), columns.get(code, ()), rules) for code, _lower in QUESTIONS}
    return WellbeingComparison(area, size, own, answers, rules)

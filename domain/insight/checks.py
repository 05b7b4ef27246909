"""Checks on what organisations and members give an insight request: the panel
criteria against the catalogue's profile questions, answers against their
questions, released free text. Each refusal is one plain sentence."""

from collections.abc import Iterator, Mapping, Sequence

from domain.insight.disclosure.release import Question, check_breakdown
from domain.insight.model import PanelCriteria
from domain.insight.sortition import Quota
from domain.kernel.catalogue import PREFER_NOT_TO_SAY, Catalogue
from domain.kernel.errors import InvalidRequest, NotInCatalogue
from domain.kernel.text import CONTROL, SURROGATE

MAX_PANEL = 5000
# What an organisation may ask of a draw (see "What a request may ask" in the README): the citizens'
# assemblies of Flanigan et al. (2021) set quotas on 2 to 8 attributes, the largest 26 to 29 quotas with at
# most 5 values an attribute; an area's postcode districts can need a few more.
MAX_QUOTAS = 30
MAX_QUOTA_ATTRIBUTES = 8
MAX_QUOTAS_PER_ATTRIBUTE = 12
MAX_TEXT = 1000
HOUSEHOLD = "(household)"  # a pool member's household key among their attributes: no question's code has brackets
MAX_FEE_PENCE = 10**9


def whole_number(value: object, what: str, lowest: int, highest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
        raise InvalidRequest(f"{what} must be a whole number from {lowest} to {highest}.")
    return value


def check_fee(fee_pence: object) -> int:
    return whole_number(fee_pence, "The fee offered (in pence)", 0, MAX_FEE_PENCE)


def check_criteria(catalogue: Catalogue, criteria: PanelCriteria, min_cell: int) -> PanelCriteria:
    size = whole_number(criteria.size, "The panel size", 1, MAX_PANEL)
    if len(criteria.quotas) > MAX_QUOTAS:
        raise InvalidRequest(
            f"A panel may have at most {MAX_QUOTAS} quotas; this request sets {len(criteria.quotas)}. "
            "Group values together or drop the quotas that matter least."
        )
    quotas, seen = [], set()
    for quota in criteria.quotas:
        if quota.attribute not in catalogue.profile:
            raise NotInCatalogue("profile question", quota.attribute, list(catalogue.profile))
        value = catalogue.profile[quota.attribute].clean(str(quota.value))
        what = f"The quota {quota.attribute} = {value}"
        minimum = whole_number(quota.minimum, f"{what}'s minimum", 0, MAX_PANEL)
        maximum = whole_number(quota.maximum, f"{what}'s maximum", 0, MAX_PANEL)
        if minimum > maximum:
            raise InvalidRequest(f"{what} asks for at least {minimum} but at most {maximum} members.")
        if (quota.attribute, value) in seen:
            raise InvalidRequest(f"{what} is given twice.")
        seen.add((quota.attribute, value))
        quotas.append(Quota(quota.attribute, value, minimum, maximum))
    _within_caps(quotas)
    for attribute in sorted({q.attribute for q in quotas}):
        minimums = sum(q.minimum for q in quotas if q.attribute == attribute)
        if minimums > size:
            raise InvalidRequest(f"The minimums for {attribute} add up to {minimums}, more than the panel size {size}.")
    as_tuples = tuple((q.attribute, q.value, q.minimum, q.maximum) for q in quotas)
    breakdown = check_breakdown(tuple(criteria.breakdown), as_tuples, size, min_cell, tuple(catalogue.profile))
    if not isinstance(criteria.one_per_household, bool):
        raise InvalidRequest("Whether a panel takes at most one member of a household must be true or false.")
    return PanelCriteria(size, tuple(quotas), tuple(breakdown), criteria.one_per_household)


def _within_caps(quotas: list[Quota]) -> None:
    """Each quota multiplies the combinations the draw must balance: a request may set only so many."""
    per_attribute: dict[str, int] = {}
    for quota in quotas:
        per_attribute[quota.attribute] = per_attribute.get(quota.attribute, 0) + 1
    if len(per_attribute) > MAX_QUOTA_ATTRIBUTES:
        raise InvalidRequest(
            f"Quotas may be set on at most {MAX_QUOTA_ATTRIBUTES} attributes; this request sets them on "
            f"{len(per_attribute)}."
        )
    for attribute, count in sorted(per_attribute.items()):
        if count > MAX_QUOTAS_PER_ATTRIBUTE:
            raise InvalidRequest(
                f"A panel may have at most {MAX_QUOTAS_PER_ATTRIBUTE} quotas on {attribute}; this request sets "
                f"{count}. Group values together (e.g. neighbouring areas) or drop some."
            )


def pool_attributes(catalogue: Catalogue, profile: Mapping[str, str] | None) -> dict[str, str]:
    """A member's answers to every profile question (a missing answer counts as prefer-not-to-say), and
    their household's key when one is recorded (under HOUSEHOLD, which no question's code can be)."""
    profile = profile or {}
    attributes = {code: profile.get(code) or PREFER_NOT_TO_SAY for code in catalogue.profile}
    if profile.get(HOUSEHOLD):
        attributes[HOUSEHOLD] = profile[HOUSEHOLD]
    return attributes


class HouseholdsIn(Mapping[str, str]):
    """Member -> household key, for the members of a drawn pool (member -> attributes) who have one: what
    the draw's one-per-household rule reads. Each member's attributes are read only when asked for (a
    replacement's pool opens members one by one)."""

    def __init__(self, pool: Mapping[str, Mapping[str, str]]) -> None:
        self.pool = pool

    def __getitem__(self, member: str) -> str:
        household = (self.pool.get(member) or {}).get(HOUSEHOLD)
        if not household:
            raise KeyError(member)
        return household

    def __iter__(self) -> Iterator[str]:
        return (member for member in self.pool if (self.pool.get(member) or {}).get(HOUSEHOLD))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def free_text(text: object, what: str) -> str:
    if not isinstance(text, str):
        raise InvalidRequest(f"{what} must be text.")
    if CONTROL.search(text) or SURROGATE.search(text):
        raise InvalidRequest(f"{what} contains a control character; type it again as plain text.")
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise InvalidRequest(f"{what} must be at most {MAX_TEXT} characters.")
    return text


def check_answers(questions: Sequence[Question], answers: Mapping[str, object]) -> dict[str, str | list[str]]:
    """The answers, checked against their questions (options, kinds, text rules); skipped ones left out."""
    by_code = {q.code: q for q in questions}
    cleaned: dict[str, str | list[str]] = {}
    for code, answer in (answers or {}).items():
        question = by_code.get(code)
        if question is None:
            raise InvalidRequest(f"{code!r} is not a question of this panel; its questions are {', '.join(by_code)}.")
        if question.kind == "text":
            text = free_text(answer, f"The answer to {code}")
            if text:
                cleaned[code] = text
        elif question.kind == "multiple":
            chosen = [answer] if isinstance(answer, str) else list(answer or [])  # type: ignore[call-overload]
            wrong = [c for c in chosen if c not in question.options]
            if wrong:
                raise InvalidRequest(
                    f"{wrong[0]!r} is not an option of {code}; choose from {', '.join(question.options)}."
                )
            if chosen:
                cleaned[code] = [o for o in question.options if o in chosen]
        elif answer is not None and answer != "":
            if answer not in question.options:
                raise InvalidRequest(
                    f"{answer!r} is not an option of {code}; choose one of {', '.join(question.options)}."
                )
            cleaned[code] = answer  # type: ignore[assignment]
    if not cleaned:
        raise InvalidRequest("Give at least one answer.")
    return cleaned


def check_released_texts(questions: Sequence[Question], texts: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    text_codes = [q.code for q in questions if q.kind == "text"]
    released: dict[str, list[str]] = {}
    for code, entries in (texts or {}).items():
        if code not in text_codes:
            raise InvalidRequest(
                f"{code!r} is not a free-text question of this request ({', '.join(text_codes) or 'none'})."
            )
        if isinstance(entries, str):
            raise InvalidRequest(f"Give the released texts for {code} as a list.")
        kept = [free_text(entry, f"A released text for {code}") for entry in entries]
        released[code] = [entry for entry in kept if entry]
    return released

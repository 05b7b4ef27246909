"""The trust's catalogue of purposes, data categories, organisation kinds and
panel profile questions, read from a TOML file the trust controls."""

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from domain.errors import InvalidRequest, NotInCatalogue

PREFER_NOT_TO_SAY = "prefer-not-to-say"
DEFAULT_CATALOGUE = Path(__file__).with_name("catalogue.toml")


def latest(versions: dict[str, str]) -> str:
    return max(versions, key=int)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Offer:
    """What a "yes" in the chat bot gives: the purpose to every approved organisation
    of one kind, for these categories."""

    kind: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class Purpose:
    code: str
    title: str
    summary: str
    notices: dict[str, str]
    offer: Offer | None = None
    panels: bool = False  # members consenting to it may be drawn for community panels

    @property
    def latest_notice(self) -> str:
        return latest(self.notices)

    def notice_hash(self, version: str) -> str:
        if version not in self.notices:
            raise NotInCatalogue(f"notice version of {self.code}", version, list(self.notices))
        return text_hash(self.notices[version])


@dataclass(frozen=True)
class ProfileQuestion:
    code: str
    question: str
    choices: tuple[str, ...] = ()
    pattern: str | None = None

    def clean(self, answer: str) -> str:
        answer = answer.strip()
        if answer == PREFER_NOT_TO_SAY:
            return answer
        if self.pattern:
            normalised = answer.upper().replace(" ", "")
            if re.fullmatch(self.pattern, normalised):
                return normalised
            raise InvalidRequest(f"{answer!r} is not a valid answer for {self.code}: {self.question}")
        if answer in self.choices:
            return answer
        valid = ", ".join((*self.choices, PREFER_NOT_TO_SAY))
        raise InvalidRequest(f"{answer!r} is not a valid answer for {self.code}; choose one of: {valid}.")


@dataclass(frozen=True)
class Catalogue:
    purposes: dict[str, Purpose]
    categories: dict[str, str]
    organisation_kinds: dict[str, str]
    profile: dict[str, ProfileQuestion] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)  # membership terms by version

    @property
    def latest_terms(self) -> str:
        if not self.terms:
            raise NotInCatalogue("membership terms version", "latest", [])
        return latest(self.terms)

    def terms_hash(self, version: str) -> str:
        if version not in self.terms:
            raise NotInCatalogue("membership terms version", version, list(self.terms))
        return text_hash(self.terms[version])

    def offered_purposes(self) -> list[Purpose]:
        """The purposes the chat bot asks about, in catalogue order."""
        return [purpose for purpose in self.purposes.values() if purpose.offer is not None]

    def purpose(self, code: str) -> Purpose:
        if code not in self.purposes:
            raise NotInCatalogue("purpose", code, list(self.purposes))
        return self.purposes[code]

    def check_categories(self, codes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        if not codes:
            raise InvalidRequest("Choose at least one data category.")
        for code in codes:
            if code not in self.categories:
                raise NotInCatalogue("category", code, list(self.categories))
        return tuple(sorted(set(codes)))

    def check_organisation_kind(self, kind: str) -> str:
        if kind not in self.organisation_kinds:
            raise NotInCatalogue("organisation kind", kind, list(self.organisation_kinds))
        return kind

    def clean_profile(self, answers: dict[str, str]) -> dict[str, str]:
        cleaned = {}
        for code, answer in answers.items():
            if code not in self.profile:
                raise NotInCatalogue("profile question", code, list(self.profile))
            cleaned[code] = self.profile[code].clean(answer)
        return cleaned


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    data = tomllib.loads(Path(path or DEFAULT_CATALOGUE).read_text(encoding="utf-8"))
    purposes = {
        code: Purpose(
            code,
            p["title"],
            p["summary"],
            {str(k): v for k, v in p["notices"].items()},
            Offer(p["offer"]["kind"], tuple(p["offer"]["categories"])) if "offer" in p else None,
            bool(p.get("panels", False)),
        )
        for code, p in data["purposes"].items()
    }
    profile = {
        code: ProfileQuestion(code, q["question"], tuple(q.get("choices", ())), q.get("pattern"))
        for code, q in data.get("profile", {}).items()
    }
    terms = {str(k): v for k, v in data.get("membership", {}).get("terms", {}).items()}
    catalogue = Catalogue(purposes, dict(data["categories"]), dict(data["organisation_kinds"]), profile, terms)
    for purpose in catalogue.offered_purposes():
        catalogue.check_organisation_kind(purpose.offer.kind)  # type: ignore[union-attr]
        catalogue.check_categories(purpose.offer.categories)  # type: ignore[union-attr]
    return catalogue

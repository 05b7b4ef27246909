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


@dataclass(frozen=True)
class Purpose:
    code: str
    title: str
    summary: str
    notices: dict[str, str]

    @property
    def latest_notice(self) -> str:
        return max(self.notices, key=int)

    def notice_hash(self, version: str) -> str:
        if version not in self.notices:
            raise NotInCatalogue(f"notice version of {self.code}", version, list(self.notices))
        return hashlib.sha256(self.notices[version].encode("utf-8")).hexdigest()


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
        code: Purpose(code, p["title"], p["summary"], {str(k): v for k, v in p["notices"].items()})
        for code, p in data["purposes"].items()
    }
    profile = {
        code: ProfileQuestion(code, q["question"], tuple(q.get("choices", ())), q.get("pattern"))
        for code, q in data.get("profile", {}).items()
    }
    return Catalogue(purposes, dict(data["categories"]), dict(data["organisation_kinds"]), profile)

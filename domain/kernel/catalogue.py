"""The trust's catalogue of purposes, data categories, organisation kinds and
panel profile questions, read from a TOML file the trust controls."""

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from domain.kernel.errors import InvalidRequest, NotInCatalogue
from domain.kernel.standard import Standard, load_standard

PREFER_NOT_TO_SAY = "prefer-not-to-say"
MEMBER_KINDS = ("individual", "organisation-member")
THE_TRUST = "trust"  # the audience of a purpose used only inside the trust: never an organisation's kind
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
    covers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # organisation kinds, by notice version
    members: tuple[str, ...] = MEMBER_KINDS  # the kinds of member who may give it
    within_trust: bool = False  # used by the trust itself (anonymised benchmarks): no organisation reads it

    def is_for(self, member_kind: str) -> bool:
        return member_kind in self.members

    @property
    def latest_notice(self) -> str:
        return latest(self.notices)

    def covered_kinds(self, version: str) -> tuple[str, ...]:
        """The organisation kinds the notice of this version names: a consent given
        under it may reach only them. Without an explicit list, the offer's kind;
        a purpose with neither covers nobody until the trust says whom."""
        if self.within_trust:
            return (THE_TRUST,)
        if version in self.covers:
            return self.covers[version]
        return (self.offer.kind,) if self.offer is not None else ()

    def own_kind(self, version: str | None = None) -> str | None:
        """The kind a new consent's audience starts at: the offer's, else the first covered."""
        kinds = self.covered_kinds(version or self.latest_notice)
        if self.offer is not None and self.offer.kind in kinds:
            return self.offer.kind
        return kinds[0] if kinds else None

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
    label: str = ""  # a short name for the answer ("Area"), where the whole question is too long
    choice_labels: dict[str, str] = field(default_factory=dict)  # words for a choice whose code is not

    @property
    def short_label(self) -> str:
        return self.label or self.code.replace("-", " ").capitalize()

    def choice_label(self, choice: str) -> str:
        return self.choice_labels.get(choice, choice)

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


TEMPLATE_VALUES = ("text",)  # what may fill a WhatsApp template's body: the announcement's text
_TEMPLATE_NAME = re.compile(r"^[a-z0-9_]{1,512}$")  # Meta's rule for template names
_LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Za-z]{2,4})?$")  # en, en_GB, zh_CN, pt_BR...


@dataclass(frozen=True)
class WhatsAppTemplate:
    """A template approved by Meta, used for a business-initiated WhatsApp message outside the
    24-hour window: its name, language, and what fills its body's parameters, in order."""

    name: str
    language: str
    body: tuple[str, ...] = ()

    def body_values(self, text: str) -> list[str]:
        return [text for _value in self.body]  # "text" is the only value so far (TEMPLATE_VALUES)


def whatsapp_template(use: str, entry: object) -> WhatsAppTemplate:
    """One [whatsapp.templates] entry, checked: a bad one stops the catalogue loading, in one sentence."""
    where = f"[whatsapp.templates] {use}"
    if not isinstance(entry, dict):
        raise InvalidRequest(f'{where} must be a table like {{ name = "...", language = "en_GB", body = ["text"] }}.')
    unknown = sorted(set(entry) - {"name", "language", "body"})
    if unknown:
        raise InvalidRequest(f"{where} has unknown keys {', '.join(unknown)}; it takes name, language and body.")
    name, language, body = entry.get("name"), entry.get("language"), entry.get("body", [])
    if not isinstance(name, str) or not _TEMPLATE_NAME.match(name):
        raise InvalidRequest(f"{where} needs the template's name as Meta has it: lower-case letters, digits and _.")
    if not isinstance(language, str) or not _LANGUAGE.match(language):
        raise InvalidRequest(f'{where} needs the template\'s language code, like "en_GB" or "cy".')
    if not isinstance(body, list) or any(value not in TEMPLATE_VALUES for value in body):
        raise InvalidRequest(f"{where} body must list what fills each parameter, from: {', '.join(TEMPLATE_VALUES)}.")
    return WhatsAppTemplate(name, language, tuple(body))


@dataclass(frozen=True)
class Catalogue:
    purposes: dict[str, Purpose]
    categories: dict[str, str]
    organisation_kinds: dict[str, str]
    profile: dict[str, ProfileQuestion] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)  # membership terms by version
    terms_summaries: dict[str, str] = field(default_factory=dict)  # a short summary per version, for SMS
    whatsapp_templates: dict[str, WhatsAppTemplate] = field(default_factory=dict)  # by use, e.g. "announcement"
    standard: Standard = field(default_factory=Standard)  # the fields of the categories members share

    @property
    def latest_terms(self) -> str:
        if not self.terms:
            raise NotInCatalogue("membership terms version", "latest", [])
        return latest(self.terms)

    def terms_summary(self, version: str) -> str | None:
        """The version's short summary (sent by SMS with TERMS for the whole text), if the catalogue has one."""
        return self.terms_summaries.get(version)

    def terms_hash(self, version: str) -> str:
        if version not in self.terms:
            raise NotInCatalogue("membership terms version", version, list(self.terms))
        return text_hash(self.terms[version])

    def offered_purposes(self, member_kind: str = "individual") -> list[Purpose]:
        """The purposes the chat bot asks a member of this kind about, in catalogue order."""
        return [p for p in self.purposes.values() if p.offer is not None and p.is_for(member_kind)]

    def check_purpose_for(self, purpose: Purpose, member_kind: str) -> None:
        """Refuse a purpose meant for another kind of member (a social business's funding applications
        for an individual, say): its notice was not written for them."""
        if not purpose.is_for(member_kind):
            kinds = " or ".join(kind.replace("-", " ") + "s" for kind in purpose.members)
            this = member_kind.replace("-", " ")
            raise InvalidRequest(f"{purpose.title} is only for {kinds}; this member is an {this}.")

    def purpose(self, code: str) -> Purpose:
        if code not in self.purposes:
            raise NotInCatalogue("purpose", code, list(self.purposes))
        return self.purposes[code]

    def readable_purposes(self) -> list[str]:
        """The purposes an organisation may name when it reads member by member."""
        return [code for code, p in self.purposes.items() if not (p.panels or p.within_trust)]

    def readable_purpose(self, code: str) -> Purpose:
        """A purpose an organisation may read member by member. A panels purpose never
        is: its notice promises that nobody outside the trust sees who said what; nor is
        a purpose the trust keeps to itself (benchmarks)."""
        if code not in self.purposes:  # name only the purposes that can be read
            raise NotInCatalogue("purpose", code, self.readable_purposes())
        purpose = self.purpose(code)
        if purpose.panels:
            raise InvalidRequest(
                f"{purpose.title} is only released as anonymised panel results, never read member by member."
            )
        if purpose.within_trust:
            raise InvalidRequest(f"{purpose.title} is used only inside the trust; no organisation reads it.")
        return purpose

    def check_categories(self, codes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        if not codes:
            raise InvalidRequest("Choose at least one data category.")
        for code in codes:
            if code not in self.categories:
                raise NotInCatalogue("category", code, list(self.categories))
        return tuple(sorted(set(codes)))

    def check_audience_kind(self, purpose: Purpose, version: str, kind: str, who: str | None = None) -> None:
        """Refuse an audience the member was not told about: a consent reaches only
        the organisation kinds its notice names (``who``: a named organisation)."""
        covered = purpose.covered_kinds(version)
        if kind in covered:
            return
        told = " or ".join(f"{self.kind_label(k).lower()}s" for k in covered) or "no organisation"
        label = self.kind_label(kind).lower()
        asked = f"and {who} is a {label}" if who else f"not every {label}"
        raise InvalidRequest(f"The {purpose.title} notice (version {version}) covers only {told}, {asked}.")

    def kind_label(self, kind: str) -> str:
        if kind == THE_TRUST:
            return "The trust itself"
        return self.organisation_kinds.get(kind, kind)

    def check_audience(self, purpose: Purpose, version: str, kind: str) -> None:
        """A consent's kind of audience: an organisation kind its notice names, or, for a purpose
        used only inside the trust, the trust itself (and nothing else)."""
        if purpose.within_trust or kind == THE_TRUST:
            if not (purpose.within_trust and kind == THE_TRUST):
                raise InvalidRequest(
                    f"{purpose.title} is used only inside the trust: its consent names no organisation."
                    if purpose.within_trust
                    else f"Only a purpose used inside the trust is given to the trust itself; {purpose.title} is not."
                )
            return
        self.check_organisation_kind(kind)
        self.check_audience_kind(purpose, version, kind)

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
    path = Path(path or DEFAULT_CATALOGUE)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    purposes = {
        code: Purpose(
            code,
            p["title"],
            p["summary"],
            {str(k): v for k, v in p["notices"].items()},
            Offer(p["offer"]["kind"], tuple(p["offer"]["categories"])) if "offer" in p else None,
            bool(p.get("panels", False)),
            {str(k): tuple(v) for k, v in p.get("covers", {}).items()},
            tuple(p.get("members", MEMBER_KINDS)),
            bool(p.get("within_trust", False)),
        )
        for code, p in data["purposes"].items()
    }
    profile = {
        code: ProfileQuestion(
            code,
            q["question"],
            tuple(q.get("choices", ())),
            q.get("pattern"),
            q.get("label", ""),
            {str(k): str(v) for k, v in q.get("labels", {}).items()},
        )
        for code, q in data.get("profile", {}).items()
    }
    terms = {str(k): v for k, v in data.get("membership", {}).get("terms", {}).items()}
    summaries = {str(k): v for k, v in data.get("membership", {}).get("terms_summary", {}).items()}
    for version in summaries:
        if version not in terms:
            raise NotInCatalogue("membership terms version (for its summary)", version, list(terms))
    templates = data.get("whatsapp", {}).get("templates", {})
    whatsapp = {use: whatsapp_template(use, entry) for use, entry in templates.items()}
    standard = Standard()
    if "standard" in data:  # a file beside the catalogue, else the bundled one of that name
        beside, bundled = path.parent / data["standard"], DEFAULT_CATALOGUE.parent / data["standard"]
        found = beside if beside.exists() else bundled
        if not found.exists():
            named = data["standard"]
            raise InvalidRequest(f"The catalogue names the data standard {named!r}, but there is no {beside}.")
        standard = load_standard(tomllib.loads(found.read_text(encoding="utf-8")), dict(data["categories"]))
    catalogue = Catalogue(
        purposes,
        dict(data["categories"]),
        dict(data["organisation_kinds"]),
        profile,
        terms,
        terms_summaries=summaries,
        whatsapp_templates=whatsapp,
        standard=standard,
    )
    for purpose in catalogue.purposes.values():
        for kind in purpose.members:
            if kind not in MEMBER_KINDS:
                raise NotInCatalogue(f"member kind (for {purpose.code})", kind, list(MEMBER_KINDS))
    if THE_TRUST in catalogue.organisation_kinds:
        raise InvalidRequest(f"{THE_TRUST!r} names the trust itself; an organisation kind needs another code.")
    offered = [p for kind in MEMBER_KINDS for p in catalogue.offered_purposes(kind)]
    for purpose in offered:
        catalogue.check_categories(purpose.offer.categories)  # type: ignore[union-attr]
    for purpose in catalogue.purposes.values():
        if purpose.within_trust and (purpose.panels or purpose.covers):
            raise InvalidRequest(f"{purpose.code} is used only inside the trust: it has no panels and covers no kind.")
        for version, kinds in purpose.covers.items():
            purpose.notice_hash(version)  # a coverage for a notice that does not exist is a typo
            for kind in kinds:
                catalogue.check_organisation_kind(kind)
    for purpose in offered:  # the bot's "yes" must stay within the latest notice
        catalogue.check_audience(purpose, purpose.latest_notice, purpose.offer.kind)  # type: ignore[union-attr]
    return catalogue

"""The trust's data standard: for each category members share, a versioned schema of fields.

Each field has a type (a number with its unit, money in pence, a percentage, a choice from a list,
a date, yes/no, short text, an organisation identifier), says whether it is required, and how it is
checked. A schema change is a new version; a submission keeps the version it was made under.
A category of ``entries`` (funding received, say) holds a list of records, each checked alike.

Values come in two ways: typed (JSON: money as whole pence, yes/no as true/false) through ``clean``,
and as a person writes them (a form, the chat: "£1,250.50", "yes", "25/3/2024") through ``read``."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from domain.kernel.errors import InvalidData, InvalidRequest, NotInCatalogue
from domain.kernel.org_ids import NotAnOrgId, canonical_org_id

TYPES = ("number", "money", "percentage", "choice", "date", "yes-no", "text", "org-id")
YES, NO = ("yes", "y", "true", "1", "ie", "do"), ("no", "n", "false", "0", "na", "naddo")
MAX_TEXT = 200
LARGEST = Decimal(10) ** 15  # no number in the standard comes near: £10 trillion is 10**15 pence


class Unclear(ValueError):
    """A value that does not fit its field; the message is the sentence's end ("must be ...")."""


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise Unclear("must be a number")
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise Unclear("must be a number") from None
    if not number.is_finite():
        raise Unclear("must be a number")
    if abs(number) >= LARGEST:  # beyond any figure the trust keeps (and beyond exact decimal arithmetic)
        raise Unclear("is too large to be right")
    return number


@dataclass(frozen=True)
class Field:
    code: str
    label: str  # a short name where members and organisations read it ("Life satisfaction")
    type: str
    question: str = ""  # how the chat and the forms ask for it
    required: bool = False
    unit: str = ""  # a number's unit ("rooms", "FTE")
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    decimals: int = 0  # a number's decimal places (0: a whole number)
    choices: tuple[str, ...] = ()
    choice_labels: dict[str, str] = field(default_factory=dict)
    pattern: str | None = None  # short text that must match (upper-cased first)
    past: bool = False  # a date that cannot be in the future

    @property
    def asked(self) -> str:
        return self.question or self.label

    def choice_label(self, choice: str) -> str:
        return self.choice_labels.get(choice, choice)

    def words(
        self, value: object, yes_no: tuple[str, str] = ("Yes", "No"), day: Callable[[date], str] | None = None
    ) -> str:
        """A recorded value as a person reads it: "£1,250.50", "Yes",
        "Rent from a private landlord", "3 bedrooms", "25 March 2024". The chat passes its own
        language's yes and no and its way of saying a date."""
        if self.type == "money" and isinstance(value, int):
            return f"£{value / 100:,.2f}"
        if self.type == "yes-no":
            return yes_no[0] if value else yes_no[1]
        if self.type == "choice":
            return self.choice_label(str(value))
        number = f"{value:g}" if isinstance(value, int | float) else str(value)
        if self.type == "percentage":
            return f"{number}%"
        if self.type == "number":
            return f"{number} {self.unit}".strip()
        if self.type == "date":
            try:
                when = date.fromisoformat(str(value))
            except ValueError:
                return str(value)
            return day(when) if day is not None else when.strftime("%-d %B %Y")
        return str(value)

    def published(self) -> dict:
        """The field as the trust publishes its standard (GET /api/v1/standard)."""
        spec: dict = {"type": self.type, "label": self.label, "question": self.asked, "required": self.required}
        if self.unit:
            spec["unit"] = self.unit
        for name in ("minimum", "maximum"):
            if getattr(self, name) is not None:
                spec[name] = int(getattr(self, name))
        if self.type in ("number", "percentage"):
            spec["decimals"] = self.decimals
        if self.choices:
            spec["choices"] = [{"code": c, "label": self.choice_label(c)} for c in self.choices]
        if self.pattern:
            spec["pattern"] = self.pattern
        if self.past:
            spec["not_in_future"] = True
        return spec

    def clean(self, value: object, today: date | None = None) -> object:
        """A typed value, checked; raises Unclear."""
        if self.type == "number":
            return self._number(_decimal(value), today=today)
        if self.type == "percentage":
            return self._number(_decimal(value), Decimal(0), Decimal(100))
        if self.type == "money":
            if isinstance(value, bool) or not isinstance(value, int):
                raise Unclear("must be a whole number of pence")
            return int(self._number(_decimal(value)))
        if self.type == "yes-no":
            if not isinstance(value, bool):
                raise Unclear("must be true or false")
            return value
        if not isinstance(value, str):
            raise Unclear("must be text")
        return self._text(value, today)

    def read(self, text: str, today: date | None = None) -> object:
        """A value as a person writes it, checked; raises Unclear."""
        text = (text or "").strip()
        if self.type == "money":
            pounds = _decimal(re.sub(r"^£|(?i:\s*(pounds?|gbp))$", "", text.replace(" ", "")))
            if pounds != pounds.quantize(Decimal("0.01")):
                raise Unclear("must be in pounds and pence (e.g. 1250.50)")
            return self.clean(int(pounds * 100), today)
        if self.type == "yes-no":
            word = text.lower()
            if word in YES or word in NO:
                return word in YES
            raise Unclear("must be yes or no")
        if self.type in ("number", "percentage"):
            return self.clean(re.sub(r"\s*%$", "", text), today)
        if self.type == "choice":
            for choice in self.choices:  # the code, or its words, in any case
                if text.lower() in (choice.lower(), self.choice_label(choice).lower()):
                    return choice
            if text.isdigit() and 1 <= int(text) <= len(self.choices):  # "Reply 2" for the second
                return self.choices[int(text) - 1]
        return self.clean(text, today)

    def _number(
        self, number: Decimal, low: Decimal | None = None, high: Decimal | None = None, today: date | None = None
    ) -> int | float:
        low = self.minimum if self.minimum is not None else low
        high = self.maximum if self.maximum is not None else high
        if self.past and today is not None:  # a year that cannot be in the future
            high = Decimal(today.year) if high is None else min(high, Decimal(today.year))
        unit = f" {self.unit}" if self.unit else ""
        if number != number.quantize(Decimal(1).scaleb(-self.decimals)):
            places = "1 decimal place" if self.decimals == 1 else f"{self.decimals} decimal places"
            raise Unclear("must be a whole number" if not self.decimals else f"must have at most {places}")
        if (low is not None and number < low) or (high is not None and number > high):
            shown = (
                (lambda n: f"£{n / 100:,.2f}")
                if self.type == "money"
                else (lambda n: f"{n:{',' if n >= 10000 else ''}}{unit}")
            )
            if low is not None and high is not None:
                raise Unclear(f"must be from {shown(low)} to {shown(high)}")
            raise Unclear(f"must be at least {shown(low)}" if low is not None else f"must be at most {shown(high)}")
        return int(number) if not self.decimals else float(number)

    def _text(self, value: str, today: date | None) -> str:
        value = " ".join(value.split())
        if not value:
            raise Unclear("is empty")
        if self.type == "choice":
            if value not in self.choices:
                raise Unclear(f"must be one of: {', '.join(self.choices)}")
            return value
        if self.type == "date":
            return self._date(value, today)
        if self.type == "org-id":
            try:
                return canonical_org_id(value)
            except NotAnOrgId as why:
                raise Unclear(f"{value!r} {why}") from None
        if len(value) > MAX_TEXT:
            raise Unclear(f"must be at most {MAX_TEXT} characters")
        if self.pattern:
            value = value.upper().replace(" ", "")
            if not re.fullmatch(self.pattern, value):
                raise Unclear("is not in the expected form")
        return value

    def _date(self, value: str, today: date | None) -> str:
        for form in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
            try:
                day = datetime.strptime(value, form).date()
                break
            except ValueError:
                continue
        else:
            raise Unclear("must be a date like 2024-03-25 or 25/3/2024")
        if self.past and today is not None and day > today:
            raise Unclear("cannot be in the future")
        return day.isoformat()


@dataclass(frozen=True)
class Total:
    """Percentage fields that share one whole: when any is given, together they make 100."""

    fields: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class Schema:
    category: str
    version: str
    fields: dict[str, Field]
    entries: bool = False  # a list of records, each of these fields
    identifier: str | None = None  # the entry field that tells one record from another
    totals: tuple[Total, ...] = ()
    max_entries: int = 1000

    def published(self) -> dict:
        return {
            "entries": self.entries,
            "identifier": self.identifier,
            "fields": {code: spec.published() for code, spec in self.fields.items()},
            "totals": [{"fields": list(t.fields), "label": t.label, "add_up_to": 100} for t in self.totals],
        }

    def in_words(self, record: dict) -> list[tuple[str, str]]:
        """One record's values as (label, words), in the schema's order (fields it no longer has last)."""
        shown = [(spec.label, spec.words(record[code])) for code, spec in self.fields.items() if code in record]
        return shown + [(code, str(value)) for code, value in record.items() if code not in self.fields]

    def clean(self, values: object, today: date | None = None, typed: bool = True) -> dict | list[dict]:
        """The submission, every value checked; raises InvalidData naming every problem at once."""
        if not self.entries:
            return self._record(values, today, typed, "")
        if not isinstance(values, list):
            raise InvalidData([(None, f"Give {self.category} as a list of records.")])
        if len(values) > self.max_entries:
            raise InvalidData([(None, f"Give at most {self.max_entries:,} records of {self.category} at once.")])
        problems, records, seen = [], [], set()
        for number, entry in enumerate(values, start=1):
            try:
                record = self._record(entry, today, typed, f"Record {number}: ")
            except InvalidData as error:
                problems.extend(error.problems)
                continue
            key = record.get(self.identifier) if self.identifier else None
            if key is not None and key in seen:
                problems.append((self.identifier, f"Record {number}: {key!r} is given twice."))
            seen.add(key)
            records.append(record)
        if problems:
            raise InvalidData(problems)
        return records

    def _record(self, values: object, today: date | None, typed: bool, where: str) -> dict:
        if not isinstance(values, dict):
            raise InvalidData([(None, f"{where}give the fields of {self.category} by name.")])
        problems: list[tuple[str | None, str]] = []
        unknown = sorted(set(values) - set(self.fields))
        if unknown:
            known = ", ".join(self.fields)
            problems.append(
                (
                    None,
                    f"{where}Version {self.version} of {self.category} has no field {', '.join(unknown)}; "
                    f"its fields are {known}.",
                )
            )
        record: dict = {}
        for code, spec in self.fields.items():
            value = values.get(code)
            if value is None or (isinstance(value, str) and not value.strip()):
                if spec.required:
                    problems.append((code, f"{where}{spec.label} is required."))
                continue
            try:
                record[code] = spec.clean(value, today) if typed else spec.read(str(value), today)
            except Unclear as unclear:
                problems.append((code, f"{where}{spec.label} {unclear}."))
        for total in self.totals:
            given = [record[code] for code in total.fields if code in record]
            if given and abs(sum(given) - 100) > 0.05:
                problems.append((None, f"{where}{total.label} must add up to 100%; they add up to {sum(given):g}%."))
        if not record and not problems:
            problems.append((None, f"{where}Give at least one field of {self.category}."))
        if problems:
            raise InvalidData(problems)
        return record


def _bound(spec: dict, name: str) -> Decimal | None:
    return Decimal(str(spec[name])) if name in spec else None


def load_schema(category: str, version: str, data: dict) -> Schema:
    """One ``[<category>.<version>]`` table of the standard, checked: a mistake stops the catalogue loading."""
    where = f"data standard {category} version {version}"
    fields = {}
    for code, spec in data.get("fields", {}).items():
        kind = spec.get("type")
        if kind not in TYPES:
            raise InvalidRequest(f"In the {where}, field {code} has type {kind!r}; use one of {', '.join(TYPES)}.")
        if kind == "choice" and not spec.get("choices"):
            raise InvalidRequest(f"In the {where}, choice field {code} lists no choices.")
        fields[code] = Field(
            code,
            spec.get("label", code),
            kind,
            spec.get("question", ""),
            bool(spec.get("required", False)),
            spec.get("unit", ""),
            _bound(spec, "minimum"),
            _bound(spec, "maximum"),
            int(spec.get("decimals", 1 if kind == "percentage" else 0)),
            tuple(spec.get("choices", ())),
            {str(k): str(v) for k, v in spec.get("labels", {}).items()},
            spec.get("pattern"),
            bool(spec.get("past", False)),
        )
    if not fields:
        raise InvalidRequest(f"The {where} has no fields.")
    totals = tuple(Total(tuple(t["fields"]), t["label"]) for t in data.get("totals", ()))
    for total in totals:
        for code in total.fields:
            if code not in fields or fields[code].type != "percentage":
                raise InvalidRequest(f"In the {where}, a total names {code}, which is not a percentage field.")
    identifier = data.get("identifier")
    if identifier is not None and identifier not in fields:
        raise InvalidRequest(f"In the {where}, the identifier {identifier} is not a field.")
    return Schema(category, version, fields, bool(data.get("entries", False)), identifier, totals)


@dataclass(frozen=True)
class Standard:
    """Every category's schemas, by version."""

    schemas: dict[str, dict[str, Schema]] = field(default_factory=dict)
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)  # the member kinds a category is for

    def for_member(self, category: str, kind: str) -> bool:
        return kind in self.members.get(category, (kind,))

    def published(self, titles: dict[str, str]) -> dict:
        """The whole standard, every version, as the trust publishes it."""
        return {
            category: {
                "title": titles.get(category, category),
                "members": list(self.members.get(category, ("individual", "organisation-member"))),
                "versions": {v: schema.published() for v, schema in versions.items()},
            }
            for category, versions in self.schemas.items()
        }

    def categories_for(self, kind: str) -> list[str]:
        return [category for category in self.schemas if self.for_member(category, kind)]

    def versions(self, category: str) -> dict[str, Schema]:
        if category not in self.schemas:
            raise NotInCatalogue("category with a data standard", category, list(self.schemas))
        return self.schemas[category]

    def schema(self, category: str, version: str | None = None) -> Schema:
        """The schema of ``version`` (the latest when None); a version never published is refused."""
        versions = self.versions(category)
        version = version or max(versions, key=int)
        if version not in versions:
            published = ", ".join(sorted(versions, key=int))
            raise InvalidRequest(f"The trust never published version {version!r} of {category}; it has {published}.")
        return versions[version]


def load_standard(data: dict, categories: dict[str, str]) -> Standard:
    schemas: dict[str, dict[str, Schema]] = {}
    members: dict[str, tuple[str, ...]] = {}
    for category, entries in data.items():
        if category not in categories:
            raise NotInCatalogue("category (in the data standard)", category, list(categories))
        versions = {v: spec for v, spec in entries.items() if v.isdigit()}
        schemas[category] = {v: load_schema(category, v, spec) for v, spec in versions.items()}
        if not schemas[category]:
            raise InvalidRequest(f"The data standard for {category} has no version.")
        if "members" in entries:
            members[category] = tuple(entries["members"])
    return Standard(schemas, members)

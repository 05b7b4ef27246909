"""A 360Giving file (https://standard.threesixtygiving.org) read into funding-history records.

Funders publish their grants in the 360Giving Data Standard, as a spreadsheet (CSV: one grant a
row, columns titled "Identifier", "Amount Awarded", "Recipient Org:Identifier", ...) or as JSON
(``{"grants": [{"id", "amountAwarded", "recipientOrganization": [{"id", "name"}], ...}]}``).
Each grant becomes one funding-history record: grant-id, title, funder (an org-id), funder-name,
amount (pence, from pounds), instrument, date, term-months.

360Giving has no column for loans or investment. A file may carry an extra "Instrument" column
(JSON: an ``instrument`` key on the grant, which the standard's schema allows): grant, loan,
equity or quasi-equity. Without it every row is a grant: we do not guess a loan from a grant
programme's title, which funders word as they please.

Pure: no store, no clock. Every problem is named by its row (as a spreadsheet numbers it: the
header is row 1) or its grant (JSON, counted from 1) and by the 360Giving column, all at once."""

import csv
import io
import json
from dataclasses import dataclass
from datetime import date

from domain.kernel.errors import InvalidData, InvalidRequest
from domain.kernel.org_ids import NotAnOrgId, canonical_org_id
from domain.kernel.standard import Schema, Unclear

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000

# funding-history field <- 360Giving's column title (CSV) and its path in a JSON grant
COLUMNS = {
    "grant-id": ("Identifier", ("id",)),
    "title": ("Title", ("title",)),
    "funder": ("Funding Org:Identifier", ("fundingOrganization", 0, "id")),
    "funder-name": ("Funding Org:Name", ("fundingOrganization", 0, "name")),
    "amount": ("Amount Awarded", ("amountAwarded",)),
    "instrument": ("Instrument", ("instrument",)),
    "date": ("Award Date", ("awardDate",)),
    "term-months": ("Planned Dates:Duration (months)", ("plannedDates", 0, "duration")),
}
CURRENCY = ("Currency", ("currency",))
RECIPIENT = ("Recipient Org:Identifier", ("recipientOrganization", 0, "id"))
RECIPIENT_NAME = ("Recipient Org:Name", ("recipientOrganization", 0, "name"))
REQUIRED = ("Identifier", "Amount Awarded", "Award Date", "Funding Org:Identifier")


@dataclass(frozen=True)
class Grant:
    """One row of the file: where it is ("Row 7", "Grant 3"), whom it was for, and what it says."""

    where: str
    recipient: str | None  # the recipient's org-id as written (canonical where it is one)
    recipient_name: str
    cells: dict[str, str]  # 360Giving column title -> the text in it


def read_grants(content: bytes, filename: str) -> list[Grant]:
    """The file's grants, unchecked; a file too big, of another format, or unreadable is refused."""
    if len(content) > MAX_BYTES:
        raise InvalidRequest(
            f"The file is {len(content) / 1024 / 1024:.1f} MB; the trust imports 360Giving files of at most "
            f"{MAX_BYTES // 1024 // 1024} MB. Split it, or keep only this organisation's grants."
        )
    name = (filename or "").lower()
    text = _decoded(content)
    if name.endswith(".json") or (not name.endswith(".csv") and text.lstrip().startswith("{")):
        grants = _json_grants(text)
    elif name.endswith(".csv") or not name.rpartition(".")[1]:
        grants = _csv_grants(text)
    else:
        raise InvalidRequest(
            f"{filename!r} is not a CSV or JSON file; save the 360Giving spreadsheet as CSV (or use its JSON) "
            "and import that."
        )
    if not grants:
        raise InvalidRequest("The file has no grants in it.")
    if len(grants) > MAX_ROWS:
        raise InvalidRequest(
            f"The file has {len(grants):,} grants; the trust imports at most {MAX_ROWS:,} at once. "
            "Split it, or keep only this organisation's grants."
        )
    return grants


def _decoded(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")  # a spreadsheet saved on Windows


def _csv_grants(text: str) -> list[Grant]:
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise InvalidRequest(f"The file cannot be read as CSV ({error}).") from None
    if not rows:
        raise InvalidRequest("The file is empty.")
    header = [title.strip() for title in rows[0]]
    missing = [title for title in REQUIRED if title not in header]
    if missing:
        raise InvalidRequest(
            f"The file has no {', '.join(repr(m) for m in missing)} column; a 360Giving file's first row names "
            "its columns (Identifier, Title, Currency, Amount Awarded, Award Date, Recipient Org:Identifier, "
            "Funding Org:Identifier, ...)."
        )
    grants = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line a spreadsheet leaves at the end
        cells = {title: cell.strip() for title, cell in zip(header, row, strict=False) if title}
        grants.append(_grant(f"Row {number}", cells))
    return grants


def _json_grants(text: str) -> list[Grant]:
    try:
        data = json.loads(text)
    except ValueError:
        raise InvalidRequest('The file is not valid JSON; a 360Giving JSON file is {"grants": [...]}.') from None
    if not isinstance(data, dict) or not isinstance(data.get("grants"), list):
        raise InvalidRequest('The JSON has no list of grants; a 360Giving JSON file is {"grants": [...]}.')
    grants = []
    for number, grant in enumerate(data["grants"], start=1):
        if not isinstance(grant, dict):
            raise InvalidRequest(f"Grant {number} in the JSON is not an object with the grant's fields.")
        columns = [*COLUMNS.values(), CURRENCY, RECIPIENT, RECIPIENT_NAME]
        cells = {title: _text(_at(grant, path)) for title, path in columns}
        grants.append(_grant(f"Grant {number}", {k: v for k, v in cells.items() if v}))
    return grants


def _at(value: object, path: tuple) -> object:
    for step in path:
        if isinstance(step, int):
            value = value[0] if isinstance(value, list) and value else (value if isinstance(value, dict) else None)
        else:
            value = value.get(step) if isinstance(value, dict) else None
    return value


def _text(value: object) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def _grant(where: str, cells: dict[str, str]) -> Grant:
    recipient = cells.get(RECIPIENT[0]) or None
    if recipient:
        try:
            recipient = canonical_org_id(recipient)
        except NotAnOrgId:
            pass  # compared as written: it matches no member's org-id
    return Grant(where, recipient, cells.get(RECIPIENT_NAME[0], ""), cells)


def records_of(grants: list[Grant], schema: Schema, today: date) -> list[dict]:
    """Each grant as a funding-history record, checked against the standard's ``schema``; raises
    InvalidData naming every bad row and column at once ("Row 7, Award Date: '31/02/2024' is not a date.")."""
    problems: list[tuple[str | None, str]] = []
    records: list[dict] = []
    first_row: dict[str, str] = {}
    for grant in grants:
        record, bad = _record(grant, schema, today)
        problems.extend(bad)
        grant_id = record.get("grant-id")
        if grant_id and grant_id in first_row:
            problems.append(("grant-id", f"{grant.where}, Identifier: {grant_id!r} is also on {first_row[grant_id]}."))
        elif grant_id:
            first_row[grant_id] = grant.where.lower()
        records.append(record)
    if problems:
        raise InvalidData(problems)
    return records


def _record(grant: Grant, schema: Schema, today: date) -> tuple[dict, list[tuple[str | None, str]]]:
    problems: list[tuple[str | None, str]] = []
    currency = grant.cells.get(CURRENCY[0], "").upper()
    if currency and currency != "GBP":
        said = f"{grant.where}, Currency: {currency!r} is not GBP; the trust records amounts in pounds."
        problems.append((None, said))
    record: dict = {}
    for code, (title, _path) in COLUMNS.items():
        text = grant.cells.get(title, "")
        if code == "instrument":
            text = text or "grant"
        if code == "date":
            text = text.partition("T")[0]  # 360Giving allows a date-time: the day is what counts
        if not text:
            if code in ("grant-id", *(c for c, f in schema.fields.items() if f.required)):
                problems.append((code, f"{grant.where}, {title}: is missing; every grant needs one."))
            continue
        try:
            record[code] = schema.fields[code].read(text, today)
        except Unclear as unclear:
            said = _said(code, str(unclear))
            shown = "" if said.startswith(repr(text)) else f"{text!r} "  # an org-id's sentence names it already
            problems.append((code, f"{grant.where}, {title}: {shown}{said}."))
    return record, problems


def _said(code: str, unclear: str) -> str:
    if code == "date" and unclear.startswith("must be a date"):
        return "is not a date (360Giving writes dates like 2024-03-25)"
    if code == "amount" and unclear.startswith("must be in pounds"):
        return "must be in pounds and pence (e.g. 12500.50)"
    return unclear


@dataclass(frozen=True)
class ImportResult:
    """What an import did to the member's funding history: grant ids added, updated (the file's
    fields replaced the record's) and already recorded as they are; rows for other recipients left."""

    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    other_recipients: int  # rows in the file for organisations other than this member
    records: int  # how many records the member's funding history holds now

    @property
    def recorded(self) -> bool:
        """False when the file changed nothing (every grant already recorded as it is): nothing was recorded."""
        return bool(self.added or self.updated)

    def summary(self) -> str:
        """One sentence or two for the person who imported it."""
        if not self.recorded:
            said = f"All {len(self.unchanged)} grants in the file are already recorded as they are; nothing changed."
        else:
            parts = [f"{len(self.added)} added", f"{len(self.updated)} updated"]
            if self.unchanged:
                parts.append(f"{len(self.unchanged)} already recorded as they are")
            said = f"Funding history imported: {', '.join(parts)} ({self.records} records in all)."
        if self.other_recipients:
            rows = "row is" if self.other_recipients == 1 else "rows are"
            said += f" {self.other_recipients} {rows} for other organisations and were left out."
        return said

    def as_json(self) -> dict:
        return {
            "added": list(self.added),
            "updated": list(self.updated),
            "unchanged": list(self.unchanged),
            "other_recipients": self.other_recipients,
            "records": self.records,
            "recorded": self.recorded,
            "summary": self.summary(),
        }


def merge(current: list[dict], imported: list[dict], other_recipients: int) -> tuple[list[dict], ImportResult]:
    """``imported`` merged into the ``current`` funding history by grant-id: a new grant is added, one
    the file says differently is updated (the file's fields replace the record's; a field 360Giving
    does not carry, such as the outcome the member gave, stays), an identical one is left as it is."""
    merged = [dict(record) for record in current]
    where = {record["grant-id"]: i for i, record in enumerate(merged) if record.get("grant-id")}
    added, updated, unchanged = [], [], []
    for record in imported:
        grant_id = record["grant-id"]
        if grant_id not in where:
            where[grant_id] = len(merged)
            merged.append(record)
            added.append(grant_id)
            continue
        old = merged[where[grant_id]]
        new = {**{k: v for k, v in old.items() if k not in COLUMNS}, **record}
        if new == old:
            unchanged.append(grant_id)
        else:
            merged[where[grant_id]] = new
            updated.append(grant_id)
    result = ImportResult(tuple(added), tuple(updated), tuple(unchanged), other_recipients, len(merged))
    return merged, result


def members_grants(grants: list[Grant], org_id: str | None) -> list[Grant]:
    """The grants that are the member's: those for ``org_id`` (the identifier in their organisation
    profile), as a funder's whole file holds every recipient's grants. A member with no identifier
    yet may import a file for one recipient only: the trust cannot tell which of several is theirs."""
    if org_id:
        mine = [grant for grant in grants if grant.recipient == org_id]
        if not mine:
            raise InvalidRequest(
                f"None of the file's {len(grants):,} grants is for {org_id}, the identifier in this organisation's "
                f"profile; the file's grants are for {_recipients(grants)}."
            )
        return mine
    if len({grant.recipient for grant in grants if grant.recipient}) > 1:
        raise InvalidRequest(
            f"The file has grants for {_recipients(grants)}; the trust cannot tell which are this organisation's. "
            "Share its organisation profile with its identifier (e.g. GB-CHC-1123456) first: the import then "
            "keeps only its grants."
        )
    return grants


def _recipients(grants: list[Grant]) -> str:
    named: dict[str, str] = {}
    for grant in grants:
        if grant.recipient and grant.recipient not in named:
            name = f" ({grant.recipient_name})" if grant.recipient_name else ""
            named[grant.recipient] = f"{grant.recipient}{name}"
    shown = list(named.values())
    if not shown:
        return "no recipient identifier"
    if len(shown) > 4:
        return f"{len(shown):,} organisations ({', '.join(shown[:3])}, ...)"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"

"""The trust's plain words in the feature files, turned into what the application takes.

Times are written as the trust's staff say them ("Monday 2 March 2026 at 10:00",
local time in the UK); purposes by their catalogue title ("affordable credit");
data categories and organisation kinds by their words ("household finances",
"social lender").
"""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import parse

from domain.kernel.actors import Actor
from domain.kernel.catalogue import Catalogue

LOCAL = ZoneInfo("Europe/London")
AXES = {"as the system enforced it": "recorded", "as it really was": "effective"}


@parse.with_pattern(r"[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2}")
def moment(text: str) -> datetime:
    """'Monday 2 March 2026 at 10:00' (UK time) as a UTC instant; the weekday must match the date."""
    local = datetime.strptime(text, "%A %d %B %Y at %H:%M")
    if local.strftime("%A") != text.split()[0]:
        raise ValueError(f"{text!r}: {local:%d %B %Y} is a {local:%A}")
    return local.replace(tzinfo=LOCAL).astimezone(UTC)


@parse.with_pattern(r'[^"]+')
def quoted(text: str) -> str:
    """The text between a pair of double quotes (a name, a form reference, a message)."""
    return text


TYPES = {"Moment": moment, "Q": quoted}


def caseworker(name: str) -> Actor:
    return Actor("caseworker", name.lower())


TRUSTEE = Actor("trustee", "tess")
MEMBER_HIMSELF = Actor("member", "self")


def words(text: str) -> list[str]:
    """'household finances, housing and wellbeing' -> ['household finances', 'housing', 'wellbeing']."""
    return [part.strip() for part in re.split(r",\s*|\s+and\s+", text) if part.strip()]


def categories(catalogue: Catalogue, text: str) -> list[str]:
    codes = [word.replace(" ", "-") for word in words(text)]
    unknown = [code for code in codes if code not in catalogue.categories]
    assert not unknown, f"not data categories in the catalogue: {unknown}"
    return codes


def purpose(catalogue: Catalogue, text: str) -> str:
    for code, chosen in catalogue.purposes.items():
        if chosen.title.lower() == text.lower():
            return code
    raise AssertionError(f"no purpose titled {text!r} in the catalogue")


def organisation_kind(catalogue: Catalogue, text: str) -> str:
    for code, label in catalogue.organisation_kinds.items():
        if label.lower() == text.lower():
            return code
    raise AssertionError(f"no organisation kind called {text!r} in the catalogue")


def quoted_names(text: str) -> list[str]:
    """'no organisation' -> []; '"A" and "B"' -> ['A', 'B']."""
    if text.strip() == "no organisation":
        return []
    names = re.findall(r'"([^"]+)"', text)
    assert names, f"expected quoted organisation names or 'no organisation', got {text!r}"
    return names


def organisation_client(name: str) -> Actor:
    """The organisation's own system, reading through the trust's API."""
    return Actor("organisation", name)

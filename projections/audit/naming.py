"""How the audit's sentences name things: by their codes, or by the catalogue's titles.

Each fact has one sentence (``projections.audit.history.describe``). Named with ``CODES`` it
stays machine-readable (`datatrust audit --json`, the CSV downloads, the recorded answers);
named with ``Titles(catalogue)`` it is what a trustee reads (the web pages and `datatrust
audit` as text): "affordable credit", "Household income and outgoings", "on paper"."""

from collections.abc import Iterable
from dataclasses import dataclass

from domain.kernel.catalogue import Catalogue
from projections.core.wording import short

VIA = {
    "paper": "on paper",
    "bot": "in the Telegram chat",
    "sms": "by SMS",
    "whatsapp": "on WhatsApp",
    "web": "on the web",
    "portal": "in the members' web portal",
    "import": "from an imported file",
}


def lower(title: str) -> str:
    """ "Affordable credit" -> "affordable credit", inside a sentence (an acronym keeps its capitals)."""
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


def category_title(catalogue: Catalogue, code: str) -> str:
    """The catalogue's title as a trustee reads it: "Household income and outgoings"."""
    title = catalogue.categories.get(code, code)
    if title.lower().startswith("your "):
        rest = title[5:].replace(" you ", " they ")
        return rest[:1].upper() + rest[1:]
    return title


def purpose_title(catalogue: Catalogue, code: str) -> str:
    purpose = catalogue.purposes.get(code)
    return purpose.title if purpose is not None else code


class Codes:
    """Names as the records keep them: codes, and a consent's short id."""

    def purpose(self, code: str) -> str:
        return code

    def categories(self, codes: Iterable[str]) -> str:
        return ", ".join(codes)

    def kind(self, code: str) -> str:
        return code

    def via(self, channel: str) -> str:
        return f"via {channel}"

    def consent(self, consent_id: str) -> str:
        return f"{short(consent_id)} "

    def notice(self, version: object) -> str:
        return f"notice v{version}"


@dataclass(frozen=True)
class Titles(Codes):
    """Names as a trustee reads them: the catalogue's titles; ids are left to the details."""

    catalogue: Catalogue

    def purpose(self, code: str) -> str:
        return lower(purpose_title(self.catalogue, code))

    def categories(self, codes: Iterable[str]) -> str:
        return ", ".join(category_title(self.catalogue, code) for code in codes)

    def kind(self, code: str) -> str:
        return lower(self.catalogue.organisation_kinds.get(code, code))

    def via(self, channel: str) -> str:
        return VIA.get(channel, f"via {channel}")

    def consent(self, consent_id: str) -> str:
        return ""

    def notice(self, version: object) -> str:
        return f"notice version {version}"


CODES = Codes()

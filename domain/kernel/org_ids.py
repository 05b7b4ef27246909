"""Organisation identifiers in the org-id.guide schemes (https://org-id.guide): a scheme's code, a
hyphen, then the identifier the register gives, e.g. GB-CHC-1123456. They are unique and belong to
no one vendor, so the trust's records join up with 360Giving data and the registers themselves."""

import re

from domain.kernel.errors import InvalidRequest

# The schemes the trust accepts, each with the shape its register's identifiers take.
SCHEMES = {
    "GB-CHC": ("Charity Commission for England and Wales", r"[0-9]{6,7}", "GB-CHC-1123456"),
    "GB-SC": ("Scottish Charity Register", r"SC[0-9]{6}", "GB-SC-SC012345"),
    "GB-NIC": ("Charity Commission for Northern Ireland", r"[0-9]{6}", "GB-NIC-100012"),
    "GB-COH": ("Companies House", r"[0-9]{8}|[A-Z]{2}[0-9]{6}|[A-Z]{2}[0-9]{5}R", "GB-COH-09876543"),
    "GB-MPR": (
        "Mutuals Public Register (co-operatives, community benefit societies)",
        r"[0-9]{1,6}[A-Z]{0,3}",
        "GB-MPR-30084R",
    ),
    "GB-GOR": ("UK government organisations", r"[A-Z]{2}[0-9]{1,4}", "GB-GOR-PB123"),
    "GB-LAE": ("Local authorities in England", r"[A-Z]{3}", "GB-LAE-CMA"),
    "GB-LAS": ("Local authorities in Scotland", r"[A-Z]{3}", "GB-LAS-EDH"),
    "GB-PLA": ("Local authorities in Wales", r"[A-Z]{3}", "GB-PLA-CRF"),
    "360G": (
        "360Giving (an organisation with no register identifier)",
        r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}",
        "360G-eden-trust",
    ),
}
_SCHEME = re.compile("|".join(sorted((re.escape(code) for code in SCHEMES), key=len, reverse=True)))


class NotAnOrgId(ValueError):
    """Why a text is not an org-id: the end of a sentence that starts with it ("'GB-X-1' is not ...")."""


def canonical_org_id(text: str) -> str:
    """``text`` as a canonical org-id (scheme upper-case, spaces gone); raises NotAnOrgId."""
    compact = (text or "").strip().replace(" ", "")
    match = _SCHEME.match(compact.upper())
    if not match or compact[match.end() : match.end() + 1] != "-":
        schemes = ", ".join(SCHEMES)
        raise NotAnOrgId(
            f"is not in an org-id.guide scheme: it starts with one of {schemes}, "
            f"then a hyphen and the register's number (e.g. GB-CHC-1123456)"
        )
    scheme = match.group(0)
    number = compact[match.end() + 1 :]
    register, pattern, example = SCHEMES[scheme]
    if scheme != "360G":
        number = number.upper()
    if not re.fullmatch(pattern, number):
        raise NotAnOrgId(f"does not look like a {register} number (e.g. {example})")
    return f"{scheme}-{number}"


def clean_org_id(text: str, what: str = "The organisation identifier") -> str:
    """``text`` as a canonical org-id, or InvalidRequest with the sentence saying why not."""
    try:
        return canonical_org_id(text)
    except NotAnOrgId as why:
        raise InvalidRequest(f"{what} {(text or '').strip()!r} {why}.") from None

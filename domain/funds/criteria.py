"""Which organisations a fund is for: its criteria over the few profile fields a fund may name (the
sector, as a SIC 2007 section; the postcode area, the letters of a district: CA for CA11; the legal
form; the size band by staff), each a list of the values it takes, an empty list meaning any.

Criteria are checked against the trust's data standard (its sectors and legal forms), the UK's
postcode areas and the size bands benchmarking uses, so a fund never names a value no member could
have; and matching keeps only these four values of a profile (``attributes``)."""

from dataclasses import dataclass

from domain.kernel.errors import InvalidRequest
from domain.kernel.standard import Standard
from domain.reports.figures import SIZE_BANDS, postcode_area, size_band

# The UK's postcode areas, with the Crown dependencies' (GY, JE, IM).
POSTCODE_AREAS = frozenset(
    """AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN
    EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML
    N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD
    TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE""".split()
)
SIZES = tuple(code for _below, code, _words in SIZE_BANDS)
PROFILE = "organisation-profile"
MOST_VALUES = 150  # more than any list of the four could need (124 postcode areas)


@dataclass(frozen=True)
class Criteria:
    sectors: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    legal_forms: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, list[str]]:
        return {name: list(getattr(self, name)) for name in ("sectors", "areas", "legal_forms", "sizes")}


def _choices(standard: Standard, field: str) -> tuple[str, ...]:
    return tuple(standard.schema(PROFILE).fields[field].choices)


def _listed(raw: dict, name: str, what: str, known: tuple[str, ...] | frozenset[str], upper: bool) -> tuple[str, ...]:
    given = raw.get(name) or []
    if not isinstance(given, list | tuple) or any(not isinstance(value, str) for value in given):
        raise InvalidRequest(f"A fund's {what} are a list of codes.")
    if len(given) > MOST_VALUES:
        raise InvalidRequest(f"A fund names at most {MOST_VALUES} {what}.")
    values = tuple(sorted({value.strip().upper() if upper else value.strip() for value in given}))
    unknown = [value for value in values if value not in known]
    if unknown:
        choices = ", ".join(sorted(known)) if len(known) < 30 else "a UK postcode area such as CA or LA"
        raise InvalidRequest(f"Unknown {what[:-1]} {', '.join(unknown)}: give {choices}.")
    return values


def checked_criteria(raw: object, standard: Standard) -> Criteria:
    """A fund's criteria as sent (a mapping of lists), checked: a sentence for the first unknown value."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InvalidRequest("A fund's criteria are sectors, areas, legal_forms and sizes, each a list.")
    unknown = sorted(set(raw) - {"sectors", "areas", "legal_forms", "sizes"})
    if unknown:
        raise InvalidRequest(f"A fund's criteria are sectors, areas, legal_forms and sizes, not {', '.join(unknown)}.")
    return Criteria(
        sectors=_listed(raw, "sectors", "sectors", _choices(standard, "sector"), upper=True),
        areas=_listed(raw, "areas", "postcode areas", POSTCODE_AREAS, upper=True),
        legal_forms=_listed(raw, "legal_forms", "legal forms", _choices(standard, "legal-form"), upper=False),
        sizes=_listed(raw, "sizes", "size bands", SIZES, upper=False),
    )


def attributes(profile: dict) -> dict[str, str | None]:
    """What matching keeps of an organisation profile: its sector, postcode area, legal form and size band."""
    return {
        "sector": profile.get("sector"),
        "area": postcode_area(profile.get("area")),
        "legal_form": profile.get("legal-form"),
        "size": size_band(profile.get("employees")),
    }


def fits(criteria: Criteria, found: dict[str, str | None]) -> bool:
    """Whether an organisation with these attributes is one the fund is for (an unknown value fits no list)."""
    wanted = (
        (criteria.sectors, "sector"),
        (criteria.areas, "area"),
        (criteria.legal_forms, "legal_form"),
        (criteria.sizes, "size"),
    )
    return all(not values or found.get(name) in values for values, name in wanted)

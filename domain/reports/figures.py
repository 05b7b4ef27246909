"""The figures a social business is benchmarked on, drawn from what it shared under the data standard
(its organisation profile and funding history), and the peer groups it is compared within.

Only these few figures leave a submission for benchmarking: income, staff, two shares of income, the
year founded, and funding received by year. Peer groups are the organisation's sector (SIC 2007
section), its postcode area (the letters of its district: CA for CA11) and its size band (staff, as
the UK's micro / small / medium / large)."""

import re
from dataclasses import dataclass
from datetime import date

import numpy as np

# (fewer than this many FTE, band, words): the UK's size bands by staff
SIZE_BANDS = ((10, "micro", "Micro (under 10 staff)"), (50, "small", "Small (10 to 49 staff)"))
SIZE_BANDS += ((250, "medium", "Medium (50 to 249 staff)"), (None, "large", "Large (250 staff or more)"))
FUNDING_YEARS = 3  # funding is compared over the last three calendar years
_AREA = re.compile(r"^([A-Z]{1,2})[0-9]")


@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    money: bool = False  # pence, checked by the dominance rules too, published to 3 significant figures
    unit: str = ""


FIGURES = (
    Figure("annual-income", "Annual income", money=True),
    Figure("employees", "Staff (full-time equivalent)", unit="FTE"),
    Figure("income-trading", "Income from trading", unit="%"),
    Figure("income-grants", "Income from grants", unit="%"),
    Figure("funding-received", f"Funding received in the last {FUNDING_YEARS} years", money=True),
    Figure("years-running", "Years running", unit="years"),
)
GROUPS = (("sector", "Same sector"), ("area", "Same area"), ("size", "Same size"))


def size_band(employees: float | None) -> str | None:
    if employees is None:
        return None
    return next(band for below, band, _words in SIZE_BANDS if below is None or employees < below)


def size_words(band: str) -> str:
    return next(words for _below, code, words in SIZE_BANDS if code == band)


def postcode_area(district: str | None) -> str | None:
    found = _AREA.match(district or "")
    return found.group(1) if found else None


def profile_figures(values: dict) -> dict:
    """What benchmarking keeps of an organisation profile: its figures and its groups' values."""
    kept = ("annual-income", "employees", "income-trading", "income-grants", "year-founded")
    figures: dict = {code: values.get(code) for code in kept}
    figures["groups"] = {
        "sector": values.get("sector"),
        "area": postcode_area(values.get("area")),
        "size": size_band(values.get("employees")),
    }
    return figures


def funding_figures(records: list[dict]) -> dict:
    """What benchmarking keeps of a funding history: the pence received in each calendar year."""
    by_year: dict[str, int] = {}
    for record in records:
        year = str(record.get("date", ""))[:4]
        if year.isdigit() and isinstance(record.get("amount"), int):
            by_year[year] = by_year.get(year, 0) + record["amount"]
    return {"by_year": by_year}


KEPT = ("annual-income", "employees", "income-trading", "income-grants", "year-founded")


def kept(profile: dict) -> list:
    """A profile's figures as a peer group keeps them: in KEPT's order, compactly."""
    return [profile.get(code) for code in KEPT]


def figures_on(figures: list, funding: dict[str, int] | None, today: date) -> dict[str, float | None]:
    """One organisation's benchmarked figures on ``today``, from what its group keeps (``figures`` in
    KEPT's order, ``funding`` by year or None where it is not to be used); None where it shared nothing."""
    income, employees, trading, grants, founded = figures
    received = None
    if funding is not None:
        received = sum(funding.get(str(today.year - back), 0) for back in range(FUNDING_YEARS))
    return {
        "annual-income": income,
        "employees": employees,
        "income-trading": trading,
        "income-grants": grants,
        "funding-received": received,
        "years-running": None if founded is None else max(0, today.year - founded),
    }


def figure_rows(entries: list[tuple[list, dict[str, int] | None]], today: date) -> np.ndarray:
    """A group's figures on ``today``: one row per entry, one column per figure in FIGURES' order, NaN
    where a member shared nothing to compute it from (what figures_on gives, as numbers: a group may
    hold thousands, and arrays are neither looped over in Python nor scanned by the garbage collector)."""
    years = [str(today.year - back) for back in range(FUNDING_YEARS)]
    rows = np.full((len(entries), len(FIGURES)), np.nan)
    for n, ((income, employees, trading, grants, founded), funding) in enumerate(entries):
        received = None if funding is None else sum(funding.get(year, 0) for year in years)
        running = None if founded is None else max(0, today.year - founded)
        rows[n] = [np.nan if v is None else v for v in (income, employees, trading, grants, received, running)]
    return rows

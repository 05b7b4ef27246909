"""A benchmarked report as a member reads it: each group named in words, each figure as money, a
share, staff or years, where the member stands in words, and the chart (matplotlib, drawn on the
server: an SVG image for the page and a PDF with the table for download; no JavaScript)."""

import io
from dataclasses import dataclass
from datetime import datetime

import matplotlib

matplotlib.use("Agg")  # no screen: draw to files only
from matplotlib import pyplot  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

from domain.kernel.catalogue import Catalogue  # noqa: E402
from domain.reports.figures import FIGURES, Figure, size_words  # noqa: E402
from domain.reports.report import BenchmarkReport, GroupReport  # noqa: E402

matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "datatrust", "font.size": 9})
WHERE = {
    1: "in the lowest quarter",
    2: "below the middle",
    3: "above the middle",
    4: "in the highest quarter",
}


@dataclass(frozen=True)
class Row:
    label: str
    yours: str
    lower: str
    median: str
    upper: str
    where: str  # where the member stands, or why nothing is published


def amount(figure: Figure, value: float | None) -> str:
    if value is None:
        return "Not shared"
    if figure.money:
        return f"£{value / 100:,.0f}"
    if figure.unit == "%":
        return f"{value:g}%"
    if figure.unit == "FTE":
        return f"{value:g}"
    return f"{value:g} {figure.unit}".strip()


def group_name(catalogue: Catalogue, report: GroupReport) -> str:
    if report.named is None:
        return "Not given in your profile"
    if report.group == "sector":
        return catalogue.standard.schema("organisation-profile").fields["sector"].words(report.named)
    if report.group == "area":
        return f"Postcode area {report.named}"
    return size_words(report.named)


def rows_of(report: BenchmarkReport, group: GroupReport) -> list[Row]:
    rows = []
    for figure in FIGURES:
        compared = group.comparisons.get(figure.code)
        yours = amount(figure, report.own.get(figure.code))
        if compared is None or compared.withheld:
            why = compared.withheld if compared else group.withheld or ""
            rows.append(Row(figure.label, yours, "", "", "", why))
            continue
        where = WHERE[compared.quarter] if compared.quarter else "You have not shared this figure"
        rows.append(
            Row(
                figure.label,
                yours,
                amount(figure, compared.lower_quartile),
                amount(figure, compared.median),
                amount(figure, compared.upper_quartile),
                f"{where} of {compared.peers}",
            )
        )
    return rows


def has_chart(group: GroupReport) -> bool:
    return any(c.median is not None for c in group.comparisons.values())


def _draw(report: BenchmarkReport, group: GroupReport, title: str) -> pyplot.Figure:
    """One row per published figure: the middle half of the peers (a bar from the lower to the
    upper quartile), their median (a line) and the member's own figure (a dot)."""
    shown = [(f, group.comparisons[f.code]) for f in FIGURES if group.comparisons.get(f.code, None)]
    shown = [(f, c) for f, c in shown if c.median is not None]
    figure, axes = pyplot.subplots(len(shown), 1, figsize=(6.4, 0.9 * len(shown) + 0.8), squeeze=False)
    figure.suptitle(title, fontsize=10, x=0.02, ha="left")
    for (figure_of, compared), (axis,) in zip(shown, axes, strict=True):
        own = report.own.get(figure_of.code)
        low, high = compared.lower_quartile, compared.upper_quartile
        values = [v for v in (low, high, compared.median, own) if v is not None]
        span = (max(values) - min(values)) or 1.0
        axis.barh([0], [high - low], left=low, height=0.5, color="#9ecae1", label="Middle half of peers")
        axis.plot([compared.median, compared.median], [-0.35, 0.35], color="#08306b", linewidth=2, label="Median")
        if own is not None:
            axis.plot([own], [0], "o", color="#d94801", markersize=8, label="You")
        axis.set_xlim(min(values) - span * 0.15, max(values) + span * 0.15)
        axis.set_yticks([])
        axis.set_title(figure_of.label, fontsize=9, loc="left")
        axis.xaxis.set_major_formatter(lambda value, _pos, f=figure_of: amount(f, value))
        axis.spines[["top", "right", "left"]].set_visible(False)
    axes[0][0].legend(loc="upper right", fontsize=7, frameon=False, ncols=3, bbox_to_anchor=(1, 1.9))
    figure.tight_layout()
    return figure


def chart_svg(report: BenchmarkReport, group: GroupReport, title: str) -> bytes:
    figure = _draw(report, group, title)
    out = io.BytesIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    pyplot.close(figure)
    return out.getvalue()


def report_pdf(catalogue: Catalogue, report: BenchmarkReport, organisation: str, at: datetime) -> bytes:
    """The whole report: a page with the tables in words, then each group's chart."""
    out = io.BytesIO()
    with PdfPages(out, metadata={"Title": f"Benchmarked report: {organisation}", "CreationDate": None}) as pdf:
        page = pyplot.figure(figsize=(8.27, 11.69))  # A4
        lines = [f"Benchmarked report for {organisation}", f"On {at:%d %B %Y}", ""]
        for group in report.groups:
            lines.append(f"{group.title}: {group_name(catalogue, group)} ({group.peers} organisations)")
            if group.withheld:
                lines += [f"    {group.withheld}", ""]
                continue
            for row in rows_of(report, group):
                middle = f"quartiles {row.lower} / {row.median} / {row.upper}; you are {row.where}"
                lines.append(f"    {row.label}: yours {row.yours}; " + (middle if row.median else row.where))
            lines.append("")
        lines.append("Figures are published only for groups large enough, and not dominated by a few")
        lines.append("members, that no organisation's own figure can be read from them (the members' rules).")
        page.text(0.06, 0.96, "\n".join(lines), va="top", ha="left", fontsize=8, family="DejaVu Sans", wrap=True)
        pdf.savefig(page)
        pyplot.close(page)
        for group in report.groups:
            if has_chart(group):
                chart = _draw(report, group, f"{group.title}: {group_name(catalogue, group)}")
                pdf.savefig(chart)
                pyplot.close(chart)
    return out.getvalue()

"""In the portal, a social business sees how it compares with its peers: a table and a chart per
peer group, and the whole report as a PDF. Only for a member who agreed to benchmarking (it is
offered beside the other consents); the figures are the members' who agreed, under their rules."""

from flask import Response, abort, g, url_for

from adapters.web.benchmarks_shown import chart_svg, group_name, has_chart, report_pdf, rows_of
from adapters.web.pages import page, services
from adapters.web.portal import blueprint, signed_in_member
from domain.reports.figures import GROUPS

PURPOSE = "benchmarking"


def _report():  # type: ignore[no-untyped-def]
    svc = services()
    return svc.views.benchmark_report(g.member["member_id"], svc.clock(), svc.trust.disclosure_rules())


@blueprint.route("/benchmarks")
@signed_in_member
def benchmarks():  # type: ignore[no-untyped-def]
    svc = services()
    report = _report() if g.member["kind"] == "organisation-member" else None
    groups = []
    for group in report.groups if report else []:
        named = group_name(svc.catalogue, group)
        chart = url_for("portal.benchmark_chart", group=group.group) if has_chart(group) else None
        groups.append({"report": group, "named": named, "rows": rows_of(report, group), "chart": chart})
    offered = PURPOSE in {p.code for p in svc.catalogue.offered_purposes(g.member["kind"])}
    return page(
        "portal/benchmarks.html",
        groups=groups,
        agreed=report is not None,
        offered=offered,
        rules=report.rules if report else None,  # the rules the report was made under
    )


@blueprint.route("/benchmarks/<group>.svg")
@signed_in_member
def benchmark_chart(group: str):  # type: ignore[no-untyped-def]
    report = _report() if group in dict(GROUPS) else None
    chosen = next((g_ for g_ in report.groups if g_.group == group), None) if report else None
    if chosen is None or not has_chart(chosen):
        abort(404)
    title = f"{chosen.title}: {group_name(services().catalogue, chosen)}"
    return Response(chart_svg(report, chosen, title), mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


@blueprint.route("/benchmarks.pdf")
@signed_in_member
def benchmarks_pdf():  # type: ignore[no-untyped-def]
    svc = services()
    report = _report()
    if report is None:
        abort(404)
    pdf = report_pdf(svc.catalogue, report, g.member["name"], svc.clock())
    headers = {"Content-Disposition": 'attachment; filename="benchmarked-report.pdf"', "Cache-Control": "no-store"}
    return Response(pdf, mimetype="application/pdf", headers=headers)

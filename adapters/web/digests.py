"""The trustees' daily digests: the latest on the dashboard, every recorded day here.

A digest is counts only (recorded by the scheduler each morning), plus the scheduled
work that keeps failing, which is shown first, as a warning."""

from datetime import date, datetime

from flask import Blueprint, abort, request

from adapters.web.auth import requires
from adapters.web.pages import page, services
from projections.core.wording import LOCAL

blueprint = Blueprint("digests", __name__, url_prefix="/trustee/digests")

CHANNELS = {"bot": "the Telegram chat", "sms": "SMS", "whatsapp": "WhatsApp", "web": "the web", "paper": "a paper form"}


def uk(moment: datetime | str | None) -> str:
    """A moment in the trust's own time, e.g. "3 March 2026 at 07:00 (UK time)"."""
    if moment is None:
        return "an unknown time"
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return moment
    local = moment.astimezone(LOCAL)
    return f"{local.day} {local:%B %Y at %H:%M} (UK time)"


def _rows(counts: dict, words: dict | None = None) -> list[tuple[str, int]]:
    words = words or {}
    return [(words.get(code, code), count) for code, count in counts.items() if count]


def shown(digest: dict | None) -> dict | None:
    """The digest in plain words: a section only when there is something in it."""
    if digest is None:
        return None
    figures, catalogue = digest["figures"], services().catalogue
    purposes = {code: purpose.title for code, purpose in catalogue.purposes.items()}
    joined = figures.get("members_joined") or {}
    ended = figures.get("members_ended") or {}
    sections = []
    if joined.get("total"):
        sections.append(
            dict(
                title=f"New members: {joined['total']}",
                tables=[
                    ("Joined through", _rows(joined.get("by_channel") or {}, CHANNELS)),
                    ("Area", _rows(joined.get("by_area") or {})),
                ],
            )
        )
    left = _rows({"Left the trust": ended.get("left", 0), "Personal data erased": ended.get("erased", 0)})
    for title, rows in (
        ("Members who left or were erased", left),
        ("Consents withdrawn", _rows(figures.get("consents_withdrawn") or {}, purposes)),
        ("Consents that expired", _rows(figures.get("consents_expired") or {}, purposes)),
        ("Facts recorded late (after they took effect)", _rows(figures.get("late_facts") or {})),
    ):
        if rows:
            sections.append(dict(title=title, tables=[("", rows)]))
    reads = [
        dict(read, purpose=purposes.get(read["purpose"], read["purpose"]))
        for read in figures.get("refused_reads") or []
    ]
    failing = [dict(work, since=uk(work.get("failing_since"))) for work in digest["failing_work"]]
    return dict(
        day=digest["day"],
        heading=f"{digest['day']:%A} {digest['day'].day} {digest['day']:%B %Y}",
        window=f"from {uk(digest['window_from'])} to {uk(digest['window_to'])}",
        sections=sections,
        refused_reads=reads,
        failing=failing,
        quiet=not sections and not reads,
    )


def scheduler_shown(status: dict) -> dict:
    """The scheduler's state in plain words, with the work failing right now."""
    failing = [dict(work, since=uk(work.get("failing_since"))) for work in status["failing"]]
    return dict(
        acting=status["acting"],
        since=uk(status["since"]) if status["since"] else None,
        last_seen=uk(status["last_seen"]) if status["last_seen"] else None,
        failing=failing,
    )


def latest_shown() -> dict | None:
    latest = services().views.latest_digests(limit=1)
    return shown(latest[0]) if latest else None


@blueprint.route("")
@requires("trustee")
def digests():  # type: ignore[no-untyped-def]
    """The chosen day's digest (?day=YYYY-MM-DD; the latest by default) and every recorded day."""
    views = services().views
    days = views.digest_days()
    asked = request.args.get("day")
    if asked:
        try:
            day = date.fromisoformat(asked)
        except ValueError:
            abort(404)
        chosen = views.digest(day)
        if chosen is None:
            abort(404)
    else:
        chosen = views.digest(days[0]) if days else None
    return page("trustees/digests.html", digest=shown(chosen), days=days)

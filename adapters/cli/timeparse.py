"""Times as people type them: ISO 8601 with or without a zone (Europe/London when absent)."""

from datetime import UTC, datetime

import click

from projections.core.wording import LOCAL


def parse_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1) if len(text.strip()) > 10 else text.strip())
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a time; use ISO 8601, e.g. 2026-03-02T14:30 or 2026-03-02T14:30+00:00"
        ) from None
    if not 1900 <= moment.year <= 9000:
        raise click.BadParameter(f"{text!r} is outside the years 1900 to 9000")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL)
    return moment.astimezone(UTC)


class TimeParam(click.ParamType):
    name = "TIME"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if isinstance(value, datetime):
            return value
        try:
            return parse_time(value)
        except click.BadParameter as error:
            self.fail(error.message, param, ctx)


TIME = TimeParam()

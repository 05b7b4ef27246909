"""What every page shares: the services, the signed-in person, actors, rendering."""

from datetime import datetime
from uuid import UUID

from flask import Flask, current_app, g, render_template

from adapters.bootstrap import Services
from domain.kernel.actors import Actor
from projections.core.wording import LOCAL, when


def services() -> Services:
    return current_app.extensions["datatrust"]


def acting_as(role: str) -> Actor:
    """The signed-in person in the role the page is for (recorded in the history)."""
    return Actor(role, g.staff["username"])


def page(template: str, status: int = 200, **context):  # type: ignore[no-untyped-def]
    return render_template(template, **context), status


def parse_uuid(text: str | None) -> UUID | None:
    try:
        return UUID(str(text))
    except ValueError:
        return None


def local_date(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(LOCAL).strftime("%d %b %Y")


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["day"] = local_date

"""Printing answers: plain words by default, JSON with --json."""

import json
from datetime import date, datetime
from uuid import UUID

import click

from projections.core.wording import when


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (UUID, date)):
        return str(value)
    raise TypeError(type(value))


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, default=_plain, indent=2, sort_keys=True))


def say(text: str = "") -> None:
    click.echo(text)


def period(start: datetime, end: datetime | None) -> str:
    return f"from {when(start)} " + (f"until {when(end)}" if end else "onwards")

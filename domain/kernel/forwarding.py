"""A facade's names, each forwarded to the part that owns it."""

from typing import Any


class Forward:
    """``trust.<name>`` is ``trust.<part>.<name>``."""

    def __init__(self, part: str):
        self.part = part

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, trust: Any, owner: type | None = None) -> Any:
        if trust is None:
            return self
        return getattr(getattr(trust, self.part), self.name)

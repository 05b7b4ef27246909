"""Who did it: every command records its actor."""

from dataclasses import dataclass

from domain.kernel.errors import InvalidRequest

ROLES = ("member", "caseworker", "trustee", "organisation", "scheduler", "operator")


@dataclass(frozen=True)
class Actor:
    role: str
    name: str

    def __post_init__(self) -> None:
        # One person, one spelling: "caseworker:Cal " and "caseworker:cal" are the same actor.
        object.__setattr__(self, "role", self.role.strip().lower())
        object.__setattr__(self, "name", " ".join(self.name.split()).lower())
        if self.role not in ROLES:
            raise InvalidRequest(f"Unknown actor role {self.role!r}; use one of: {', '.join(ROLES)}.")
        if not self.name or len(self.name) > 120 or ":" in self.name:
            raise InvalidRequest("An actor needs a short name without ':' (e.g. caseworker:alice).")

    def __str__(self) -> str:
        return f"{self.role}:{self.name}"

    @classmethod
    def parse(cls, text: str) -> "Actor":
        role, sep, name = text.partition(":")
        if not sep:
            raise InvalidRequest(f"Write the actor as role:name, e.g. caseworker:alice (got {text!r}).")
        return cls(role.strip(), name.strip())


SCHEDULER = Actor("scheduler", "datatrust")

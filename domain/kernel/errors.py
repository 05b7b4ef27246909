"""Domain errors: each carries one plain sentence a trustee or caseworker can act on."""


class TrustError(Exception):
    """A request the trust refuses; nothing was recorded."""


class NotFound(TrustError):
    pass


class UnknownMember(NotFound):
    def __init__(self, reference: object):
        super().__init__(f"No member is known by {reference!s}.")


class UnknownOrganisation(NotFound):
    def __init__(self, reference: object):
        super().__init__(f"No organisation is known by {reference!s}.")


class UnknownConsent(NotFound):
    def __init__(self, reference: object):
        super().__init__(f"No consent is known by {reference!s}.")


class UnknownAnnouncement(NotFound):
    def __init__(self, reference: object):
        super().__init__(f"No announcement is known by {reference!s}.")


class NotInCatalogue(TrustError):
    def __init__(self, what: str, given: str, valid: list[str]):
        super().__init__(f"Unknown {what} {given!r}; valid {what}s are: {', '.join(sorted(valid))}.")


class InvalidTime(TrustError):
    pass


class InvalidRequest(TrustError):
    pass


class NotAllowedNow(TrustError):
    """The request is well-formed but the current state forbids it."""


class ConcurrentChange(TrustError):
    def __init__(self) -> None:
        super().__init__(
            "Someone else changed this record at the same moment; nothing was recorded. Please look again and retry."
        )


class StoreBusy(TrustError):
    def __init__(self) -> None:
        super().__init__(
            "The trust's store is busy with another long task (e.g. a rebuild); nothing was recorded. "
            "Please try again in a minute."
        )


class UnknownInsightRequest(NotFound):
    def __init__(self, reference: object):
        super().__init__(f"No insight request is known by {reference!s}.")

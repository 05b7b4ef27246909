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
    """``what`` is singular ("purpose", "organisation kind"): the sentence never makes a plural of it."""

    def __init__(self, what: str, given: str | None, valid: list[str]):
        choices = ", ".join(sorted(valid))
        article = "an" if what[:1].lower() in "aeiou" else "a"
        if not valid:
            sentence = f"The catalogue has no {what} to give."
        elif not (given or "").strip():
            sentence = f"Give {article} {what}: one of {choices}."
        else:
            sentence = f"Unknown {what} {given!r}: give one of {choices}."
        super().__init__(sentence)


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


class InvalidData(InvalidRequest):
    """Shared data that does not meet its category's published schema: every problem at once,
    each a sentence, with the field it is about (None: the submission as a whole)."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        self.problems = problems
        super().__init__(" ".join(sentence for _field, sentence in problems))

"""What every text channel shares about a member's incoming message: the words carriers and
providers treat as stopping and starting messages, and taking a message once.

A message is taken at most once (by its provider's id, through ``trust.once``). A message
that records something is taken by that command; one that only gets a reply (HELP, say) is
taken here, with nothing recorded but its key, so a provider's redelivery is not answered twice."""

# Twilio's default opt-out and opt-in keywords, which carriers honour; WhatsApp uses the same.
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"})
START_WORDS = frozenset({"START", "YES", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})


def take_once(trust) -> None:  # type: ignore[no-untyped-def]
    """Inside ``trust.once(key)``: record the key alone (raises AlreadyHandled for a repeat)."""
    with trust.command():
        pass

"""The trust's own model: members, organisations, consents, accesses, and the
application (service layer) that records them as immutable events."""

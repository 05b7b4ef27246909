"""Read models derived from the trust's events, and the questions they answer: one folder per
part, as in domain/ (membership, consent, organisations, staff, governance, insight, digests),
plus audit/ (the trustees' questions across parts) and scheduling/ (what the scheduler reads),
all on core/. In each part: tables.py, handlers.py (kept from events, registered by event class)
and the questions it answers. views.py is the read facade the adapters call."""

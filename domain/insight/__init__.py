"""Insight: an organisation asks a community panel questions; trustees review the request,
draw a fair panel (sortition/), members answer or decline, and at the close the anonymised
release (disclosure/) goes out and the proceeds are recorded.

It uses governance (the live rules), organisations and announcements through their commands."""

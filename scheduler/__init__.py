"""Scheduled work (APScheduler wiring) - see issue 6."""

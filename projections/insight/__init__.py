"""Insight requests, their reviews and payments, each panel's roster and its history, and who
a panel can be drawn from."""

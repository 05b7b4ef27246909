"""What trustees see in counts: the daily digests as recorded, their figures, the dashboard."""

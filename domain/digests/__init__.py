"""The trustees' daily digest: what happened in a day, in counts only, recorded once per day.

It stands on the kernel and the store."""

"""The trustees' daily digest: what happened in a day, in counts only, recorded once per day.

It may touch the kernel only."""

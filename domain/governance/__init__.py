"""Members govern the trust: proposals, secret ballots with receipts, and the trust rules a
vote changes (the minimum cell size of insight releases, say).

It uses membership and announcements through their commands."""

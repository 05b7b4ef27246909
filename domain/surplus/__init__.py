"""The co-op's surplus: trustees record a year's surplus, members decide its uses by a split
ballot and the dividend rule by a vote, each active member's dividend is recorded, and a member
can give theirs to a community project instead.

It uses proposals (governance) through their commands."""

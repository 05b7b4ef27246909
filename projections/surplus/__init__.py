"""The co-op's surplus: each year's record, and each member's dividend and where it goes."""

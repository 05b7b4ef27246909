"""Funds, whom each was told to and who shared their pack; the profiles funds are matched against, sealed."""

"""The data the trust holds for its members: what each shares, category by category, under the
trust's published data standard (domain/kernel/standard.py), sealed under the member's own key."""

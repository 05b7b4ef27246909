"""Sealing personal data with a key per member, and the keys that wrap those keys: the
vault (seal, open, forget a member for good), the keyring outside the database, key versions,
rotation, and finishing an erasure's purge.

It may touch the kernel and the store."""

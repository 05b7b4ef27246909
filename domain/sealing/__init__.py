"""Sealing personal data with a key per member: the vault (seal, open, forget a member for
good), the keyring outside the database that holds the keys wrapping member keys, their
versions, and preparing a store's versions at start. The commands that rotate and destroy
key versions are in domain.keys.

It stands on the kernel only."""

"""The membership register: members (personal data sealed under each member's key), the
keyed digests that find them by name, counts by area, and what caseworkers look up."""

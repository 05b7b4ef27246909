"""A peer group's digest: equal for organisations in the same group, meaningless without the trust's key."""

import hashlib
import hmac

from domain.sealing.vault import Vault


def peer_tag(vault: Vault, group: str, value: str | None) -> str | None:
    if value is None:
        return None
    return hmac.new(vault.derived_key("peer groups"), f"{group}:{value}".encode(), hashlib.sha256).hexdigest()[:32]

"""Peer groups under the trust's own keys: a group's tag (a keyed digest, equal for organisations in
the same group, meaningless without the key) and its figures, sealed together."""

import hashlib
import hmac
import uuid

from domain.sealing.vault import Vault


def peer_tag(vault: Vault, group: str, value: str | None) -> str | None:
    if value is None:
        return None
    return hmac.new(vault.derived_key("peer groups"), f"{group}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def _bound_to(tag: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"/peer-groups/{tag}")


def seal_group(vault: Vault, tag: str, figures: dict) -> str:
    return vault.seal(vault.derived_key("peer group figures"), _bound_to(tag), figures)


def open_group(vault: Vault, tag: str, sealed: str) -> dict:
    return vault.open(vault.derived_key("peer group figures"), _bound_to(tag), sealed) or {}

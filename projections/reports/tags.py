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


BUCKETS = 64  # the parts a group is kept in


def bucket_of(member_id: uuid.UUID) -> int:
    return member_id.int % BUCKETS


def _bound_to(tag: str, bucket: int) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"/peer-groups/{tag}/{bucket}")


def seal_group(vault: Vault, tag: str, bucket: int, figures: dict) -> str:
    return vault.seal(vault.derived_key("peer group figures"), _bound_to(tag, bucket), figures)


def open_group(vault: Vault, tag: str, bucket: int, sealed: str, key: bytes | None = None) -> dict:
    return vault.open(key or vault.derived_key("peer group figures"), _bound_to(tag, bucket), sealed) or {}


def group_key(vault: Vault) -> bytes:
    return vault.derived_key("peer group figures")

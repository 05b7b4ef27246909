"""A secret shown once after a redirect (post/redirect/get): a new API token, a
one-time sign-in link.

The form's POST holds the secret in the session, sealed with a key derived for this
purpose (the session cookie is signed, not secret); the page it redirects to takes it
out and shows it. Reloading that page, or going back to it, finds nothing: the secret
is never shown twice and nothing is issued again."""

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import session

from adapters.web.pages import services

_KEY = "one_time"
_PURPOSE = "web one-time secrets"


def _sealer() -> AESGCM:
    return AESGCM(services().trust.vault.derived_key(_PURPOSE))


def hold(kind: str, value: dict) -> None:
    """Keep ``value`` for the next page that asks for ``kind`` (and only that once)."""
    nonce = os.urandom(12)
    sealed = _sealer().encrypt(nonce, json.dumps(value, default=str).encode(), kind.encode())
    session[_KEY] = {"kind": kind, "sealed": base64.urlsafe_b64encode(nonce + sealed).decode("ascii")}


def take(kind: str, **expected) -> dict | None:
    """The value held for ``kind``, removed from the session; None if there is none
    (already shown) or it was held for another page (``expected`` items differ)."""
    held = session.get(_KEY)
    if not isinstance(held, dict) or held.get("kind") != kind:
        return None
    session.pop(_KEY, None)
    try:
        raw = base64.urlsafe_b64decode(held["sealed"])
        value = json.loads(_sealer().decrypt(raw[:12], raw[12:], kind.encode()))
    except (KeyError, ValueError, TypeError, InvalidTag):
        return None
    if any(str(value.get(key)) != str(wanted) for key, wanted in expected.items()):
        return None
    return value


def no_store(rendered):  # type: ignore[no-untyped-def]
    """A page showing a secret is not kept by the browser's cache (nor shown by Back)."""
    body, status = rendered
    return body, status, {"Cache-Control": "no-store"}

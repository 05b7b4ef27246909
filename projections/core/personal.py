"""Personal data in the read models: sealed there too, under the member's own key.

A member's row keeps their name and profile answers only as ciphertext
(``members.personal``), so neither the database files nor its write-ahead log
ever hold them in the clear. Readers open a page of rows with one query for the
page's keys. Erasure destroys the key, so the sealed values are unreadable at
once, and the erasure handler scrubs them as well.
"""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from domain.membership.model import HOUSEHOLD
from domain.sealing.vault import Vault

ERASED_NAME = "(erased member)"


def sealed(vault: Vault, key: bytes | None, member_id: UUID, personal: dict) -> str | None:
    """``personal`` ({name, profile}) sealed for the member's row; None once their key is gone."""
    if key is None or not personal:
        return None
    return vault.seal(key, member_id, personal)


def opened(vault: Vault, conn: Session | Connection, rows: Iterable[Any]) -> dict[UUID, dict]:
    """Each row's (member_id, personal) opened: {} for an erased member."""
    rows = [row for row in rows if row is not None]
    keys = vault.keys_for(conn, [row.member_id for row in rows if row.personal])
    return {
        row.member_id: (vault.open(keys.get(row.member_id), row.member_id, row.personal) or {}) if row.personal else {}
        for row in rows
    }


def name_of(personal: dict | None) -> str:
    return (personal or {}).get("name") or ERASED_NAME


def profile_of(personal: dict | None) -> dict:
    return dict((personal or {}).get("profile") or {})


def household_of(personal: dict | None) -> str | None:
    """The member's household key (shared with the members they live with), or None."""
    return (personal or {}).get(HOUSEHOLD)

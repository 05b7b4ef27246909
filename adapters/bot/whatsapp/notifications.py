"""Reading Meta's webhook notifications: the parts for the trust's business number, whatever else
a notification carries. The webhook reads the members' messages from them, the outbox the
statuses of what it sent and when each member wrote (adapters.outbox.whatsapp_reports)."""

from typing import Any


def values(notification: Any, phone_id: str | None) -> list[dict[str, Any]]:
    """Each ``messages`` change's value (its messages, statuses, contacts), for our number when its id is set."""
    found: list[dict[str, Any]] = []
    if not isinstance(notification, dict) or notification.get("object") != "whatsapp_business_account":
        return found
    for entry in dicts(notification.get("entry")):
        for change in dicts(entry.get("changes")):
            value = change.get("value")
            if change.get("field") != "messages" or not isinstance(value, dict):
                continue
            metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
            if phone_id and metadata.get("phone_number_id") != phone_id:
                continue  # another number of the business account: not the trust's
            found.append(value)
    return found


def dicts(items: Any) -> list[dict[str, Any]]:
    """The objects of a JSON list (anything else in it, or a list that is not one, is skipped)."""
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []

"""The members' chat over WhatsApp, through Meta's WhatsApp Cloud API (the Graph API) and the ``pywa`` client.

This package holds what the WhatsApp channel adapter needs from the outside world: a ``pywa.WhatsApp`` client
that can be pointed at another Graph API base URL (a fake on loopback in tests, the real
``https://graph.facebook.com`` otherwise), and the check of the ``X-Hub-Signature-256`` header Meta puts on every
webhook, so that an unsigned or mis-signed notification is refused before anything is recorded.
"""

from adapters.bot.whatsapp.client import GRAPH_API_URL, signed_by_meta, whatsapp_async_client, whatsapp_client

__all__ = ["GRAPH_API_URL", "signed_by_meta", "whatsapp_async_client", "whatsapp_client"]

"""Announcements from the trust to its members in their chats, and who has been sent each.

It stands on the kernel and the store."""

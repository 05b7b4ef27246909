"""Announcements from the trust to its members in their chats, and who has been sent each.

It may touch the kernel and the store."""

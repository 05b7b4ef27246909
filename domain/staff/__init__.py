"""The trust's own staff (caseworkers and trustees): accounts, roles, sign-in links, passwords
and sessions, and every read of a member's personal data by staff.

It stands on the kernel and the store."""

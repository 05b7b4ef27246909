"""Organisations that may read member data: registration, approval under a data-sharing
agreement, suspension and reinstatement, their API tokens and portal sessions.

It stands on the kernel and the store."""

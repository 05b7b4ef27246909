"""Staff accounts and API tokens as trustees see them, and staff reads in the member's timeline."""

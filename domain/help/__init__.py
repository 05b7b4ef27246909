"""Members asking the trust for a person: a message from the member's chat to the
caseworkers' queue, and a caseworker marking it handled.

It stands on the kernel, the store and the membership part's commands."""

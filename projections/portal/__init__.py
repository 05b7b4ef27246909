"""The members' web portal: only that a link was issued, used, or a session ended reaches a read
model, in each member's history (never a token or a session id)."""

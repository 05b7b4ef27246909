"""The organisation register and its status history."""

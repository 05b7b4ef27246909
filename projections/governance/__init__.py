"""Proposals, who has voted (never what), and the rule changes votes made."""

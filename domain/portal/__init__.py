"""The members' web portal: one-time sign-in links, the sessions they open and their ends.
What a member does once signed in goes through the other parts' commands (data, consent)."""

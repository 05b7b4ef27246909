"""The SMS channel (issue 15): what carriers count (segments.py) and how to reach Twilio's REST API (client.py).

SMS reaches every phone, the basic ones included, but each message is short and paid by the segment, so replies are
measured here as carriers measure them before they are sent; the Twilio client helper lets the same code talk to the
real Twilio or, in tests, to the fake one on loopback.
"""

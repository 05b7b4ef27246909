"""Consent: a member gives a purpose, some data categories and one audience (a named
organisation, or every approved organisation of a kind the notice covers), withdraws it,
renews it; and every read of member data by an organisation, allowed or refused.

model.py and access.py are the records; commands.py and renewals.py the commands, which
use membership, organisations and announcements through their commands."""

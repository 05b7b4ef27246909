"""The one outbox: announcements to many members, each sent on the channel that member is
reached by (Telegram, SMS or WhatsApp), every channel paced by its own provider's limits.

- outbox.py      claims each member's delivery, then sends it in its channel's turn
- choosing.py    which channel a member is sent on (their preference, then their others)
- channels.py    what every channel sender does (the small interface), and its outcomes
- telegram.py, sms.py, whatsapp.py   one sender per channel: they only translate
- building.py    the channels the settings turn on; running.py keeps delivering"""

"""The members' conversation, channel-neutral: the flows (joining, consents, my data, votes,
panels, renewing, leaving, forgetting, stopping messages), where each conversation stands, and
every word the trust says, in gettext catalogues. Channel adapters (adapters.bot: Telegram, SMS,
WhatsApp) only render its messages and parse what members send; see conversation.py."""

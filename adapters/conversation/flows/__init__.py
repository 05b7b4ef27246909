"""The conversation's flows, one module each: joining, consents, my data, voting, panels,
renewing, leaving and forgetting, and stopping messages. Each handles a typed command or a
picked choice for one ``Talk`` and says what the trust answers; none knows the channel's API."""

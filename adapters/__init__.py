"""Everything that talks to the outside world: CLI, web, bot, and the one composition root."""

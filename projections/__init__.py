"""Read models derived from the trust's events, and the questions they answer."""

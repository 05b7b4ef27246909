"""Staff surveys as their business and the trustees see them: states and counts, the release."""

"""Staff surveys: a business member asks its own staff a few questions through the trust,
anonymously, with the insight machinery's questions, disclosure control and free-text review."""

"""Peace Initiatives: initiatives, micro-communities, sessions, statements, votes,
redaction review, recommendations."""

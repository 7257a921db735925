"""Service layer: one function per use case; loads items, applies domain rules, commits a unit of work."""

"""fabula: a neurosymbolic engine for AI-narrated text games.

The world is symbolic (an archetype ECS persisted in SQLite); language is
neural (a small model parses, a larger one narrates); hard rules between them
decide what may change. See ``docs/architecture.md`` for one turn's path.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]

"""Telling what happened: the template narrator (offline default and fallback
of the model narrator) and the English helpers its templates use."""

from fabula.narration.narrator import TemplateNarrator
from fabula.narration.prose import a, describe_room, description, exits_of, list_of, name, the

__all__ = [
    "TemplateNarrator",
    "a",
    "describe_room",
    "description",
    "exits_of",
    "list_of",
    "name",
    "the",
]

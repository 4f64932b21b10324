"""Telling what happened: the narrator role.

The template narrator (:class:`TemplateNarrator`) tells every turn plainly,
offline; it is the ground truth the narrator model retells and its fallback.
The narrator model (:class:`ModelNarrator`) streams a retelling in the game's
voice, cleaned for terminals (:class:`Sanitizer`), and returns a
:class:`Telling` of what it showed and cost. Its context, what it is told
each turn and what is remembered, is gathered by the :class:`Brain` (with
long-term memory from :func:`open_memory`). The English helpers the
templates use are here too, and :func:`check_templates`, which tries every
template a game can reach before it is played (``fabula validate``).
"""

from fabula.narration.brain import Brain, Briefing, open_memory
from fabula.narration.check import check_templates
from fabula.narration.model import ModelNarrator, Sanitizer, Telling
from fabula.narration.narrator import TemplateNarrator
from fabula.narration.prose import a, describe_room, description, exits_of, list_of, name, the

__all__ = [
    "Brain",
    "Briefing",
    "ModelNarrator",
    "Sanitizer",
    "Telling",
    "TemplateNarrator",
    "a",
    "check_templates",
    "describe_room",
    "description",
    "exits_of",
    "list_of",
    "name",
    "open_memory",
    "the",
]

"""Prompts as versioned files, never as strings in code.

A prompt file is a Jinja2 template with a TOML front matter (see
:mod:`fabula.prompts.prompt` and docs/prompts.md). The built-in prompts ship
in ``fabula/prompts/library/``; a game's ``prompts/`` folder may replace any
of them or add versions. Every prompt carries a :class:`PromptRef`
(``narrator@1#3fa2b9c0d1e2``) naming the exact bytes it was read from, for
the journal.

>>> from fabula.prompts import PromptLibrary
>>> messages = PromptLibrary.load().get("parser", "1").render(
...     actions=[("look", "Look around.")], things=["lamp"], player_input="look"
... )
>>> [m["role"] for m in messages]
['system', 'user']
"""

from fabula.errors import PromptError, PromptRenderError, UnknownPromptError
from fabula.prompts.format import BLOCKS, FENCE, PromptMeta, new_environment
from fabula.prompts.loader import BUILTIN, PromptLibrary, version_key
from fabula.prompts.prompt import Prompt, PromptRef, tidy

__all__ = [
    "BLOCKS",
    "BUILTIN",
    "FENCE",
    "Prompt",
    "PromptError",
    "PromptLibrary",
    "PromptMeta",
    "PromptRef",
    "PromptRenderError",
    "UnknownPromptError",
    "new_environment",
    "tidy",
    "version_key",
]

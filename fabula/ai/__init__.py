"""What every model role shares: settings, the client, the retry policy and
the circuit breaker; and NPC minds, model-driven behaviour for the world.

The roles themselves live with what they do: the parser model in
:mod:`fabula.parsing` (:class:`~fabula.parsing.TieredParser`), the narrator
model and its context in :mod:`fabula.narration`, the embedder in
:mod:`fabula.memory`. Each talks to its server through a
:class:`ModelClient`.

Model code never touches the world except by proposing actions, which go
through :class:`fabula.actions.Rules` like a player's. Importing this
package does not import the ``openai`` SDK; the first request does.
"""

from fabula.ai.breaker import CircuitBreaker
from fabula.ai.client import ChatStream, Completion, Message, ModelClient
from fabula.ai.config import ROLES, MemoryConfig, ModelConfig, RoleConfig, load_config
from fabula.ai.npc import ActionModel, Mind, NpcMinds
from fabula.ai.retry import RetryPolicy
from fabula.ai.use import ModelUse

__all__ = [
    "ROLES",
    "ActionModel",
    "ChatStream",
    "CircuitBreaker",
    "Completion",
    "MemoryConfig",
    "Message",
    "Mind",
    "ModelClient",
    "ModelConfig",
    "ModelUse",
    "NpcMinds",
    "RetryPolicy",
    "RoleConfig",
    "load_config",
]

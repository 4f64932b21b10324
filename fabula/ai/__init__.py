"""Language models in the loop: they propose, the rules decide.

Model code never touches the world except by proposing actions, which go
through :class:`fabula.actions.Rules` like a player's.
"""

from fabula.ai.breaker import CircuitBreaker
from fabula.ai.client import ChatClient, Completion, Message
from fabula.ai.config import ROLES, MemoryConfig, ModelConfig, RoleConfig, load_config
from fabula.ai.npc import ActionModel, Mind, NpcMinds

__all__ = [
    "ROLES",
    "ActionModel",
    "ChatClient",
    "CircuitBreaker",
    "Completion",
    "MemoryConfig",
    "Message",
    "Mind",
    "ModelConfig",
    "NpcMinds",
    "RoleConfig",
    "load_config",
]

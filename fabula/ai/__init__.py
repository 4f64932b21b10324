"""Language models in the loop: they propose, the rules decide.

Model code never touches the world except by proposing actions, which go
through :class:`fabula.actions.Rules` like a player's.
"""

from fabula.ai.npc import ActionModel, Mind, NpcMinds

__all__ = ["ActionModel", "Mind", "NpcMinds"]

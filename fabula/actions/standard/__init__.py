"""The standard library: the world model of interactive fiction (components),
the scope rules over it, the preconditions actions declare (``alive``,
``in_sight``, ``in_reach``, ``held``), and the standard actions with their
hard rules.

Register every standard action with
``ActionRegistry().discover("fabula.actions.standard")`` and every component
with ``ComponentRegistry().discover("fabula.actions.standard.components")``.
A game overrides one by registering its own under the same id with
``replace=True``.
"""

from fabula.actions.standard.combat import Attack, Strike, drop_loot, protection
from fabula.actions.standard.components import (
    DIRECTIONS,
    Actor,
    Armour,
    Container,
    Description,
    Direction,
    Door,
    Drinkable,
    Edible,
    Exits,
    Goals,
    Health,
    Hostile,
    LightSource,
    Location,
    Lockable,
    Named,
    Openable,
    Persona,
    Player,
    Portable,
    Room,
    Score,
    Supporter,
    Topics,
    Weapon,
    Wearable,
)
from fabula.actions.standard.devices import Application, SwitchOff, SwitchOn, Use
from fabula.actions.standard.handling import Drop, Take
from fabula.actions.standard.locks import Close, Lock, Open, Unlock, WithKey
from fabula.actions.standard.movement import Go, Heading, Wait, destination
from fabula.actions.standard.people import Give, Handover, Speech, Talk, reply_to
from fabula.actions.standard.preconditions import alive, held, in_reach, in_sight
from fabula.actions.standard.putting import Placement, Put
from fabula.actions.standard.scope import (
    contents,
    holder_of,
    inventory,
    is_lit,
    reachable,
    room_of,
    sees_inside,
    visible,
)
from fabula.actions.standard.senses import Examine, Inventory, Look, Target
from fabula.actions.standard.toggles import Toggle
from fabula.actions.standard.wearing import Drink, Eat, TakeOff, Wear

__all__ = [
    "DIRECTIONS",
    "Actor",
    "Application",
    "Armour",
    "Attack",
    "Close",
    "Container",
    "Description",
    "Direction",
    "Door",
    "Drink",
    "Drinkable",
    "Drop",
    "Eat",
    "Edible",
    "Examine",
    "Exits",
    "Give",
    "Go",
    "Goals",
    "Handover",
    "Heading",
    "Health",
    "Hostile",
    "Inventory",
    "LightSource",
    "Location",
    "Lock",
    "Lockable",
    "Look",
    "Named",
    "Open",
    "Openable",
    "Persona",
    "Placement",
    "Player",
    "Portable",
    "Put",
    "Room",
    "Score",
    "Speech",
    "Strike",
    "Supporter",
    "SwitchOff",
    "SwitchOn",
    "Take",
    "TakeOff",
    "Talk",
    "Target",
    "Toggle",
    "Topics",
    "Unlock",
    "Use",
    "Wait",
    "Weapon",
    "Wear",
    "Wearable",
    "WithKey",
    "alive",
    "contents",
    "destination",
    "drop_loot",
    "held",
    "holder_of",
    "in_reach",
    "in_sight",
    "inventory",
    "is_lit",
    "protection",
    "reachable",
    "reply_to",
    "room_of",
    "sees_inside",
    "visible",
]

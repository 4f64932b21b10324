"""Every refusal code the rules can give is reached at least once, on the demo.

Each case sets the scene (directly, as a test may), proposes one action as a
parser or a model would, and checks the code. A code added to the rules
without a case here fails :func:`test_every_code_in_the_rules_has_a_case`.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fabula.actions.standard import ExitRules, Health, LightSource, Location, Lockable, Openable
from fabula.content import ContentGame
from fabula.ecs import World
from fabula.games import DEMO
from fabula.persistence import state_digest

ROOT = Path(__file__).parents[2]
GAME = ContentGame.load(DEMO)

Setup = Callable[[World, dict[str, int], int], None]


def carry(*names: str, how: str = "held") -> Setup:
    def setup(world: World, ids: dict[str, int], me: int) -> None:
        for name in names:
            world.insert(ids[name], Location(me, how))  # type: ignore[arg-type]

    return setup


def at(room: str, *then: Setup) -> Setup:
    def setup(world: World, ids: dict[str, int], me: int) -> None:
        world.insert(me, Location(ids[room]))
        for step in then:
            step(world, ids, me)

    return setup


def nothing(world: World, ids: dict[str, int], me: int) -> None:
    pass


def lit_lantern(world: World, ids: dict[str, int], me: int) -> None:
    carry("lantern")(world, ids, me)
    world.get(ids["lantern"], LightSource).lit = True


# (code, setup, action, params naming things by id)
CASES: list[tuple[str, Setup, str, dict[str, Any]]] = [
    ("MALFORMED", nothing, "", {}),
    ("UNKNOWN_ACTION", nothing, "fly", {}),
    ("NO_ACTOR", nothing, "look", {"@actor": 999_999}),
    ("BAD_PARAMS", nothing, "go", {"direction": "sideways"}),
    ("NOT_HERE", nothing, "take", {"item": "lantern"}),
    ("TOO_DARK", at("cave"), "take", {"item": "shells"}),
    ("OUT_OF_REACH", at("cave", lit_lantern), "take", {"item": "lighthouse-key"}),
    ("NOT_PORTABLE", at("boathouse"), "take", {"item": "workbench"}),
    ("ALREADY_HELD", carry("gaff"), "take", {"item": "gaff"}),
    ("NOT_HELD", nothing, "drop", {"item": "gaff"}),
    ("WORN", carry("coat", how="worn"), "drop", {"item": "coat", "@implicit": False}),
    ("NO_EXIT", nothing, "go", {"direction": "up"}),
    ("EXIT_REFUSED", at("boathouse", lambda w, i, m: w.insert(i["boathouse"], ExitRules(refusals={"up": "No loft."}))), "go", {"direction": "up"}),  # noqa: E501
    ("LOCKED", at("headland"), "go", {"direction": "north"}),
    ("CLOSED", at("grotto", lit_lantern, carry("gaff")), "put", {"item": "gaff", "target": "satchel"}),  # noqa: E501
    ("NOWHERE", lambda w, i, m: w.remove(m, Location), "look", {}),
    ("NOT_OPENABLE", at("boathouse"), "open", {"item": "workbench"}),
    ("ALREADY_OPEN", at("grotto", lit_lantern, lambda w, i, m: setattr(w.get(i["satchel"], Openable), "open", True)), "open", {"item": "satchel"}),  # noqa: E501
    ("ALREADY_CLOSED", at("grotto", lit_lantern), "close", {"item": "satchel"}),
    ("NOT_LOCKABLE", at("boathouse", carry("gaff")), "lock", {"item": "workbench", "key": "gaff"}),
    ("WRONG_KEY", at("headland", carry("gaff")), "unlock", {"item": "lighthouse-door", "key": "gaff"}),  # noqa: E501
    ("ALREADY_UNLOCKED", at("headland", carry("lighthouse-key"), lambda w, i, m: setattr(w.get(i["lighthouse-door"], Lockable), "locked", False)), "unlock", {"item": "lighthouse-door", "key": "lighthouse-key"}),  # noqa: E501
    ("ALREADY_LOCKED", at("headland", carry("lighthouse-key")), "lock", {"item": "lighthouse-door", "key": "lighthouse-key"}),  # noqa: E501
    ("OPEN", at("headland", carry("lighthouse-key"), lambda w, i, m: (setattr(w.get(i["lighthouse-door"], Lockable), "locked", False), setattr(w.get(i["lighthouse-door"], Openable), "open", True))), "lock", {"item": "lighthouse-door", "key": "lighthouse-key"}),  # noqa: E501
    ("NOT_WEARABLE", carry("gaff"), "wear", {"item": "gaff"}),
    ("ALREADY_WORN", carry("coat", how="worn"), "wear", {"item": "coat"}),
    ("NOT_WORN", carry("coat"), "take_off", {"item": "coat"}),
    ("NOT_EDIBLE", carry("gaff"), "eat", {"item": "gaff"}),
    ("NOT_DRINKABLE", carry("gaff"), "drink", {"item": "gaff"}),
    ("NOT_A_TARGET", carry("gaff"), "attack", {"target": "gaff"}),
    ("NOT_A_WEAPON", at("square", carry("wick")), "attack", {"target": "tamsin", "weapon": "wick"}),
    ("ALREADY_DEAD", at("cave", lit_lantern, lambda w, i, m: setattr(w.get(i["crab"], Health), "hp", 0)), "attack", {"target": "crab"}),  # noqa: E501
    ("DEAD", lambda w, i, m: setattr(w.get(m, Health), "hp", 0), "wait", {}),
    ("NO_REPLY", at("boathouse"), "talk", {"target": "workbench"}),
    ("NOT_A_PERSON", at("boathouse", carry("gaff")), "give", {"item": "gaff", "target": "workbench"}),  # noqa: E501
    ("NOT_A_CONTAINER", at("boathouse", carry("gaff")), "put", {"item": "gaff", "target": "lantern"}),  # noqa: E501
    ("NOT_A_SUPPORTER", at("grotto", lit_lantern, carry("gaff")), "put", {"item": "gaff", "target": "satchel", "how": "on"}),  # noqa: E501
    ("FULL", at("lantern-room", carry("gaff"), lambda w, i, m: [w.insert(i[t], Location(i["great-lamp"])) for t in ("wick", "oil")]), "put", {"item": "gaff", "target": "great-lamp"}),  # noqa: E501
    ("IMPOSSIBLE", at("grotto", lit_lantern, carry("satchel")), "put", {"item": "satchel", "target": "satchel"}),  # noqa: E501
    ("NOTHING_HAPPENS", carry("gaff"), "use", {"item": "gaff"}),
    ("NOT_A_LIGHT", carry("gaff", "tinderbox"), "switch_on", {"item": "gaff"}),
    ("ALREADY_ON", lit_lantern, "switch_on", {"item": "lantern"}),
    ("ALREADY_OFF", carry("lantern"), "switch_off", {"item": "lantern"}),
    ("NO_FLAME", carry("lantern"), "switch_on", {"item": "lantern"}),
    ("GIFT_DECLINED", at("square", carry("lantern")), "give", {"item": "lantern", "target": "tamsin"}),  # noqa: E501
    ("GIFT_SNAPPED", at("cave", lit_lantern, carry("gaff")), "give", {"item": "gaff", "target": "crab"}),  # noqa: E501
    ("LAMP_NOT_READY", at("lantern-room", carry("tinderbox")), "switch_on", {"item": "great-lamp"}),
    ("ORDER_REFUSED", at("square"), "wait", {"@actor": "tamsin", "@source": "order"}),
    ("NOT_A_FLAME", carry("lantern", "gaff"), "switch_on", {"item": "lantern", "tool": "gaff"}),
    ("NOTHING_OF_INTEREST", at("boathouse"), "search", {"item": "lantern"}),
    ("CANT_SEE_INSIDE", at("grotto", lit_lantern), "search", {"item": "satchel"}),
    ("UNNECESSARY", at("square"), "wake", {"item": "tamsin"}),
    ("MIGHT_NOT_LIKE", at("square"), "push", {"item": "tamsin"}),
    ("FIXED_IN_PLACE", at("boathouse"), "pull", {"item": "workbench"}),
    ("UNABLE", nothing, "turn", {"@self": True}),
    ("NOT_THERE", at("boathouse"), "remove_from", {"item": "lantern", "source": "workbench"}),
    ("BELONGS_TO", at("cave", lit_lantern), "remove_from", {"item": "lighthouse-key", "source": "crab"}),  # noqa: E501
    ("NOT_INSIDE", nothing, "exit", {}),
    ("NOT_DROWSY", nothing, "sleep", {}),
    ("NOT_A_DREAM", nothing, "wake_up", {}),
    ("GOOD_IDEA", nothing, "think", {}),
    ("RHETORICAL", nothing, "yes", {}),
]  # fmt: skip


def test_every_code_in_the_rules_has_a_case() -> None:
    sources = glob.glob(str(ROOT / "fabula" / "**" / "*.py"), recursive=True)
    codes = set()
    for source in sources:
        codes |= set(re.findall(r'Refusal\(\s*"([A-Z_]+)"', Path(source).read_text()))
    assert codes - {code for code, *_ in CASES} == set()


@pytest.mark.parametrize(("code", "setup", "action", "params"), CASES, ids=[c[0] for c in CASES])
def test_the_rules_refuse_with_the_code(
    code: str, setup: Setup, action: str, params: dict[str, Any]
) -> None:
    world = GAME.new_world(1)
    simulation = GAME.simulation(world)
    ids = GAME.ids(world)
    me = GAME.player(world)
    setup(world, ids, me)
    actor = params.pop("@actor", me)
    actor = ids[actor] if isinstance(actor, str) else actor
    source = params.pop("@source", "player")
    implicit = params.pop("@implicit", True)  # False: the refusal an implicit action would fix
    if params.pop("@self", False):
        params["item"] = actor
    resolved = {k: ids.get(v, v) if isinstance(v, str) and k != "direction" and k != "how" else v
                for k, v in params.items()}  # fmt: skip
    proposal: Any = (
        {"action": action, "actor": actor, "params": resolved, "source": source}
        if action
        else {"nonsense": 1}
    )
    before = state_digest(world)
    outcome = simulation.rules.attempt(proposal, implicit=implicit)
    assert outcome.refusal is not None, f"{action} {params} was allowed"
    assert outcome.refusal.code == code, outcome.refusal
    assert state_digest(world) == before  # a refusal changes nothing

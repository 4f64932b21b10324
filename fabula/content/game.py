"""A game built from its files: the world at turn 0, the rules, the systems.

:class:`ContentGame` is what a save, the session and ``fabula replay`` need
(the :class:`~fabula.simulation.Game` protocol). Building is deterministic: the
same files and seed give the same world, handle for handle, because entities
are spawned in a fixed order (rooms, doors, items, people, the player, then
rooms' scenery, each sorted by id) and every reference is filled in a second pass.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from importlib.metadata import entry_points
from pathlib import Path
from typing import Literal

from fabula.actions import ActionRegistry
from fabula.actions.standard import (
    Actor,
    Armour,
    Container,
    DarkWhen,
    Description,
    Door,
    Drinkable,
    Edible,
    ExitRules,
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
    drop_loot,
)
from fabula.content.appearance import appearance_from, count_visits, mark_handled
from fabula.content.attached import attached_components
from fabula.content.components import (
    Ended,
    Ident,
    Points,
    Scenery,
    Unlisted,
    Variables,
    Visits,
)
from fabula.content.conditions import holds
from fabula.content.game_code import import_game_code
from fabula.content.hostiles import hostiles_attack
from fabula.content.judging import world_ids
from fabula.content.limits import MAX_PYTHON_FILES
from fabula.content.loader import GameFiles, load
from fabula.content.progress import award_points, award_tasks, timeline
from fabula.content.rulebook import Rulebook
from fabula.content.rulecheck import load_rulebook
from fabula.content.scenery import spawn_scenery
from fabula.content.schema import Condition, ExitSpec, ItemSpec
from fabula.content.template_files import shown_path
from fabula.content.understand import apply_understanding
from fabula.ecs import ComponentRegistry, World, WorldView
from fabula.errors import ContentError, DiscoveryError, FabulaError
from fabula.events import OnDeath, OnMove, OnTake
from fabula.simulation import Simulation

__all__ = ["PLUGIN_ACTIONS", "PLUGIN_COMPONENTS", "ContentGame"]

PLUGIN_ACTIONS = "fabula.actions"
"""Entry point group of installed plugins' action packages (value: a module path)."""

PLUGIN_COMPONENTS = "fabula.components"
"""Entry point group of installed plugins' component packages (value: a module path)."""

Ending = Literal["won", "lost"]


class ContentGame:
    """A game loaded from a directory.

    Attributes:
        id: the game's stable id (``[game] id``), recorded in saves.
        files: the checked files.
        components: the standard components, the content ones, installed
            plugins' (entry point group ``fabula.components``) and the game's own.
        actions: the standard actions, installed plugins' (``fabula.actions``)
            and the game's own; each later source may replace an earlier one's.
    """

    def __init__(self, files: GameFiles) -> None:
        self.files = files
        self.id = files.game.id
        self.components = ComponentRegistry()
        self.components.discover("fabula.actions.standard.components")
        self.components.discover("fabula.content.components")
        self.actions = ActionRegistry()
        self.actions.discover("fabula.actions.standard")
        for group, registry in (
            (PLUGIN_COMPONENTS, self.components),
            (PLUGIN_ACTIONS, self.actions),
        ):
            for entry in sorted(entry_points(group=group), key=lambda e: e.name):
                registry.discover(entry.value, replace=True)
        self._import_own_python(files.root)
        apply_understanding(files.root, self.actions)  # grammar.toml
        self._attached, problems = attached_components(files, self.components)
        if problems:
            raise ContentError(problems)
        # Rules, scenes and variables as data (rules.toml, [variables]).
        rules = load_rulebook(files, self.components, self.actions)
        self.rulebook = Rulebook(rules, self.ids) if rules.rules or rules.scenes else None
        self.variables = rules.variables
        self.shown_variables = rules.shown

    def _import_own_python(self, root: Path) -> None:
        """Import the game's ``components/`` and ``actions/`` (this runs the
        game's code; ``fabula validate`` says so).

        Raises:
            ContentError: too many files, or one that fails to import or to
                register (its file, and line when known).
        """
        folders = [root / name for name in ("components", "actions") if (root / name).is_dir()]
        count = sum(1 for folder in folders for _ in folder.rglob("*.py"))
        if count > MAX_PYTHON_FILES:
            file = f"{root.name}/{folders[-1].name}"
            message = f"{count:,} Python files in actions/ and components/, more than "
            raise ContentError([(file, "", f"{message}{MAX_PYTHON_FILES:,}")])
        try:
            import_game_code(root, self.components, self.actions)
        except ContentError:
            raise
        except DiscoveryError as exc:
            where = f"line {exc.line}" if exc.line is not None else ""
            file = shown_path(exc.source, root.resolve())
            raise ContentError([(file, where, f"{exc.reason}; fix the game's Python")]) from exc
        except FabulaError as exc:  # a name registered twice, an action declared wrongly
            raise ContentError([(root.name, "", str(exc))]) from exc

    @classmethod
    def load(cls, root: str | Path) -> ContentGame:
        """Load and check the game in ``root``.

        Raises:
            ContentError: every problem in the game's files.
        """
        return cls(load(root))

    @property
    def title(self) -> str:
        return self.files.game.title

    @property
    def intro(self) -> str:
        """The opening text, reflowed for the reader's width."""
        return reflow(self.files.game.intro)

    # ------------------------------------------------------------- building

    def new_world(self, seed: int) -> World:
        """The world at turn 0 (a pure function of the files and ``seed``)."""
        f = self.files
        world = World(seed)
        ids: dict[str, int] = {}
        for ident in sorted(f.rooms):
            spec = f.rooms[ident]
            ids[ident] = world.spawn(
                Ident(ident),
                Named(spec.name),
                Room(dark=spec.dark is True),
                Description(reflow(spec.description)),
                *_appearance(spec.descriptions),
                *([DarkWhen(spec.dark)] if isinstance(spec.dark, str) else []),
            )
        for ident in sorted(f.doors):
            door = f.doors[ident]
            ids[ident] = world.spawn(
                Ident(ident),
                Named(door.name, tuple(door.aliases)),
                Description(reflow(door.description) or f"An ordinary {door.name}."),
                Openable(door.open),
                *_appearance(door.descriptions),
            )
        for ident in sorted(f.items):
            ids[ident] = world.spawn(*_item_components(ident, f.items[ident]))
        for ident in sorted(f.npcs):
            npc = f.npcs[ident]
            parts: list[object] = [
                Ident(ident),
                Named(npc.name, tuple(npc.aliases), npc.article, npc.proper),
                Description(reflow(npc.description) or f"You see nothing special about {npc.name}.",
                            reflow(npc.listing)),
                Actor(),
                Health(npc.health, npc.health),
                Weapon(npc.damage, npc.spread),
                Armour(npc.protection),
                *_appearance(npc.descriptions, npc.listings, npc.initial),
            ]  # fmt: skip
            if npc.greeting or npc.default_reply or npc.topics:
                parts.append(Persona(npc.greeting, npc.default_reply or "There is no reply."))
                parts.append(Topics(dict(npc.topics)))
            if npc.hostile:
                parts.append(Hostile())
            ids[ident] = world.spawn(*parts)
        player = f.player
        ids["player"] = world.spawn(
            Ident("player"),
            Named(player.name, ("me", "myself"), proper=True),
            Description(reflow(player.description)),
            Player(),
            Actor(),
            Health(player.health, player.health),
            Score(0, player.max_score),
            Location(ids[f.game.start]),
            *([Goals(tuple(player.goals))] if player.goals else []),
        )
        for ident in sorted(self._attached):
            for part in self._attached[ident]:
                world.insert(ids[ident], copy.deepcopy(part))  # each world its own
        world.insert(ids[f.game.start], Visits(1))  # the player arrives there
        if self.variables:
            shown = tuple(sorted(self.shown_variables))
            world.insert(ids["player"], Variables(dict(self.variables), shown))
        spawn_scenery(world, f.rooms, ids, reflow)
        # Second pass: references between things.
        for ident in sorted(f.rooms):
            ways, conditions, refusals = {}, {}, {}
            for direction, exit_ in f.rooms[ident].exits.items():
                if not isinstance(exit_, ExitSpec):
                    ways[direction] = ids[exit_]
                    continue
                if exit_.to is not None:
                    ways[direction] = ids[exit_.door or exit_.to]
                if exit_.if_ is not None:
                    conditions[direction] = exit_.if_
                if exit_.refuse:
                    refusals[direction] = reflow(exit_.refuse)
            world.insert(ids[ident], Exits(ways))
            if conditions or refusals:
                world.insert(ids[ident], ExitRules(conditions, refusals))
        for ident in sorted(f.doors):
            door = f.doors[ident]
            world.insert(ids[ident], Door((ids[door.between[0]], ids[door.between[1]])))
            if door.locked or door.key is not None:
                world.insert(ids[ident], Lockable(door.locked, ids.get(door.key or "")))
        for ident in sorted(f.items):
            item = f.items[ident]
            how, _, holder = item.location.partition(":")
            where = Location(ids[holder], how) if holder else Location(ids[item.location])  # type: ignore[arg-type]
            world.insert(ids[ident], where)
            if item.locked or item.key is not None:
                world.insert(ids[ident], Lockable(item.locked, ids.get(item.key or "")))
        for ident in sorted(f.npcs):
            world.insert(ids[ident], Location(ids[f.npcs[ident].location]))
        return world

    def simulation(self, world: World) -> Simulation:
        """Rules and systems over ``world``, with the standard reactions."""
        simulation = Simulation(world, self.actions)
        simulation.scheduler.add(hostiles_attack(simulation.rules))
        simulation.bus.subscribe(OnDeath, drop_loot(world))
        simulation.bus.subscribe(OnTake, award_points(world))
        simulation.bus.subscribe(OnTake, mark_handled(world))
        simulation.bus.subscribe(OnMove, count_visits(world))
        if self.files.awards:
            simulation.scheduler.add(award_tasks(self.files.awards, self.ids))
        if self.files.timeline:
            simulation.scheduler.add(timeline(self.files.timeline, self.ids))
        if self.rulebook is not None:
            simulation.rules.hooks = self.rulebook
            simulation.scheduler.add_all(self.rulebook.systems(simulation.rules))
        return simulation

    # ------------------------------------------------------------- queries

    @staticmethod
    def player(world: WorldView) -> int:
        """The player's entity."""
        return next(iter(sorted(world.entities_with[Player])))

    @staticmethod
    def ids(world: WorldView) -> Mapping[str, int]:
        """File id -> handle, for every entity with one.

        Backed by the world's field index on ``Ident.id``, so a lookup is
        O(1) and nothing is rebuilt per call: the ending is judged every
        turn, and a large world has tens of thousands of ids.
        """
        return world_ids(world)

    def ending(self, world: WorldView) -> Ending | None:
        """``"won"``, ``"lost"`` or ``None``, by the game's conditions (every
        losing one first: ``[lose]``, then ``[[endings]]`` that lose)."""
        found = self.ending_message(world)
        return found[0] if found is not None else None

    def ending_message(self, world: WorldView) -> tuple[Ending, str] | None:
        """The ending that holds and its message (``""`` if the game wrote
        none), or ``None`` while the game goes on. Judged as :meth:`ending`."""
        f = self.files
        for player in world.entities_with[Ended]:  # a rule's end effect comes first
            ended = world.get(player, Ended, readonly=True)
            return ("won" if ended.result == "won" else "lost"), ended.message
        candidates: list[tuple[Ending, Condition]] = []
        if f.lose is not None:
            candidates.append(("lost", f.lose))
        candidates.extend(("lost", e) for e in f.endings if e.result == "lost")
        if f.win is not None:
            candidates.append(("won", f.win))
        candidates.extend(("won", e) for e in f.endings if e.result == "won")
        if not candidates:
            return None
        ids, player = self.ids(world), self.player(world)
        for result, condition in candidates:
            if holds(world, condition, ids, player):
                return result, condition.message
        return None


def reflow(text: str) -> str:
    """Authored text with line breaks inside paragraphs joined, so the UI wraps
    it to the reader's width; blank lines still separate paragraphs."""
    paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _item_components(ident: str, item: ItemSpec) -> list[object]:
    parts: list[object] = [
        Ident(ident),
        Named(item.name, tuple(item.aliases), item.article, plural=item.plural),
        Description(reflow(item.description) or f"You see nothing special about the {item.name}.",
                    reflow(item.listing)),
        *_appearance(item.descriptions, item.listings, item.initial),
    ]  # fmt: skip
    if item.scenery:
        parts.append(Scenery())
    if not item.listed:
        parts.append(Unlisted())
    if item.portable:
        parts.append(Portable())
    if item.container:
        parts.append(Container(item.capacity, item.transparent))
    if item.supporter:
        parts.append(Supporter(item.capacity))
    if item.openable:
        parts.append(Openable(item.open))
    if item.light:
        parts.append(LightSource(item.lit))
    if item.wearable:
        parts.append(Wearable())
    if item.protection:
        parts.append(Armour(item.protection))
    if item.damage:
        parts.append(Weapon(item.damage, item.spread))
    if item.edible:
        parts.append(Edible(item.heals))
    if item.drinkable:
        parts.append(Drinkable(item.heals))
    if item.points:
        parts.append(Points(item.points))
    return parts


def _appearance(
    descriptions: Mapping[str, str], listings: Mapping[str, str] | None = None, initial: str = ""
) -> list[object]:
    """The thing's :class:`Appearance`, as a list to splat (empty for most)."""
    found = appearance_from(descriptions, listings, initial, reflow)
    return [] if found is None else [found]

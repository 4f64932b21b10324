"""Loading a game directory, and reporting every problem in it at once.

A game is a directory::

    game.toml          [game] id, title, start, intro, seed; [player]; [win]; [lose];
                       optional [awards.<id>], [[endings]], [[timeline]] (fabula.content.story)
    hints.toml         optional: [[hints]] topics for the HINT command
    rules.toml         optional: [[rule]]s and [[scene]]s (fabula.content.rulespec);
                       also rules/*.toml; game.toml may declare [variables]
    grammar.toml       optional: [[understand]] words and patterns for existing
                       actions (fabula.content.understand)
    world/*.toml       [rooms.<id>], [doors.<id>], [items.<id>], [npcs.<id>]
    templates/         optional: narration templates overriding the built-in ones
    actions/           optional: the game's own actions (.py)
    components/        optional: the game's own components (.py)
    lore/              optional: text for the memory layer (fabula.memory)
    prompts/           optional: prompt files overriding or adding to the built-in ones

:func:`load` validates each file with the models of
:mod:`fabula.content.schema`, then checks what no single file can: ids unique
across files, every exit, location, key and door pointing at something that
exists and fits (an item cannot be *in* something that is not a container),
the start room. All problems are collected and raised together as one
:class:`~fabula.errors.ContentError`, each with its file and field path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from fabula.content.limits import MAX_WORLD_FILES, containment_cycles, read_toml
from fabula.content.salvage import field_message, salvage
from fabula.content.schema import (
    Condition,
    DoorSpec,
    ExitSpec,
    GameSpec,
    ItemSpec,
    NpcSpec,
    PlayerSpec,
    RoomSpec,
)
from fabula.content.story import AwardSpec, EndingSpec, HintsFile, HintSpec, TimedSpec
from fabula.content.world_checks import check_world_conditions
from fabula.errors import ContentError

__all__ = ["GameFiles", "load"]

_KINDS = ("rooms", "doors", "items", "npcs")
_SPECS: dict[str, type[BaseModel]] = {
    "rooms": RoomSpec,
    "doors": DoorSpec,
    "items": ItemSpec,
    "npcs": NpcSpec,
}


_MODELS = {m.__name__: m for m in (*_SPECS.values(), GameSpec, PlayerSpec, Condition)}
"""The models whose unknown fields get a "did you mean" (by Pydantic's title)."""


@dataclass(slots=True)
class GameFiles:
    """A game directory, loaded and checked.

    Attributes:
        root: the directory.
        game, player: ``[game]`` and ``[player]``.
        win, lose: the conditions (``None`` if the game has none).
        rooms, doors, items, npcs: every spec by id.
        origin: id -> the file that defines it (for later messages).
        awards, endings, timeline: the story's points for tasks, further
            endings and timed messages (:mod:`fabula.content.story`).
        hints: the hint topics of ``hints.toml``, in order.
    """

    root: Path
    game: GameSpec
    player: PlayerSpec
    win: Condition | None
    lose: Condition | None
    rooms: dict[str, RoomSpec] = field(default_factory=dict)
    doors: dict[str, DoorSpec] = field(default_factory=dict)
    items: dict[str, ItemSpec] = field(default_factory=dict)
    npcs: dict[str, NpcSpec] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)
    awards: dict[str, AwardSpec] = field(default_factory=dict)
    endings: list[EndingSpec] = field(default_factory=list)
    timeline: list[TimedSpec] = field(default_factory=list)
    hints: list[HintSpec] = field(default_factory=list)
    variables: Any = None  # game.toml [variables], checked by fabula.content.rulespec

    def conditions(self) -> list[tuple[str, Condition]]:
        """Every condition the game's files state, with where (for checks)."""
        found: list[tuple[str, Condition]] = []
        for name, condition in (("win", self.win), ("lose", self.lose)):
            if condition is not None:
                found.append((name, condition))
        for ident, award in self.awards.items():
            found.append((f"awards.{ident}.when", award.when))
        found.extend((f"endings.{i}", ending) for i, ending in enumerate(self.endings))
        for i, timed in enumerate(self.timeline):
            for key in ("when", "unless"):
                if (c := getattr(timed, key)) is not None:
                    found.append((f"timeline.{i}.{key}", c))
        for i, hint in enumerate(self.hints):
            if hint.when is not None:
                found.append((f"hints.{i}.when", hint.when))
            found.extend((f"hints.{i}.until", c) for c in hint.until)
        return found

    @property
    def templates(self) -> Path | None:
        """The game's template folder, if it has one."""
        folder = self.root / "templates"
        return folder if folder.is_dir() else None

    @property
    def prompts(self) -> Path | None:
        """The game's prompt folder, if it has one (see docs/prompts.md)."""
        folder = self.root / "prompts"
        return folder if folder.is_dir() else None

    @property
    def lore(self) -> Path | None:
        """The game's lore folder, if it has one (see docs/memory.md)."""
        folder = self.root / "lore"
        return folder if folder.is_dir() else None


class _Problems:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: list[tuple[str, str, str]] = []

    def add(self, file: Path | str, path: str, message: str) -> None:
        shown = file if isinstance(file, str) else str(_relative(file, self.root))
        self.items.append((shown, path, message))

    def from_validation(self, file: Path, prefix: str, exc: ValidationError) -> None:
        for error in exc.errors(include_url=False):
            where = ".".join(str(p) for p in (prefix, *error["loc"]) if p != "")
            self.add(file, where, field_message(error, exc, _MODELS))


def _relative(file: Path, root: Path) -> Path:
    try:
        return file.relative_to(root.parent)
    except ValueError:
        return file


def load(root: str | Path) -> GameFiles:
    """Load and check the game in ``root``.

    Raises:
        ContentError: every problem found, each with its file and field path.
    """
    root = Path(root)
    problems = _Problems(root)
    manifest = root / "game.toml"
    if not root.is_dir():
        raise ContentError([(str(root), "", "no such game folder; check the path.")])
    data = _read(manifest, problems) or {}
    game = _model(GameSpec, data.pop("game", None), manifest, "game", problems)
    player = _model(PlayerSpec, data.pop("player", {}), manifest, "player", problems)
    win = _model(Condition, data.pop("win", None), manifest, "win", problems, optional=True)
    lose = _model(Condition, data.pop("lose", None), manifest, "lose", problems, optional=True)
    story = _story(root, data, manifest, problems)
    story["variables"] = data.pop("variables", None)  # fabula.content.rulespec checks it
    for key in data:
        problems.add(
            manifest, key,
            "unknown section (expected game, player, win, lose, awards, endings, timeline, "
            "variables)",
        )  # fmt: skip
    worlds = sorted((root / "world").glob("*.toml")) if (root / "world").is_dir() else []
    if not worlds:
        problems.add(root / "world", "", "no world files: add world/*.toml with rooms and items")
    if len(worlds) > MAX_WORLD_FILES:
        problems.add(
            root / "world", "", f"{len(worlds):,} world files, more than {MAX_WORLD_FILES:,}"
        )
        raise ContentError(problems.items)
    specs: dict[str, dict[str, Any]] = {kind: {} for kind in _KINDS}
    origin: dict[str, str] = {}
    seen: dict[str, Path] = {}
    for path in worlds:
        raw = _read(path, problems)
        for kind, entries in (raw or {}).items():
            if kind not in _KINDS:
                problems.add(path, kind, "unknown section (expected rooms, doors, items, npcs)")
                continue
            if not isinstance(entries, dict):
                problems.add(path, kind, "must be a table of entries: [" + kind + ".<id>]")
                continue
            for ident, entry in entries.items():
                where = f"{kind}.{ident}"
                if ident in seen:
                    problems.add(
                        path,
                        where,
                        f"id {ident!r} is already used in {_relative(seen[ident], root)}; "
                        "ids must be unique across the game",
                    )
                    continue
                seen[ident] = path
                if not ident or not all(c.isalnum() or c in "-_" for c in ident):
                    problems.add(path, where, "ids are letters, digits, '-' and '_' only")
                    continue
                spec = _model(_SPECS[kind], entry, path, where, problems)
                if spec is None:
                    spec = salvage(_SPECS[kind], entry)
                if spec is not None:
                    specs[kind][ident] = spec
                    origin[ident] = str(_relative(path, root))
    if game is None or player is None:
        raise ContentError(problems.items)
    files = GameFiles(root, game, player, win, lose, origin=origin, **specs, **story)
    _check_references(files, problems, manifest)
    check_world_conditions(files, problems.add)
    if problems.items:
        raise ContentError(problems.items)
    return files


def _read(path: Path, problems: _Problems) -> dict[str, Any] | None:
    return read_toml(path, problems.add)


def _model(
    model: type[BaseModel],
    data: Any,
    file: Path,
    section: str,
    problems: _Problems,
    *,
    optional: bool = False,
) -> Any:
    if data is None:
        if not optional:
            problems.add(file, section, "missing section")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.from_validation(file, section, exc)
        return None


def _check_references(files: GameFiles, problems: _Problems, manifest: Path) -> None:
    def where(ident: str) -> str:
        return files.origin.get(ident, "?")

    people = set(files.npcs) | {"player"}
    if files.game.start not in files.rooms:
        problems.add(manifest, "game.start", f"{files.game.start!r} is not a room")
    for ident, room in files.rooms.items():
        for direction, exit_ in room.exits.items():
            target = exit_.to if isinstance(exit_, ExitSpec) else exit_
            door = exit_.door if isinstance(exit_, ExitSpec) else None
            path = f"rooms.{ident}.exits.{direction}"
            if target is None:
                continue  # an exit that only refuses
            if target not in files.rooms:
                problems.add(where(ident), path, f"leads to {target!r}, which is not a room")
            if door is not None:
                spec = files.doors.get(door)
                if spec is None:
                    problems.add(where(ident), path, f"door {door!r} is not a door")
                elif set(spec.between) != {ident, target}:
                    problems.add(
                        where(ident), path,
                        f"door {door!r} is between {spec.between[0]!r} and {spec.between[1]!r}, "
                        f"not {ident!r} and {target!r}",
                    )  # fmt: skip
    for ident, door in files.doors.items():
        for side in door.between:
            if side not in files.rooms:
                problems.add(where(ident), f"doors.{ident}.between", f"{side!r} is not a room")
        if door.key is not None and door.key not in files.items:
            problems.add(where(ident), f"doors.{ident}.key", f"{door.key!r} is not an item")
        if door.locked and door.key is None:
            problems.add(where(ident), f"doors.{ident}.key", "a locked door needs a key")
    for ident, item in files.items.items():
        _check_location(files, problems, "items", ident, item.location, people)
        if item.key is not None and item.key not in files.items:
            problems.add(where(ident), f"items.{ident}.key", f"{item.key!r} is not an item")
        if item.locked and not item.openable:
            problems.add(where(ident), f"items.{ident}.locked", "only openable things can lock")
    for cycle in containment_cycles({i: item.location for i, item in files.items.items()}):
        if len(cycle) > 1:  # one thing holding itself is reported with its location
            problems.add(
                where(cycle[0]), f"items.{cycle[0]}.location",
                f"{' and '.join(map(repr, cycle))} are inside or on each other, so none of "
                "them is anywhere; put one of them in a room",
            )  # fmt: skip
    for ident, npc in files.npcs.items():
        if npc.location not in files.rooms:
            problems.add(where(ident), f"npcs.{ident}.location", f"{npc.location!r} is not a room")
    hints_file = manifest.with_name("hints.toml")
    for name, condition in files.conditions():
        if name.startswith("hints."):
            manifest = hints_file
        if condition.in_room is not None and condition.in_room not in files.rooms:
            problems.add(manifest, f"{name}.in_room", f"{condition.in_room!r} is not a room")
        for field_name in ("holding", "gone", "lit"):
            for ident in getattr(condition, field_name):
                if ident not in files.items and ident not in files.npcs:
                    problems.add(manifest, f"{name}.{field_name}", f"{ident!r} is not a thing")
        for ident in condition.killed:
            if ident not in files.npcs:
                problems.add(manifest, f"{name}.killed", f"{ident!r} is not a person")
        for ident in condition.scored:
            item = files.items.get(ident)
            if ident not in files.awards and (item is None or not item.points):
                problems.add(
                    manifest,
                    f"{name}.scored",
                    f"{ident!r} is neither an award nor an item with points",
                )


def _story(root: Path, data: dict[str, Any], manifest: Path, problems: _Problems) -> dict[str, Any]:
    """The story's sections of ``game.toml`` (taken out of ``data``) and
    ``hints.toml``, as :class:`GameFiles` keywords; what does not validate
    is reported and left out."""
    story: dict[str, Any] = {}
    awards = data.pop("awards", {})
    if not isinstance(awards, dict):
        problems.add(manifest, "awards", "must be a table of awards: [awards.<id>]")
        awards = {}
    story["awards"] = {
        ident: spec
        for ident, raw in awards.items()
        if (spec := _model(AwardSpec, raw, manifest, f"awards.{ident}", problems)) is not None
    }
    for key, spec_type in (("endings", EndingSpec), ("timeline", TimedSpec)):
        rows = data.pop(key, [])
        if not isinstance(rows, list):
            problems.add(manifest, key, f"must be an array of tables: [[{key}]]")
            rows = []
        story[key] = [
            spec
            for i, raw in enumerate(rows)
            if (spec := _model(spec_type, raw, manifest, f"{key}.{i}", problems)) is not None
        ]
    hints_path = root / "hints.toml"
    if hints_path.is_file():
        raw_hints = _read(hints_path, problems)
        if raw_hints is not None:
            parsed = _model(HintsFile, raw_hints, hints_path, "", problems)
            story["hints"] = list(parsed.hints) if parsed is not None else []
    return story


def _check_location(
    files: GameFiles, problems: _Problems, kind: str, ident: str, location: str, people: set[str]
) -> None:
    path = f"{kind}.{ident}.location"
    how, _, holder = location.partition(":")
    if not holder:
        if location not in files.rooms:
            problems.add(files.origin[ident], path, f"{location!r} is not a room")
        return
    if how not in {"in", "on", "held", "worn"}:
        problems.add(
            files.origin[ident], path, f"{location!r}: use in:, on:, held: or worn: before the id"
        )
        return
    if how in {"held", "worn"}:
        if holder not in people:
            problems.add(files.origin[ident], path, f"{holder!r} is not a person (or 'player')")
        return
    container = files.items.get(holder)
    if container is None:
        problems.add(files.origin[ident], path, f"{holder!r} is not an item")
    elif how == "in" and not container.container:
        problems.add(files.origin[ident], path, f"{holder!r} is not a container")
    elif how == "on" and not container.supporter:
        problems.add(files.origin[ident], path, f"{holder!r} is not a supporter")
    elif holder == ident:
        problems.add(files.origin[ident], path, "a thing cannot hold itself")

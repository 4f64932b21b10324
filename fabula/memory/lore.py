"""A game's lore: the authored background its models may recall.

Lore lives in the game's ``lore/`` folder, one ``.md`` or ``.txt`` file per
subject (files in subfolders are not read). A file may open with TOML
front-matter between two ``+++`` lines::

    +++
    title = "The keeper's last week"
    importance = 7                      # 1-10, default 5
    tags = ["ezra", "lighthouse"]
    requires = { in_room = "grotto" }   # recalled only while this holds
    +++
    Ezra Trelawney climbed down to the tide cave...

``requires`` is a world predicate with the fields of a win or lose condition
(:class:`~fabula.content.schema.Condition`: ``in_room``, ``holding``, ``lit``,
``gone``, ``dead``, ``score_at_least``), about the player and the world,
evaluated by the same code as the game's ending. It keeps secrets until the
player could know them: a gated passage is only recalled while its
predicate holds.

A file is read whole into a :class:`LoreFile`: its sha-256 (which the store
compares to re-index only what changed), its front-matter, and its chunks
(:mod:`fabula.memory.chunking`). Problems raise
:class:`~fabula.errors.ContentError` naming the file and line.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fabula.actions.standard import Player
from fabula.content import Condition, ContentGame, check_expression
from fabula.content import holds as _condition_holds  # the ending's own predicate
from fabula.ecs import WorldView
from fabula.errors import ContentError
from fabula.memory.chunking import Chunk, chunk_text

__all__ = [
    "SUFFIXES",
    "LoreFile",
    "LoreGates",
    "LoreMeta",
    "file_sha",
    "lore_paths",
    "read_lore",
]

SUFFIXES = (".md", ".txt")
"""What counts as a lore file."""

_FENCE = "+++"
_TOML_LINE = re.compile(r"at line (\d+)")


class LoreMeta(BaseModel):
    """A lore file's front-matter.

    Attributes:
        title: what the passage is about (default: its first heading, or the
            file's name).
        importance: 1-10; how much it matters when recalled (default 5).
        tags: free words, kept with each chunk.
        requires: recalled only while this world predicate holds.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = ""
    importance: int = Field(default=5, ge=1, le=10)
    tags: list[str] = []
    requires: Condition | None = None


@dataclass(frozen=True, slots=True)
class LoreFile:
    """One lore file, read and cut.

    Attributes:
        name: its path inside the lore folder (``"keeper.md"``), its id in
            the store.
        sha: sha-256 of its bytes.
        meta: its front-matter (defaults if it has none).
        chunks: its passages, in order.
    """

    name: str
    sha: str
    meta: LoreMeta
    chunks: tuple[Chunk, ...]

    @property
    def title(self) -> str:
        """The front-matter's title, else the first heading, else the file name."""
        if self.meta.title:
            return self.meta.title
        for chunk in self.chunks:
            if chunk.section:
                return chunk.section
        stem = Path(self.name).stem.replace("-", " ").replace("_", " ")
        return stem[:1].upper() + stem[1:]

    def document(self, index: int) -> str:
        """What is stored and recalled for chunk ``index``: the chunk, led by
        the title (and section) unless it opens with its own heading."""
        chunk = self.chunks[index]
        if chunk.text.startswith("#"):
            return chunk.text
        title = self.title
        lead = f"{title} — {chunk.section}" if chunk.section and chunk.section != title else title
        return f"[{lead}] {chunk.text}"

    def metadata(self, index: int) -> dict[str, Any]:
        """What the store keeps with chunk ``index`` (Chroma metadata: no
        empty lists; the gate as JSON)."""
        chunk = self.chunks[index]
        data: dict[str, Any] = {
            "kind": "lore",
            "file": self.name,
            "chunk": index,
            "of": len(self.chunks),
            "title": self.title,
            "section": chunk.section,
            "importance": self.meta.importance,
            "sha": self.sha,
        }
        if self.meta.tags:
            data["tags"] = list(self.meta.tags)
        if self.meta.requires is not None:
            data["requires"] = self.meta.requires.model_dump_json(exclude_defaults=True)
        return data


class LoreGates:
    """Judges ``requires`` gates (as stored: JSON) against one world, with
    the code that judges the game's ending.

    The game's ids and the player are looked up only when a first gate is
    judged; parsed gates are kept in ``cache`` (share it between calls).
    A world without a player holds no gate.
    """

    def __init__(self, world: WorldView, cache: dict[str, Condition]) -> None:
        self._world = world
        self._cache = cache
        self._ids: Mapping[str, int] | None = None
        self._player: int | None = None

    def hold(self, gate: str) -> bool:
        """Whether the gate ``gate`` (a :class:`Condition` as JSON) holds."""
        condition = self._cache.get(gate)
        if condition is None:
            condition = self._cache[gate] = Condition.model_validate_json(gate)
        world = self._world
        if self._ids is None:
            self._ids = ContentGame.ids(world)  # the world's index: nothing rebuilt
            players = sorted(world.entities_with[Player])
            self._player = players[0] if players else None
        if self._player is None:
            return False
        return _condition_holds(world, condition, self._ids, self._player)


def lore_paths(folder: Path) -> list[Path]:
    """The lore files in ``folder`` (none if it does not exist), sorted by name.

    Raises:
        ContentError: the folder cannot be listed.
    """
    if not folder.is_dir():
        return []
    try:
        return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in SUFFIXES)
    except OSError as exc:
        raise ContentError(
            [("lore/", "", f"cannot be listed ({exc.strerror}); check its permissions.")]
        ) from exc


def file_sha(path: Path) -> str:
    """The sha-256 of a lore file's bytes, as :attr:`LoreFile.sha` holds it.

    Raises:
        ContentError: the file cannot be read.
    """
    return hashlib.sha256(_read(path)).hexdigest()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ContentError(
            [(f"lore/{path.name}", "", f"cannot be read ({exc.strerror}); check its permissions.")]
        ) from exc


def read_lore(path: Path, folder: Path, known_ids: Collection[str] | None = None) -> LoreFile:
    """Read, check and cut one lore file.

    Args:
        path: the file.
        folder: the lore folder (names are relative to it).
        known_ids: the game's ids; when given, every id a ``requires`` names
            must be one of them (a misspelt id would silently never hold).

    Raises:
        ContentError: the file is not UTF-8 text, or its front-matter is not
            valid TOML, has an unknown key or a value out of range; each
            problem names the file and line.
    """
    name = path.relative_to(folder).as_posix()
    shown = f"lore/{name}"
    data = _read(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(
            [(shown, "", f"is not UTF-8 text ({exc.reason}); save it as UTF-8.")]
        ) from exc
    raw, header, body = _split(text, shown)
    meta = _meta(raw, header, shown)
    problems = _check_gate(meta, header, shown, known_ids)
    if problems:
        raise ContentError(problems)
    return LoreFile(name, hashlib.sha256(data).hexdigest(), meta, tuple(chunk_text(body)))


def _split(text: str, shown: str) -> tuple[dict[str, Any], list[str], str]:
    """Front-matter (parsed), its lines, and the body."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != _FENCE:
        return {}, [], text
    for end in range(1, len(lines)):
        if lines[end].strip() == _FENCE:
            break
    else:
        raise ContentError(
            [(f"{shown}:1", "front-matter", f"opens with {_FENCE} but never closes; add a line "
              f"with {_FENCE} after it.")]
        )  # fmt: skip
    header = lines[1:end]
    try:
        raw = tomllib.loads("\n".join(header))
    except tomllib.TOMLDecodeError as exc:
        reason, _, where = str(exc).partition(" (at ")
        found = _TOML_LINE.search(where)
        line = int(found.group(1)) + 1 if found else len(header) + 1  # else: at its end
        reason = reason[:1].lower() + reason[1:]
        raise ContentError(
            [(f"{shown}:{line}", "front-matter", f"is not valid TOML ({reason}).")]
        ) from exc
    return raw, header, "\n".join(lines[end + 1 :])


def _meta(raw: dict[str, Any], header: list[str], shown: str) -> LoreMeta:
    try:
        return LoreMeta.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = [str(p) for p in error["loc"]]
            problems.append(
                (f"{shown}:{_line_of(header, loc)}", ".".join(loc), _hint(error["msg"], loc))
            )
        raise ContentError(problems) from exc


def _hint(message: str, loc: list[str]) -> str:
    if message.startswith("Extra inputs"):
        if loc[0] == "requires":
            return (
                "unknown field; requires takes in_room, holding, dead, gone, lit, "
                "score_at_least, if."
            )
        return "unknown key; the front-matter takes title, importance, tags, requires."
    return message


def _check_gate(
    meta: LoreMeta, header: list[str], shown: str, known_ids: Collection[str] | None
) -> list[tuple[str, str, str]]:
    gate = meta.requires
    if gate is None:
        return []
    problems = []
    if gate.message:
        problems.append(
            (f"{shown}:{_line_of(header, ['requires', 'message'])}", "requires.message",
             "a gate says nothing; remove message.")
        )  # fmt: skip
    if gate.if_ is not None:
        where = f"{shown}:{_line_of(header, ['requires', 'if'])}"
        found: list[tuple[str, str, str]] = []
        check_expression(
            gate.if_, where, "requires.if", known_ids or (), lambda *p: found.append(p)
        )
        if known_ids is None:  # the game's ids are not known here: only syntax and names
            found = [p for p in found if "of this game" not in p[2]]
        problems += found
    if known_ids is not None:
        named: Iterable[tuple[str, str]] = [
            *((("in_room", gate.in_room),) if gate.in_room else ()),
            *(("holding", i) for i in gate.holding),
            *(("gone", i) for i in gate.gone),
            *(("lit", i) for i in gate.lit),
        ]
        for field, ident in named:
            if ident not in known_ids:
                problems.append(
                    (f"{shown}:{_line_of(header, ['requires', field])}", f"requires.{field}",
                     f"nothing in the game has the id {ident!r}; check it against the world "
                     "files.")
                )  # fmt: skip
    return problems


def _line_of(header: list[str], loc: list[str]) -> int:
    """The file line (1 is the opening fence) where ``loc`` is most likely set."""
    start = 0
    found = 0
    for depth, key in enumerate(loc):
        if key.isdigit():
            continue
        pattern = re.compile(rf"(^|[{{,\s\[.]){re.escape(key)}\s*(=|\]|\.)")
        for i in range(start, len(header)):
            if pattern.search(header[i]):
                found, start = i + 2, i
                break
        else:
            if depth == 0:
                return 1
    return found or 1

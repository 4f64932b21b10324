"""The prompt library: the built-in prompts, then a game's own.

Prompts are found by ``(id, version)``::

    fabula/prompts/library/*.j2     the built-in prompts (package data)
    <game>/prompts/*.j2             a game's prompts: each replaces the
                                    built-in one with the same id and
                                    version, or adds a version

Invariants:
    * every file is read, checked and compiled once, when the library is
      loaded; lookups and renders never touch the disk;
    * within one folder an ``(id, version)`` is defined once (a second file
      claiming it is an error, not a silent winner); across folders the
      later folder wins, which is how a game overrides a built-in prompt;
    * every problem in every file is reported at once, in one
      :class:`~fabula.prompts.PromptError`, as the content loader does;
    * the newest version is the greatest by :func:`version_key`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from jinja2.sandbox import SandboxedEnvironment

from fabula.errors import PromptError, UnknownPromptError
from fabula.prompts.format import Problem, new_environment
from fabula.prompts.prompt import Prompt, parse

__all__ = ["BUILTIN", "PromptLibrary", "version_key"]

BUILTIN = "library"
"""The folder of :mod:`fabula.prompts` that holds the built-in prompt files."""

_CHUNKS = re.compile(r"(\d+)")


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key of a version: runs of digits compare as numbers, the rest as
    text ("natural" order), so integers compare numerically.

    >>> sorted(["10", "9", "2b", "2", "1.10", "1.9"], key=version_key)
    ['1.9', '1.10', '2', '2b', '9', '10']
    """
    return tuple(
        (0, int(chunk)) if chunk.isdigit() else (1, chunk)
        for chunk in _CHUNKS.split(version)
        if chunk
    )


class PromptLibrary:
    """Prompts by id and version.

    Most callers want :meth:`load`. The constructor takes prompts already
    read, later ones replacing earlier ones with the same id and version.

    Example:
        >>> library = PromptLibrary.load()
        >>> library.get("narrator").version == library.versions("narrator")[-1]
        True
        >>> str(library.get("parser", "1").ref).startswith("parser@1#")
        True
    """

    def __init__(self, prompts: Iterable[Prompt] = ()) -> None:
        self._prompts: dict[str, dict[str, Prompt]] = {}
        for prompt in prompts:
            self._prompts.setdefault(prompt.id, {})[prompt.version] = prompt
        self._order = {
            id_: tuple(sorted(by_version, key=version_key))
            for id_, by_version in self._prompts.items()
        }

    @classmethod
    def load(cls, *folders: str | Path | None, builtin: bool = True) -> PromptLibrary:
        """The built-in prompts, then each folder's in order (later ones win).

        A folder that is ``None`` or does not exist is skipped, so a game's
        ``prompts/`` folder can be passed whether the game has one or not::

            PromptLibrary.load(game.files.root / "prompts")

        Args:
            folders: folders of ``*.j2`` prompt files (not searched recursively).
            builtin: start from the built-in prompts (``False`` in tests that
                want a library of their own files only).

        Raises:
            PromptError: every problem in every file (bad front matter, a
                template syntax error, an ``(id, version)`` defined twice in
                one folder, a folder path that is a file).
        """
        environment = new_environment()
        problems: list[Problem] = []
        prompts: list[Prompt] = []
        if builtin:
            package = resources.files("fabula.prompts") / BUILTIN
            entries = sorted(
                (p for p in package.iterdir() if p.name.endswith(".j2")), key=lambda p: p.name
            )
            prompts += _read_folder(
                ((f"fabula/prompts/{BUILTIN}/{p.name}", p.read_bytes()) for p in entries),
                environment,
                problems,
            )
        for folder in folders:
            if folder is None:
                continue
            folder = Path(folder)
            if not folder.exists():
                continue
            if not folder.is_dir():
                problems.append(
                    (str(folder), "", "is not a folder; prompt files go in a prompts/ folder")
                )
                continue
            prompts += _read_folder(_files(folder, problems), environment, problems)
        if problems:
            raise PromptError(problems)
        return cls(prompts)

    # ---------------------------------------------------------------- lookups

    def get(self, id: str, version: str | None = None) -> Prompt:
        """The prompt ``id`` at ``version``; the newest when ``version`` is
        ``None`` or empty (as a model setting's ``prompt = ""`` means).

        Raises:
            UnknownPromptError: no prompt has that id, or not that version.
        """
        prompt = self.try_get(id, version)
        if prompt is None:
            raise UnknownPromptError(id, version or "", self.versions(id), self.ids())
        return prompt

    def try_get(self, id: str, version: str | None = None) -> Prompt | None:
        """:meth:`get`, but ``None`` where it would raise."""
        by_version = self._prompts.get(id)
        if by_version is None:
            return None
        if not version:
            return by_version[self._order[id][-1]]
        return by_version.get(version)

    def versions(self, id: str) -> tuple[str, ...]:
        """The versions of ``id``, oldest first (empty if there is no such id)."""
        return self._order.get(id, ())

    def ids(self) -> tuple[str, ...]:
        """Every prompt id, sorted."""
        return tuple(sorted(self._prompts))

    def __contains__(self, id: object) -> bool:
        return id in self._prompts

    def __iter__(self) -> Iterator[Prompt]:
        """Every prompt, by id, then version (oldest first)."""
        for id_ in self.ids():
            for version in self._order[id_]:
                yield self._prompts[id_][version]

    def __len__(self) -> int:
        return sum(len(v) for v in self._prompts.values())

    def __repr__(self) -> str:
        return f"<PromptLibrary {', '.join(str(p.ref) for p in self)}>"


def _files(folder: Path, problems: list[Problem]) -> Iterator[tuple[str, bytes]]:
    """``(label, bytes)`` of each ``*.j2`` in ``folder``, by name; the label is
    the path from the folder's grandparent (``gulls_end/prompts/x.j2``), as the
    content loader shows a game's files. Unreadable files become problems."""
    for path in sorted(folder.glob("*.j2")):
        try:
            label = str(path.relative_to(folder.parent.parent))
        except ValueError:
            label = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append((label, "", f"cannot be read ({exc.strerror})"))
            continue
        yield label, data


def _read_folder(
    files: Iterable[tuple[str, bytes]], environment: SandboxedEnvironment, problems: list[Problem]
) -> list[Prompt]:
    """The prompts of one folder; duplicates within it are problems."""
    found: dict[tuple[str, str], Prompt] = {}
    for label, data in files:
        prompt, trouble = parse(data, label, environment)
        problems += trouble
        if prompt is None:
            continue
        key = (prompt.id, prompt.version)
        if key in found:
            problems.append(
                (label, "",
                 f"defines {prompt.id!r} version {prompt.version!r}, which {found[key].file} "
                 "already defines in the same folder; give one of them another version")
            )  # fmt: skip
            continue
        found[key] = prompt
    return list(found.values())

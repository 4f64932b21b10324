"""A game's template files, read safely, and their failures told plainly.

:class:`BoundedLoader` reads a game's ``templates/`` folder for the
:class:`~fabula.content.BoundedEnvironment`: regular files only (a FIFO or
a device could block a read or never end), at most
:data:`MAX_TEMPLATE_BYTES`, UTF-8; any other is a
:class:`~fabula.errors.ContentError` naming the file.
:func:`template_problem` turns whatever a template raised into the
``(file, where, message)`` an author can act on: its file and line and why.
"""

from __future__ import annotations

import stat
import traceback
from pathlib import Path
from typing import Any, NoReturn

from jinja2 import BaseLoader, Environment, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from fabula.errors import ContentError

__all__ = ["MAX_TEMPLATE_BYTES", "BoundedLoader", "shown_path", "template_problem"]

MAX_TEMPLATE_BYTES = 256 * 1024
"""The largest template file read."""


class BoundedLoader(BaseLoader):
    """Templates from a game's ``templates/`` folder: regular files (no FIFO
    or device can block a read), at most :data:`MAX_TEMPLATE_BYTES`, UTF-8.

    Raises (from ``get_source``):
        ContentError: a file that cannot be used, named as the game loader
            names files (from the folder above the game's).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        parts = [p for p in template.split("/") if p not in ("", ".")]
        if any(p == ".." for p in parts):
            raise TemplateNotFound(template)
        path = self.folder.joinpath(*parts)
        try:
            info = path.stat()
        except OSError:
            raise TemplateNotFound(template) from None
        if not stat.S_ISREG(info.st_mode):
            self._refuse(path, "", "is not a regular file; a template must be a text file")
        if info.st_size > MAX_TEMPLATE_BYTES:
            self._refuse(
                path, "",
                f"is {info.st_size:,} bytes; a template may hold at most {MAX_TEMPLATE_BYTES:,}",
            )  # fmt: skip
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_TEMPLATE_BYTES + 1)
        except OSError as exc:
            self._refuse(path, "", f"cannot be read ({exc.strerror or exc})")
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            self._refuse(
                path, f"line {line}",
                f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8",
            )  # fmt: skip
        mtime = info.st_mtime
        return source, str(path), lambda: _mtime(path) == mtime

    def _refuse(self, path: Path, where: str, message: str) -> NoReturn:
        raise ContentError([(shown_path(path, self.folder.parent), where, message)])


def shown_path(path: Path | str, root: Path) -> str:
    """``path`` as messages about a game show it: from the folder holding the
    game (``my-game/templates/actions/take.j2``), or whole if it is elsewhere."""
    try:
        return str(Path(path).relative_to(root.parent))
    except ValueError:
        return str(path)


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def template_problem(exc: BaseException, name: str, root: Path | None) -> tuple[str, str, str]:
    """``(file, where, message)`` for a template that failed to load or render:
    the template's file and line (Jinja2 keeps template lines in its
    tracebacks) and what went wrong, in words an author can act on.

    Args:
        exc: what the template raised.
        name: the template's file, or its name (``actions/take.j2``) if it
            has none; used when the traceback shows no template line.
        root: the game's folder, to show files from the folder above it.
    """
    file: str | None = None
    line: int | None = None
    if isinstance(exc, TemplateSyntaxError):
        file, line, message = exc.filename, exc.lineno, f"syntax error: {exc.message}"
    else:
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.endswith(".j2"):
                file, line = frame.filename, frame.lineno
        if isinstance(exc, UndefinedError):
            message = f"{exc.message}; check it against the names templates see (docs/errors.md)"
        elif isinstance(exc, SecurityError):
            message = f"refused: {exc}"
        elif isinstance(exc, RecursionError):
            message = "calls itself without end (a macro that never stops)"
        else:
            message = f"{type(exc).__name__}: {exc}"
    file = file or name
    shown = shown_path(file, root) if root is not None else file
    return shown, f"line {line}" if line else "", message

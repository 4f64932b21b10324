"""What a game folder may hold, so that no folder can hang or crash the engine.

A game folder is input like any other: it may come from anyone. Each limit
is reported as a problem with the file (and line or key) at fault, among the
others :func:`~fabula.content.load` collects:

* a TOML file is a regular file (no FIFO or device, which could block or
  never end) of at most :data:`MAX_TOML_BYTES`, in UTF-8;
* its tables and arrays nest at most :data:`MAX_DEPTH` levels (Python's
  TOML reader recurses on nesting, and a few thousand levels exhaust it);
* its numbers lie within :data:`MAX_NUMBER` either side of zero (the world
  stores 64-bit numbers, and sums of them must fit);
* its text holds no control characters but newlines and tabs (an escape
  sequence in a description would drive the player's terminal);
* a game has at most :data:`MAX_WORLD_FILES` world files and
  :data:`MAX_PYTHON_FILES` Python files.

Templates have their own limits (:mod:`fabula.content.sandbox`).
"""

from __future__ import annotations

import re
import stat
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = [
    "MAX_DEPTH",
    "MAX_NUMBER",
    "MAX_PYTHON_FILES",
    "MAX_TOML_BYTES",
    "MAX_WORLD_FILES",
    "containment_cycles",
    "read_toml",
]

MAX_TOML_BYTES = 4 * 1024 * 1024
"""The largest TOML file read (a world of thousands of rooms fits)."""

MAX_DEPTH = 16
"""How deep tables and arrays may nest in a TOML file."""

MAX_NUMBER = 2**53 - 1
"""The largest number (either side of zero) in a TOML file."""

MAX_WORLD_FILES = 1000
"""The most ``world/*.toml`` files a game may have."""

MAX_PYTHON_FILES = 500
"""The most ``.py`` files under ``actions/`` and ``components/`` together."""

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters no game text may hold (an escape sequence could clear
or retitle the player's terminal); newlines, tabs and carriage returns pass."""

Add = Callable[[Path, str, str], None]
"""How problems are reported: ``add(file, where, message)``."""


def read_toml(path: Path, add: Add) -> dict[str, Any] | None:
    """The TOML file at ``path``, or ``None`` after reporting why it cannot
    be used (missing, not a regular file, too big, not UTF-8, not TOML,
    nested too deeply, a number too large)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        add(path, "", "missing; every game needs one")
        return None
    except OSError as exc:
        add(path, "", f"cannot be read ({exc.strerror or exc})")
        return None
    if not stat.S_ISREG(info.st_mode):
        add(path, "", "is not a regular file; game files must be text files")
        return None
    if info.st_size > MAX_TOML_BYTES:
        add(path, "", f"is {info.st_size:,} bytes, more than {MAX_TOML_BYTES:,}; split it up")
        return None
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_TOML_BYTES + 1)
    except OSError as exc:
        add(path, "", f"cannot be read ({exc.strerror or exc})")
        return None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        add(
            path, f"line {line}",
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
        )  # fmt: skip
        return None
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        add(path, "", f"not valid TOML ({exc})")
        return None
    except RecursionError:
        add(path, "", f"tables or arrays nest too deeply (at most {MAX_DEPTH} levels)")
        return None
    except ValueError as exc:  # a number of more digits than Python converts
        add(path, "", f"not valid TOML ({exc})")
        return None
    return parsed if _within_limits(parsed, path, add) else None


def _within_limits(data: dict[str, Any], path: Path, add: Add) -> bool:
    """Whether ``data`` nests and counts within the limits; each place it
    does not is reported. Walked with a stack, not recursion."""
    sound = True
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                add(path, where, f"nests more than {MAX_DEPTH} levels deep")
                sound = False
                continue
            pairs = value.items() if isinstance(value, dict) else enumerate(value)
            for key, inner in pairs:
                inner_where = f"{where}.{key}" if where else str(key)
                stack.append((inner, inner_where, depth + 1))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            add(path, where, f"{_short(value)} is too large (at most {MAX_NUMBER:,} either way)")
            sound = False
        elif isinstance(value, str) and (found := _CONTROL.search(where + value)):
            add(
                path, where,
                f"holds the control character U+{ord(found.group()):04X}, which could "
                "drive the player's terminal; text may hold newlines and tabs, not these",
            )  # fmt: skip
            sound = False
    return sound


def _short(number: int) -> str:
    digits = str(abs(number)) if number.bit_length() < 10_000 else "a number of thousands of digits"
    sign = "-" if number < 0 else ""
    return sign + digits if len(digits) <= 24 else f"{sign}{digits[:12]}… ({len(digits)} digits)"


def containment_cycles(locations: dict[str, str]) -> list[list[str]]:
    """Every cycle of things inside or on each other (``a`` in ``b``, ``b``
    in ``a``), each once, as the ids around it in order. ``locations`` maps
    an item's id to its location (``"in:box"``, ``"on:table"``, a room...).

    >>> containment_cycles({"a": "in:b", "b": "on:a", "c": "in:a", "d": "hall"})
    [['a', 'b']]
    """
    holder = {
        ident: where.partition(":")[2]
        for ident, where in locations.items()
        if where.partition(":")[0] in {"in", "on"}
    }
    cycles: list[list[str]] = []
    done: set[str] = set()
    for start in sorted(holder):
        path: list[str] = []
        seen: dict[str, int] = {}
        current: str | None = start
        while current is not None and current not in done and current not in seen:
            seen[current] = len(path)
            path.append(current)
            current = holder.get(current)
        if current is not None and current in seen:
            cycles.append(path[seen[current] :])
        done.update(path)
    return cycles

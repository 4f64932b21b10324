"""The one boundary every ``fabula`` command runs inside.

Whatever a user can cause or suffer ends in a message, never a traceback on
the screen:

* a :class:`~fabula.errors.FabulaError` (a damaged save, a game folder with
  problems, a disk that refuses a write) is one message on stderr naming the
  file, and where in it, and what to do; exit status 2;
* anything else is a fault in fabula or in a game's Python: a short message
  on stderr with the path of a crash report (the traceback is in the report,
  for whoever fixes it); exit status 70 (``EX_SOFTWARE``);
* Ctrl-C outside the game's prompt ends the command quietly; exit status 130;
* a reader that went away (``fabula play | head``) ends it quietly too; exit
  status 141, as a shell reports SIGPIPE.

Crash reports go to ``$XDG_STATE_HOME/fabula/crashes/`` (by default
``~/.local/state/fabula/crashes/``), or ``$FABULA_CRASH_DIR`` when set, or
the system's temporary folder when neither can be written. See docs/errors.md.
"""

from __future__ import annotations

import contextlib
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from fabula import __version__
from fabula.errors import FabulaError

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_CRASH",
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "crash_folder",
    "guarded",
    "printable",
]

EXIT_ERROR = 2
"""A :class:`~fabula.errors.FabulaError`: something to fix in a file or setting."""

EXIT_CRASH = 70
"""An unexpected exception: a bug, reported with a crash report (``EX_SOFTWARE``)."""

EXIT_INTERRUPTED = 130
"""Ctrl-C outside the game's prompt (128 + SIGINT)."""

EXIT_BROKEN_PIPE = 141
"""The reader of the output went away (128 + SIGPIPE)."""

_KEEP = frozenset("\n\t")


def printable(text: str) -> str:
    """``text`` safe to put on a terminal: control and escape characters
    (from a file name, a damaged file, a game's text) are shown as ``\\x1b``
    and the like rather than sent, so no message can move the cursor,
    recolour the screen or retitle the window.

    >>> printable("save\\x1b]0;owned\\x07.save")
    'save\\\\x1b]0;owned\\\\x07.save'
    """
    return "".join(
        c
        if c in _KEEP or not (c < " " or "\x7f" <= c <= "\x9f" or "\ud800" <= c <= "\udfff")
        else repr(c)[1:-1]
        for c in text
    )


def crash_folder() -> Path:
    """Where crash reports are written (created on first use)."""
    chosen = os.environ.get("FABULA_CRASH_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "fabula" / "crashes"


def guarded(command: str, run: Callable[[], int], argv: Sequence[str] = ()) -> int:
    """Run one command inside the boundary; return its exit status."""
    try:
        return run()
    except FabulaError as exc:
        _say(f"fabula {command}: {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _say("")  # end the line ^C was echoed on, and nothing more
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except (Exception, RecursionError, MemoryError) as exc:
        report = _write_report(command, argv, exc)
        where = f"A crash report was written to {report}" if report else "No report was written"
        _say(
            f"fabula {command}: an internal error stopped the command ({type(exc).__name__}). "
            f"{where}; please attach it when you report the problem."
            + (" Every turn shown was saved." if command == "play" else "")
        )
        return EXIT_CRASH


def _say(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # stderr gone: nothing more can be said
        print(printable(message), file=sys.stderr, flush=True)


def _quiet_stdout() -> None:
    """Point stdout at nothing, so Python's exit flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _write_report(command: str, argv: Sequence[str], exc: BaseException) -> Path | None:
    """Write the crash report; return its path, or ``None`` if no folder took it."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    name = f"crash-{stamp}-{os.getpid()}.txt"
    text = "".join(
        [
            f"fabula {__version__} crash report\n",
            f"command: fabula {' '.join(argv) or command}\n",
            f"python: {sys.version.split()[0]} on {platform.platform()}\n",
            f"time (UTC): {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())}\n\n",
            *traceback.format_exception(exc),
        ]
    )
    for folder in (crash_folder(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text, encoding="utf-8", errors="backslashreplace")
        except OSError:
            continue
        return path
    return None

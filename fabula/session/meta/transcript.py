"""SCRIPT (``transcript``): a copy of the session's text in a file beside
the save, as Inform's SCRIPT ON prints one.

The file is ``<save name>.transcript.txt`` next to the save and is appended
to, so turning the transcript off and on again, or playing on another day,
adds to one record. Each input is written as ``> input`` followed by its
reply, as the player saw it. A transcript that cannot be written is closed
and the player told; the game goes on.
"""

from __future__ import annotations

import contextlib
import datetime
from pathlib import Path
from typing import TextIO

__all__ = ["Transcript", "transcript_path"]


def transcript_path(save_path: Path) -> Path:
    """Where the transcript of the save at ``save_path`` is written."""
    return save_path.with_name(save_path.stem + ".transcript.txt")


class Transcript:
    """An open transcript file (append-only).

    Raises:
        OSError: from :meth:`open` and :meth:`write` when the file cannot be
            written (the callers tell the player and close it).
    """

    def __init__(self, path: Path, handle: TextIO) -> None:
        self.path = path
        self._handle = handle

    @classmethod
    def open(cls, path: Path, title: str) -> Transcript:
        """Start (or continue) the transcript at ``path`` with a heading."""
        handle = path.open("a", encoding="utf-8")
        stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
        handle.write(f"Start of a transcript of {title} ({stamp})\n\n")
        handle.flush()
        return cls(path, handle)

    def write(self, command: str, reply: str) -> None:
        """Add one input and its reply."""
        self._handle.write(f"> {command}\n{reply}\n\n")
        self._handle.flush()

    def close(self, footer: str = "") -> None:
        """End the transcript (with ``footer``, if any); closing twice is
        harmless. A footer that cannot be written is left out: the session
        is ending, and what was written before stays."""
        if self._handle.closed:
            return
        try:
            if footer:
                self._handle.write(footer + "\n")
        except OSError:
            pass  # the transcript so far is on disk; only its last line is missing
        finally:
            with contextlib.suppress(OSError):
                self._handle.close()

"""The save's ``meta`` table: which game, from which seed, since when.

Written once, when the game begins, and never changed: the game's stable id,
the seed, the digest of the turn-0 world and the creation time. Together
they are the save's **identity**: a copy made by ``save_as`` shares it, an
unrelated save (even of the same game and seed) does not. The lock file's
journal mark names the save by it (:mod:`fabula.persistence.lock`), so a mark
left by one game is never held against another.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from fabula.errors import SaveContentError

__all__ = ["SaveMeta", "read_meta"]


@dataclass(frozen=True, slots=True)
class SaveMeta:
    """A save's ``meta`` rows, checked.

    Attributes:
        game: the game's stable id.
        seed: the seed of the turn-0 world.
        start_digest: the state digest of the turn-0 world.
        created_at: when the save was created (seconds, as text).
    """

    game: str
    seed: int
    start_digest: str
    created_at: str

    def identity(self) -> str:
        """32 hex digits naming this save (and its copies) among all others."""
        data = "\0".join((self.game, str(self.seed), self.start_digest, self.created_at))
        return hashlib.blake2b(data.encode(), digest_size=16).hexdigest()

    def rows(self) -> dict[str, str]:
        """The rows to write, by key."""
        return {
            "game": self.game,
            "seed": str(self.seed),
            "start_digest": self.start_digest,
            "created_at": self.created_at,
        }


def read_meta(conn: sqlite3.Connection, path: Path) -> SaveMeta:
    """Read and check the ``meta`` table.

    Raises:
        SaveContentError: a row is missing or holds something it cannot.
        sqlite3.Error: the table cannot be read (the caller translates it).
    """
    rows = conn.execute("SELECT key, value FROM meta").fetchall()
    found: dict[str, object] = {}
    for key, value in rows:
        if isinstance(key, str):
            found[key] = value
    values: dict[str, str] = {}
    for key in ("game", "seed", "start_digest", "created_at"):
        value = found.get(key)
        if not isinstance(value, str) or not value:
            what = "is missing" if key not in found else f"holds {_shown(value)}, not text"
            raise SaveContentError(
                path,
                f"{what}. The save's record of its game is damaged, and without it the game "
                "cannot be rebuilt; restore the save from a backup, or start a new game with "
                "--new.",
                table="meta",
                row=f"key {key!r}",
            )
        values[key] = value
    try:
        seed = int(values["seed"])
    except ValueError:
        raise SaveContentError(
            path,
            f"holds {_shown(values['seed'])}, not a whole number. The save's record of its game "
            "is damaged; restore the save from a backup, or start a new game with --new.",
            table="meta",
            row="key 'seed'",
        ) from None
    return SaveMeta(values["game"], seed, values["start_digest"], values["created_at"])


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."

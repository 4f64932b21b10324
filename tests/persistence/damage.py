"""Real saves to damage, and the tools that damage them, for the damaged-save corpus.

Sources are real saves made by playing: the keep game's, and the demo's
(30 turns through its session, the last of them still in the ``-wal``). A
*crashed* source is copied while its game is open (save, ``-wal`` and lock
file, as a SIGKILL would leave them); an *unflushed* one never wrote a
snapshot, so opening it replays its whole journal, and it was checkpointed
into one file (no ``-wal``, no lock file) so its rows can be edited with SQL.

The WAL tools compute SQLite's checksum with an independent pure-Python
version of the algorithm (``sqlite_checksum``), to forge headers and frames
that SQLite itself would accept.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fabula.content import ContentGame
from fabula.games import DEMO
from fabula.persistence import FlushPolicy, SaveFile, state_digest
from fabula.session import Session
from tests.persistence.keep_game import GAME, script

DEMO_WALK = """w; take lantern; take tinderbox and gaff; light lantern; e; n; talk to tamsin;
ask tamsin about the crab; in; take wick; out; s; e; n; in; attack crab with gaff; g; g; g; g;
take key; n; take coat; wear coat; open satchel; take oil; s; out; s; w"""
DEMO_COMMANDS = [c.strip() for c in DEMO_WALK.replace("\n", " ").split(";")]
HEADER, FRAME_HEADER = 32, 24


@dataclass(frozen=True)
class Source:
    """A save to copy and damage.

    Attributes:
        folder: holds the save and its companions, exactly as left.
        name: the save's file name.
        game: its game; ``game_arg`` names it to ``fabula replay --game``.
        turns: the turns its player was shown.
        digest: the state digest at that turn.
        playable: whether ``fabula play`` can open it (a game folder's save).
    """

    folder: Path
    name: str
    game: Any
    game_arg: str
    turns: int
    digest: str
    playable: bool

    def copy_to(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for entry in self.folder.iterdir():
            shutil.copyfile(entry, folder / entry.name)
        return folder / self.name


def copy_open(path: Path, folder: Path) -> None:
    """Copy an open save as a crash would leave it: file, -wal, lock file."""
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", ".lock"):
        if Path(f"{path}{suffix}").exists():
            shutil.copyfile(f"{path}{suffix}", folder / f"{path.name}{suffix}")


def into_one_file(folder: Path) -> None:
    """Checkpoint a crashed copy into its main file (what the next open would
    recover is then in the file alone) and drop its lock file."""
    for entry in folder.glob("*.lock"):
        entry.unlink()
    for entry in folder.glob("*.save"):
        conn = sqlite3.connect(entry)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        assert not wal_path(entry).exists()


def keep_source(
    root: Path, label: str, *, turns: int, seed: int = 3, every: int = 7, early: int = 0
) -> Source:
    """A keep-game save crashed after ``turns`` turns; with ``early``, also
    copied as it was at that turn, into the folder ``<label>-early``."""
    work, folder = root / f"{label}-play", root / label
    work.mkdir(parents=True)
    save = SaveFile.new(work / "game.save", GAME, seed=seed, policy=FlushPolicy(every, 3600))
    for number, (text, actions) in enumerate(script(turns), 1):
        save.play(text, actions)
        if number == early:
            copy_open(save.path, root / f"{label}-early")
    copy_open(save.path, folder)
    source = Source(
        folder, "game.save", GAME, "keep_game:GAME", turns, state_digest(save.world), False
    )
    save.close()
    return source


def keep_closed(root: Path) -> Source:
    """A keep-game save closed cleanly after 12 turns: one file."""
    folder = root / "keep-closed"
    folder.mkdir(parents=True)
    with SaveFile.new(folder / "game.save", GAME, seed=3) as save:
        for text, actions in script(12):
            save.play(text, actions)
        digest = state_digest(save.world)
    return Source(folder, "game.save", GAME, "keep_game:GAME", 12, digest, False)


def demo_source(root: Path, label: str, *, every: int) -> Source:
    """The demo played 30 turns through its session, crashed (copied open)."""
    work, folder = root / f"{label}-play", root / label
    work.mkdir(parents=True)
    game = ContentGame.load(DEMO)
    session = Session.start(game, work / "demo.save", new=True, policy=FlushPolicy(every, 3600))
    for command in DEMO_COMMANDS:
        session.turn(command)
    copy_open(session.save.path, folder)
    source = Source(
        folder, "demo.save", game, str(DEMO), session.save.turn, state_digest(session.world), True
    )
    session.close()
    return source


def foreign_wal(root: Path) -> bytes:
    """The -wal of another program's database, copied while it ran."""
    folder = root / "foreign"
    folder.mkdir(parents=True)
    conn = sqlite3.connect(folder / "songs.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE songs (title TEXT, year INTEGER)")
    for year in range(200):
        conn.execute("INSERT INTO songs VALUES (?, ?)", (f"song {year}", 1800 + year))
    data = (folder / "songs.db-wal").read_bytes()
    conn.close()
    return data


# ------------------------------------------------------------------ the WAL


def sqlite_checksum(data: bytes, big: bool, seed: tuple[int, int] = (0, 0)) -> tuple[int, int]:
    """SQLite's WAL checksum, word pair by word pair (the reference version)."""
    s0, s1 = seed
    words = struct.unpack(f"{'>' if big else '<'}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def wal_path(save: Path) -> Path:
    return Path(f"{save}-wal")


def page_size(save: Path) -> int:
    size = int.from_bytes(save.read_bytes()[16:18], "big")
    return 65536 if size == 1 else size


def frame_offset(save: Path, frame: int) -> int:
    """Where frame ``frame`` (from 1) starts in the save's -wal."""
    return HEADER + (frame - 1) * (FRAME_HEADER + page_size(save))


def frames(save: Path) -> int:
    return (wal_path(save).stat().st_size - HEADER) // (FRAME_HEADER + page_size(save))


def edit_wal(save: Path, change: Callable[[bytearray], None]) -> None:
    data = bytearray(wal_path(save).read_bytes())
    change(data)
    wal_path(save).write_bytes(bytes(data))


def flip(offset: int) -> Callable[[bytearray], None]:
    def change(data: bytearray) -> None:
        data[offset] ^= 0x55

    return change


def set_header(data: bytearray, **fields: int) -> None:
    """Set WAL header words by name and re-sign the header, as SQLite would."""
    names = ["magic", "version", "page_size", "checkpoint", "salt1", "salt2"]
    words = list(struct.unpack_from(">6I", data))
    for name, value in fields.items():
        words[names.index(name)] = value
    struct.pack_into(">6I", data, 0, *words)
    struct.pack_into(">2I", data, 24, *sqlite_checksum(bytes(data[:24]), bool(words[0] & 1)))


def append_frame(save: Path, *, salts_delta: int = 0, commit: bool = False) -> None:
    """Append one frame chained to the last (an uncommitted page, unless
    ``commit``); with ``salts_delta``, under other salts (a stale frame)."""
    page = page_size(save)
    data = bytearray(wal_path(save).read_bytes())
    big = bool(struct.unpack_from(">I", data)[0] & 1)
    salt1, salt2 = struct.unpack_from(">2I", data, 16)
    last = frame_offset(save, frames(save))
    seed = struct.unpack_from(">2I", data, last + 16)
    number, size = struct.unpack_from(">2I", data, last)
    head = struct.pack(
        ">4I", number, size if commit else 0, (salt1 + salts_delta) & 0xFFFFFFFF, salt2
    )
    body = bytes(data[last + FRAME_HEADER : last + FRAME_HEADER + page])
    check = sqlite_checksum(head[:8] + body, big, seed)
    wal_path(save).write_bytes(bytes(data) + head + struct.pack(">2I", *check) + body)


# ------------------------------------------------------------ the main file


def sql(save: Path, *statements: str | tuple[str, tuple[Any, ...]]) -> None:
    """Run statements on a one-file save with plain SQLite (as a user editing it would)."""
    conn = sqlite3.connect(save)
    for statement in statements:
        text, args = statement if isinstance(statement, tuple) else (statement, ())
        conn.execute(text, args)
    conn.commit()
    conn.close()


def stamp_of(save: Path, turn: int) -> str:
    """The stamp of journal row ``turn`` (read from a copy: SQLite would
    checkpoint the save's own -wal)."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / save.name
        shutil.copyfile(save, copy)
        if wal_path(save).exists():
            shutil.copyfile(wal_path(save), wal_path(copy))
        conn = sqlite3.connect(copy)
        try:
            (started,) = conn.execute(
                "SELECT started_at FROM journal WHERE turn = ?", (turn,)
            ).fetchone()
        finally:
            conn.close()
    return struct.pack("<d", started).hex()


def root_page(save: Path, table: str) -> int:
    conn = sqlite3.connect(save)
    try:
        (page,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
    finally:
        conn.close()
    return int(page)


def smash_page(save: Path, page: int) -> None:
    """Overwrite page ``page`` of the file with noise (a bad sector)."""
    size = page_size(save)
    data = bytearray(save.read_bytes())
    noise = bytes((i * 151 + 7) % 256 for i in range(size))
    data[(page - 1) * size : page * size] = noise
    save.write_bytes(bytes(data))


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (links not followed), by name, with its bytes."""
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.is_symlink():
            found[entry.name] = b"-> " + os.readlink(entry).encode()
        elif entry.is_file():
            found[entry.name] = entry.read_bytes()
    return found

"""The damaged-save corpus: each case a real save, damaged one way.

A case copies a source save (see ``damage.py``) and damages the copy. It
says what fabula must do with it: refuse it with a given
:class:`~fabula.errors.PersistenceError` whose message matches ``says`` (and
names the file), or open it whole (every turn shown, the same world), for
damage that costs nothing (an interrupted transaction's tail, a stray file).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import msgspec

from fabula.errors import (
    NotASaveError,
    PersistenceError,
    ReplayError,
    SaveContentError,
    SaveVersionError,
    WalError,
)
from fabula.persistence.lock import JournalMark
from tests.persistence.damage import (
    FRAME_HEADER,
    HEADER,
    append_frame,
    edit_wal,
    flip,
    frame_offset,
    frames,
    root_page,
    set_header,
    smash_page,
    sql,
    stamp_of,
    wal_path,
)

Damage = Callable[[Path, dict[str, bytes]], None]


@dataclass(frozen=True)
class Case:
    """One damaged save.

    Attributes:
        name: what was done to it.
        source: which source save it was copied from.
        damage: does it, given the copy's path and the corpus's spare files.
        refuse: the error fabula must refuse it with (``None``: it must open whole).
        says: a pattern the refusal's message must contain.
        read_only: make its folder read-only after damaging it.
    """

    name: str
    source: str
    damage: Damage
    refuse: type[PersistenceError] | None
    says: str = ""
    read_only: bool = False


def wal(change: Callable[[Path, bytearray], None]) -> Damage:
    """A damage applied to the -wal's bytes (given the save, for its page size)."""

    def damage(save: Path, spare: dict[str, bytes]) -> None:
        edit_wal(save, lambda data: change(save, data))

    return damage


def frame_byte(frame: int | str, within: int) -> Damage:
    """Flip one byte at ``within`` of a frame (``"middle"``/``"last"`` or a number)."""

    def change(save: Path, data: bytearray) -> None:
        count = frames(save)
        number = {"middle": count // 2, "last": count}.get(str(frame), frame)
        flip(frame_offset(save, int(number)) + within)(data)

    return wal(change)


def frame_word(frame: str, word: int, value: int) -> Damage:
    def change(save: Path, data: bytearray) -> None:
        count = frames(save)
        number = {"middle": count // 2, "last": count, "first": 1}[frame]
        struct.pack_into(">I", data, frame_offset(save, number) + 4 * word, value)

    return wal(change)


def replace_wal(make: Callable[[Path, dict[str, bytes]], bytes]) -> Damage:
    def damage(save: Path, spare: dict[str, bytes]) -> None:
        wal_path(save).write_bytes(make(save, spare))

    return damage


def cut_wal(keep: Callable[[Path, int], int]) -> Damage:
    def damage(save: Path, spare: dict[str, bytes]) -> None:
        data = wal_path(save).read_bytes()
        wal_path(save).write_bytes(data[: keep(save, len(data))])

    return damage


def run_sql(*statements: str | tuple[str, tuple[object, ...]]) -> Damage:
    def damage(save: Path, spare: dict[str, bytes]) -> None:
        sql(save, *statements)

    return damage


def smash(table: str) -> Damage:
    def damage(save: Path, spare: dict[str, bytes]) -> None:
        smash_page(save, root_page(save, table))

    return damage


def then(*damages: Damage) -> Damage:
    def damage(save: Path, spare: dict[str, bytes]) -> None:
        for one in damages:
            one(save, spare)

    return damage


def lock_text(text: bytes) -> Damage:
    def damage(save: Path, spare: dict[str, bytes]) -> None:
        Path(f"{save}.lock").write_bytes(text)

    return damage


def lock_turn(delta: int) -> Damage:
    """Move the lock file's mark ``delta`` turns, to a row of the journal
    (backwards: as if killed between a commit and its mark) or past its end."""

    def damage(save: Path, spare: dict[str, bytes]) -> None:
        lock = Path(f"{save}.lock")
        mark = JournalMark.decode(lock.read_bytes())
        assert mark is not None
        turn = mark.turn + delta
        row = stamp_of(save, turn) if delta < 0 else mark.row
        lock.write_bytes(JournalMark(turn, row, mark.save).encode())

    return damage


def remove(suffix: str) -> Damage:
    def damage(save: Path, spare: dict[str, bytes]) -> None:
        Path(f"{save}{suffix}").unlink()

    return damage


def write(suffix: str, make: Callable[[], bytes]) -> Damage:
    def damage(save: Path, spare: dict[str, bytes]) -> None:
        Path(f"{save}{suffix}").write_bytes(make())

    return damage


def replace_save(make: Callable[[Path], None]) -> Damage:
    def damage(save: Path, spare: dict[str, bytes]) -> None:
        for companion in save.parent.iterdir():
            companion.unlink()
        make(save)

    return damage


def noise(size: int, seed: int = 1) -> bytes:
    return bytes((i * 2654435761 + seed) % 251 for i in range(size))


CRASHED = "keep-crashed"  # keep game, 30 turns, snapshot at 28, last turns in the -wal
DEMO = "demo-crashed"  # the demo, 30 turns, snapshot at 20, turns 21-30 in the -wal
CLOSED = "keep-closed"  # keep game, 12 turns, closed: one file
UNFLUSHED = "keep-unflushed"  # keep game, 20 turns, never flushed: one file
DEMO_UNFLUSHED = "demo-unflushed"  # the demo, 30 turns, never flushed: one file


def _cut(fraction: float) -> Damage:
    return lambda save, spare: save.write_bytes(
        save.read_bytes()[: int(save.stat().st_size * fraction)]
    )


def _song_database(save: Path) -> None:
    sql(save, "CREATE TABLE songs (title TEXT)", "INSERT INTO songs VALUES ('la')")


def _stranger(save: Path, spare: dict[str, bytes]) -> None:
    sql(save, """INSERT INTO "c:name" SELECT 99999, data FROM "c:name" LIMIT 1""")


def _leftover(save: Path, spare: dict[str, bytes]) -> None:
    (save.parent / f".{save.name}.999999999.tmp").write_bytes(noise(4096))


def _doubled(save: Path, spare: dict[str, bytes]) -> bytes:
    data = wal_path(save).read_bytes()
    return data + data[HEADER:]


def _torn_tail(save: Path, spare: dict[str, bytes]) -> None:
    wal_path(save).write_bytes(wal_path(save).read_bytes() + noise(700))


_WALK = '[{"action": "walk", "actor": 0, "params": {"dx": 5, "dy": 0}}]'
_SIDEWAYS = """json_set(actions, '$[0].params', json('{"direction": "sideways"}'))"""
_SWAPPED = "substr(handles, 9, 8) || substr(handles, 1, 8) || substr(handles, 17)"
_BAG = msgspec.msgpack.encode({"items": 5})

# fmt: off
# (what was done, the damage, what the refusal says); the source is CRASHED
WAL_CASES: list[tuple[str, Damage, str]] = [
    ("bad magic", wal(lambda s, d: d.__setitem__(slice(0, 4), b"\xde\xad\xbe\xef")), "magic"),
    ("magic of the other byte order", wal(lambda s, d: d.__setitem__(3, d[3] ^ 1)), "checksum"),
    ("format version 3007001, signed", wal(lambda s, d: set_header(d, version=3007001)),
     "version"),
    ("page size 1000, signed", wal(lambda s, d: set_header(d, page_size=1000)), "page size"),
    ("page size of another database", wal(lambda s, d: set_header(d, page_size=8192)),
     "another"),
    ("bad header checksum", wal(lambda s, d: flip(25)(d)), "checksum"),
    ("header salt changed", wal(lambda s, d: flip(17)(d)), "checksum"),
    ("checkpoint number changed", wal(lambda s, d: flip(13)(d)), "checksum"),
    ("bad checksum in the first frame", frame_byte(1, FRAME_HEADER + 9), "frame 1 "),
    ("bad checksum in a middle frame", frame_byte("middle", FRAME_HEADER + 500), "bad checksum"),
    ("bad checksum in the last frame", frame_byte("last", FRAME_HEADER + 77), "bad checksum"),
    ("frame checksum field damaged", frame_byte("middle", 18), "bad checksum"),
    ("bad salt in a middle frame", frame_byte("middle", 9), "bad salt"),
    ("bad salt in the last frame", frame_byte("last", 14), "bad salt"),
    ("page number 0 in a middle frame", frame_word("middle", 0, 0), "page number 0"),
    ("commit marker of the last frame cleared", frame_word("last", 1, 0), "reached turn 30"),
    ("replaced by noise", replace_wal(lambda s, x: noise(wal_path(s).stat().st_size)), "magic"),
    ("replaced by 100 bytes of noise", replace_wal(lambda s, x: noise(100, 7)), "magic"),
    ("zeroed", replace_wal(lambda s, x: bytes(wal_path(s).stat().st_size)), "magic"),
    ("cut in the middle of the last frame", cut_wal(lambda s, n: n - 1000), "reached turn 30"),
    ("cut in half", cut_wal(lambda s, n: n // 2), "reached turn 30"),
    ("cut to its header", cut_wal(lambda s, n: HEADER), "reached turn 30"),
    ("cut to 10 bytes", cut_wal(lambda s, n: 10), "cut short"),
    ("emptied", cut_wal(lambda s, n: 0), "reached turn 30"),
    ("deleted", remove("-wal"), "missing"),
    ("from another program's database", replace_wal(lambda s, x: x["foreign"]), "another"),
    ("from another save of the game", replace_wal(lambda s, x: x["other"]), "reached turn 30"),
    ("from a longer save of the game", replace_wal(lambda s, x: x["longer"]), "another save"),
    ("from this save, earlier", replace_wal(lambda s, x: x["earlier"]), "reached turn 30"),
    ("doubled", replace_wal(_doubled), "frame"),
    ("lock file says more turns", lock_turn(+5), "reached turn 35"),
]
DEMO_WAL_CASES = ["bad magic", "bad checksum in a middle frame", "replaced by noise",
                  "cut in half", "from another program's database", "deleted"]

# damage that loses nothing: the save must open, whole; the source is CRASHED
HARMLESS: list[tuple[str, Damage]] = [
    ("an interrupted transaction's frame after the end", lambda s, x: append_frame(s)),
    ("stale frames of an older log after the end", lambda s, x: append_frame(s, salts_delta=-1)),
    ("a torn frame after the end", _torn_tail),
    ("no lock file", remove(".lock")),
    ("a torn lock file", lock_text(b"fabula save lock 1: turn 0000000")),
    ("a lock file of noise", lock_text(noise(112))),
    ("a lock file that undersells the game", lock_turn(-3)),
    ("a stray -shm file", write("-shm", lambda: noise(32768))),
    ("a copy left by a process that died", _leftover),
]

# (source, what was done, the damage, the refusal, what it says)
FILE_CASES: list[tuple[str, str, Damage, type[PersistenceError], str]] = [
    (CRASHED, "a stray rollback journal", write("-journal", lambda: noise(4096, 3)),
     NotASaveError, "rollback journal"),
    (CLOSED, "not SQLite: text", replace_save(lambda s: s.write_text("notes\n" * 50)),
     NotASaveError, "not a fabula save"),
    (CLOSED, "empty", replace_save(lambda s: s.write_bytes(b"")), NotASaveError,
     "not a fabula save"),
    (CLOSED, "cut inside its header", lambda s, x: s.write_bytes(s.read_bytes()[:60]),
     NotASaveError, "truncated"),
    (CLOSED, "cut in half", _cut(0.5), NotASaveError, "damaged"),
    (CRASHED, "main file cut in half, -wal intact", _cut(0.5), NotASaveError, "damaged"),
    (CLOSED, "another program's database", replace_save(_song_database), NotASaveError,
     "not a fabula save"),
    (CLOSED, "a newer save format", run_sql("PRAGMA user_version=2"), SaveVersionError,
     "Upgrade fabula"),
    (CLOSED, "save format 0", run_sql("PRAGMA user_version=0"), NotASaveError,
     "invalid save format"),
    (CLOSED, "another game's save", run_sql("UPDATE meta SET value='other' WHERE key='game'"),
     SaveContentError, "belongs to game 'other'"),
    (DEMO_UNFLUSHED, "a bad sector in the demo's journal", smash("journal"), NotASaveError,
     "damaged"),
    (CLOSED, "meta: no seed", run_sql("DELETE FROM meta WHERE key = 'seed'"),
     SaveContentError, "table 'meta', key 'seed': is missing"),
    (CLOSED, "meta: a seed that is no number",
     run_sql("UPDATE meta SET value = 'many' WHERE key = 'seed'"), SaveContentError,
     "key 'seed'"),
    (CLOSED, "meta: no game", run_sql("UPDATE meta SET value = '' WHERE key = 'game'"),
     SaveContentError, "key 'game'"),
    (CLOSED, "state: no row", run_sql("DELETE FROM state"), SaveContentError, "table 'state'"),
    (CLOSED, "state: a short random state", run_sql("UPDATE state SET rng = x'0102'"),
     SaveContentError, "field 'rng'"),
    (CLOSED, "state: a free list of odd length", run_sql("UPDATE state SET free = x'010203'"),
     SaveContentError, "field 'free'"),
    (CLOSED, "state: a slot count that does not add up",
     run_sql("UPDATE state SET slot_count = 99999999999"), SaveContentError,
     "field 'slot_count'"),
    (CLOSED, "state: a turn that is text", run_sql("UPDATE state SET turn = 'twelve'"),
     SaveContentError, "table 'state'"),
    (CLOSED, "entities: a chunk of odd length",
     run_sql("UPDATE entities SET handles = handles || x'00'"), SaveContentError,
     "table 'entities', chunk 0"),
    (CLOSED, "entities: a handle outside its chunk",
     run_sql("UPDATE entities SET handles = CAST(handles || x'0008000000000000' AS BLOB)"),
     SaveContentError, "outside its chunk"),
    (CLOSED, "entities: handles out of order",
     run_sql(f"UPDATE entities SET handles = CAST({_SWAPPED} AS BLOB)"), SaveContentError,
     "out of order"),
    (CLOSED, "numeric chunk of the wrong size",
     run_sql('UPDATE "c:pos" SET x = substr(x, 1, length(x) - 3)'), SaveContentError,
     "table 'c:pos', chunk 0, field 'x'"),
    (CLOSED, "numeric chunk naming a missing entity",
     run_sql("""UPDATE "c:hp" SET handles = x'ff03000000000000' || substr(handles, 9)"""),
     SaveContentError, "table 'c:hp', chunk 0, field 'handles': holds text"),
    (CLOSED, "numeric chunk naming a missing entity, as a blob",
     run_sql("""UPDATE "c:hp" SET handles =
                CAST(substr(handles, 1, length(handles) - 8) || x'e803000000000000' AS BLOB)"""),
     SaveContentError, "table 'c:hp': has rows for entities that do not exist"),
    (UNFLUSHED, "journal: input that is not UTF-8",
     run_sql("UPDATE journal SET input = CAST(x'ff00ff' AS TEXT) WHERE turn = 10"),
     SaveContentError, "turn 10, field 'input': is not valid UTF-8"),
    (CLOSED, "object component: not MessagePack", run_sql("""UPDATE "c:name" SET data = x'c1'"""),
     SaveContentError, "table 'c:name', entity .*, field 'data'"),
    (CLOSED, "object component: the wrong shape",
     run_sql(("""UPDATE "c:bag" SET data = ?""", (_BAG,))), SaveContentError,
     "table 'c:bag', entity 0, field 'data'"),
    (CLOSED, "object component: stored as text",
     run_sql("""UPDATE "c:name" SET data = 'keeper'"""), SaveContentError, "holds text"),
    (CLOSED, "object component: a row for no entity", _stranger, SaveContentError,
     "table 'c:name': has rows for entities that do not exist"),
    (CLOSED, "catalog: fields that are not JSON",
     run_sql("UPDATE components SET fields = '[[' WHERE name = 'pos'"), SaveContentError,
     "table 'components'"),
    (CLOSED, "catalog: an unknown component",
     run_sql("INSERT INTO components VALUES ('dragon', 'c:dragon', 'object', '[]')"),
     SaveContentError, "component 'dragon'"),
    (CLOSED, "catalog: a component whose shape changed",
     run_sql("""UPDATE components SET fields = '[["x", "<i8"]]' WHERE name = 'pos'"""),
     SaveContentError, "was saved as"),
    (UNFLUSHED, "journal: actions that are not JSON",
     run_sql("UPDATE journal SET actions = '[{' WHERE turn = 10"), SaveContentError,
     "turn 10, field 'actions': is not valid JSON"),
    (UNFLUSHED, "journal: actions that are not a list",
     run_sql("UPDATE journal SET actions = '{}' WHERE turn = 10"), SaveContentError,
     "turn 10, field 'actions'"),
    (UNFLUSHED, "journal: an action without an actor",
     run_sql("""UPDATE journal SET actions = '[{"action": "walk"}]' WHERE turn = 10"""),
     SaveContentError, r"turn 10, field 'actions\[0\]'"),
    (UNFLUSHED, "journal: an action the game does not have",
     run_sql("""UPDATE journal SET actions = '[{"action": "fly", "actor": 0}]'
                WHERE turn = 10"""),
     SaveContentError, r"turn 10, field 'actions\[0\]': names action 'fly'"),
    (UNFLUSHED, "journal: parameters that no longer fit",
     run_sql(f"UPDATE journal SET actions = '{_WALK}' WHERE turn = 10"), SaveContentError,
     "no longer accepts"),
    (UNFLUSHED, "journal: model accounting that is not JSON",
     run_sql("UPDATE journal SET models = 'x' WHERE turn = 10"), SaveContentError,
     "field 'models'"),
    (UNFLUSHED, "journal: a tick that is text",
     run_sql("UPDATE journal SET tick = 'late' WHERE turn = 10"), SaveContentError,
     "field 'tick'"),
    (UNFLUSHED, "journal: a missing turn", run_sql("DELETE FROM journal WHERE turn = 10"),
     SaveContentError, "turn 10 is missing"),
    (UNFLUSHED, "journal: a changed random generator record",
     run_sql("UPDATE journal SET rng = 'feedfeedfeedfeed' WHERE turn = 10"), ReplayError,
     "turn 10"),
    (DEMO_UNFLUSHED, "demo journal: an action the game does not have",
     run_sql("""UPDATE journal SET actions = '[{"action": "fly", "actor": 1}]'
                WHERE turn = 25"""),
     SaveContentError, "turn 25.*names action 'fly'"),
    (DEMO_UNFLUSHED, "demo journal: a direction that no longer fits",
     run_sql(f"UPDATE journal SET actions = {_SIDEWAYS} WHERE turn = 27"), SaveContentError,
     "turn 27.*no longer accepts"),
    (DEMO_UNFLUSHED, "demo journal: actions that are not JSON",
     run_sql("UPDATE journal SET actions = 'take' WHERE turn = 3"), SaveContentError,
     "turn 3"),
    (DEMO_UNFLUSHED, "demo meta: no seed", run_sql("DELETE FROM meta WHERE key = 'seed'"),
     SaveContentError, "key 'seed'"),
    (CLOSED, "a symbolic link loop", replace_save(lambda s: s.symlink_to(s.name)),
     NotASaveError, "loop"),
    (CLOSED, "a link to nothing", replace_save(lambda s: s.symlink_to("gone.save")),
     NotASaveError, "no such save"),
    (CLOSED, "a folder", replace_save(lambda s: s.mkdir()), NotASaveError, "is a folder"),
    (CLOSED, "a named pipe", replace_save(lambda s: os.mkfifo(s)), NotASaveError,
     "not a regular file"),
]
TABLES = ["meta", "state", "entities", "components", "journal", "c:name", "c:pos", "c:hp",
          "c:bag", "c:critter"]
# fmt: on


def cases() -> list[Case]:
    """Every case of the corpus."""
    found = [
        Case(f"-wal {name}", CRASHED, damage, WalError, says) for name, damage, says in WAL_CASES
    ]
    found += [
        Case(f"demo: -wal {name}", DEMO, damage, WalError, says)
        for name, damage, says in WAL_CASES
        if name in DEMO_WAL_CASES
    ]
    found += [Case(f"fine: {name}", CRASHED, damage, None) for name, damage in HARMLESS]
    found.append(Case("demo, fine: no lock file", DEMO, remove(".lock"), None))
    found += [Case(name, src, damage, error, says) for src, name, damage, error, says in FILE_CASES]
    found += [
        Case(f"a bad sector in table {table}", CLOSED, smash(table), NotASaveError, "damaged")
        for table in TABLES
    ]
    found.append(Case("a read-only folder", CLOSED, _nothing, PersistenceError, "read-only", True))
    found.append(Case("fine: crashed, in a read-only folder", CRASHED, _nothing, None, "", True))
    return found


def _nothing(save: Path, spare: dict[str, bytes]) -> None:
    pass

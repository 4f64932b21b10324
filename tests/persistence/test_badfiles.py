"""Bad input: every broken or foreign file gives a clear error that names the
file and says what to do, and none is modified, replaced or deleted."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from fabula.errors import (
    NotASaveError,
    PersistenceError,
    SaveContentError,
    SaveVersionError,
    SaveWriteError,
)
from fabula.persistence import SaveFile, schema, state_digest
from tests.persistence.keep_game import GAME, script

HERE = Path(__file__).parent


@pytest.fixture
def played(tmp_path: Path) -> Path:
    """A closed save, 12 turns in."""
    path = tmp_path / "game.save"
    with SaveFile.new(path, GAME, seed=3) as save:
        for text, actions in script(12):
            save.play(text, actions)
    return path


def files_in(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def test_a_missing_save_says_how_to_start_one(tmp_path: Path) -> None:
    with pytest.raises(NotASaveError, match=r"no such save.*--new") as info:
        SaveFile.open(tmp_path / "nope.save", GAME)
    assert info.value.path == tmp_path / "nope.save"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "content",
    [b"", b"hello, I am a text file\n" * 20, os.urandom(5000)],
    ids=["empty", "text", "random bytes"],
)
def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.save"
    path.write_bytes(content)
    with pytest.raises(NotASaveError, match=r"notes\.save: is not a fabula save.*untouched"):
        SaveFile.open(path, GAME)
    assert files_in(tmp_path) == {"notes.save": content}


def test_a_foreign_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.execute("INSERT INTO songs VALUES ('la')")
    conn.commit()
    conn.close()
    before = files_in(tmp_path)
    with pytest.raises(NotASaveError, match="a SQLite database but not a fabula save"):
        SaveFile.open(path, GAME)
    assert files_in(tmp_path) == before  # not even switched to WAL


@pytest.mark.parametrize("keep", [60, 0.5], ids=["header cut", "half the file"])
def test_a_truncated_save_is_refused_untouched(played: Path, keep: float) -> None:
    data = played.read_bytes()
    cut = data[: int(keep if keep > 1 else len(data) * keep)]
    played.write_bytes(cut)
    with pytest.raises(NotASaveError, match=r"game\.save: .*(truncated|damaged)"):
        SaveFile.open(played, GAME)
    assert played.read_bytes() == cut


def test_a_save_from_a_newer_fabula_asks_for_an_upgrade(played: Path) -> None:
    conn = sqlite3.connect(played)
    conn.execute(f"PRAGMA user_version={schema.FORMAT_VERSION + 1}")
    conn.close()
    before = played.read_bytes()
    with pytest.raises(SaveVersionError, match=r"newer than this fabula.*Upgrade fabula"):
        SaveFile.open(played, GAME)
    assert played.read_bytes() == before


def test_an_older_save_is_migrated_after_a_backup(
    played: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def add_notes(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE notes (turn INTEGER PRIMARY KEY, text TEXT)")

    original = played.read_bytes()
    monkeypatch.setattr(schema, "FORMAT_VERSION", 2)
    monkeypatch.setitem(schema.MIGRATIONS, 1, add_notes)
    with SaveFile.open(played, GAME) as save:
        assert save.turn == 12
        tables = {r[0] for r in save._db().execute("SELECT name FROM sqlite_master")}
        assert "notes" in tables
    conn = sqlite3.connect(played)
    assert conn.execute("PRAGMA user_version").fetchone() == (2,)
    conn.close()
    backup = played.with_name("game.save.v1.bak")
    assert backup.exists()
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA user_version").fetchone() == (1,)
    conn.close()
    assert len(original) > 0


def test_an_older_save_without_a_migration_is_refused(
    played: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema, "FORMAT_VERSION", 2)
    before = played.read_bytes()
    with pytest.raises(SaveVersionError, match="no migration from format 1"):
        SaveFile.open(played, GAME)
    assert played.read_bytes() == before


def test_a_failed_migration_leaves_the_save_at_its_version(
    played: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half (x)")
        raise RuntimeError("migration bug")

    monkeypatch.setattr(schema, "FORMAT_VERSION", 2)
    monkeypatch.setitem(schema.MIGRATIONS, 1, broken)
    with pytest.raises(RuntimeError, match="migration bug"):
        SaveFile.open(played, GAME)
    monkeypatch.setattr(schema, "FORMAT_VERSION", 1)
    with SaveFile.open(played, GAME) as save:
        assert save.turn == 12
        tables = {r[0] for r in save._db().execute("SELECT name FROM sqlite_master")}
        assert "half" not in tables


def test_a_save_naming_an_unknown_component_says_which(played: Path) -> None:
    conn = sqlite3.connect(played)
    conn.execute("INSERT INTO components VALUES ('dragon', 'c:dragon', 'object', '[]')")
    conn.commit()
    conn.close()
    before = played.read_bytes()
    with pytest.raises(SaveContentError, match=r"component 'dragon'.*does not register"):
        SaveFile.open(played, GAME)
    assert played.read_bytes() == before


def test_a_component_whose_shape_changed_is_named(played: Path) -> None:
    conn = sqlite3.connect(played)
    conn.execute("""UPDATE components SET fields = '[["x", "<i8"]]' WHERE name = 'pos'""")
    conn.commit()
    conn.close()
    with pytest.raises(SaveContentError, match=r"component 'pos' was saved as columnar"):
        SaveFile.open(played, GAME)


def test_a_save_of_another_game_is_refused(played: Path) -> None:
    class Other:
        id = "elsewhere"
        components = GAME.components
        new_world = GAME.new_world
        simulation = GAME.simulation

    with pytest.raises(SaveContentError, match="belongs to game 'keep', not 'elsewhere'"):
        SaveFile.open(played, Other())


def test_new_never_replaces_without_being_asked(played: Path) -> None:
    before = played.read_bytes()
    with pytest.raises(PersistenceError, match=r"already exists.*--new"):
        SaveFile.new(played, GAME, seed=1)
    assert played.read_bytes() == before


def test_new_with_replace_refuses_a_file_that_is_not_a_save(tmp_path: Path) -> None:
    path = tmp_path / "thesis.docx"
    path.write_bytes(b"my thesis" * 100)
    with pytest.raises(NotASaveError):
        SaveFile.new(path, GAME, seed=1, replace=True)
    assert path.read_bytes() == b"my thesis" * 100


def test_new_with_replace_replaces_a_save(played: Path) -> None:
    with SaveFile.new(played, GAME, seed=99, replace=True) as save:
        assert save.turn == 0
        assert save.seed == 99
    assert [p.name for p in played.parent.iterdir()] == ["game.save"]


def test_save_as_refuses_to_overwrite_a_foreign_file(played: Path) -> None:
    other = played.with_name("photo.jpg")
    other.write_bytes(b"\xff\xd8 not a save")
    with SaveFile.open(played, GAME) as save, pytest.raises(NotASaveError):
        save.save_as(other)
    assert other.read_bytes() == b"\xff\xd8 not a save"


@pytest.fixture
def immutable_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write into, not even root (chattr +i when root)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    yield folder
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], check=False)
    else:
        folder.chmod(0o755)


def _make_read_only(folder: Path) -> None:
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: cannot make a read-only folder")
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
    if done.returncode:
        pytest.skip(f"chattr +i is not permitted here: {done.stderr.decode().strip()}")


def test_a_new_save_in_a_read_only_folder_is_a_clear_error(immutable_dir: Path) -> None:
    _make_read_only(immutable_dir)
    with pytest.raises(SaveWriteError, match=r"read-only.*--save PATH"):
        SaveFile.new(immutable_dir / "game.save", GAME, seed=1)
    assert list(immutable_dir.iterdir()) == []


def test_a_save_in_a_read_only_folder_is_a_clear_error(played: Path, immutable_dir: Path) -> None:
    path = immutable_dir / "game.save"
    shutil.copy(played, path)
    _make_read_only(immutable_dir)
    before = path.read_bytes()
    with pytest.raises(SaveWriteError, match=r"read-only.*Move the save"):
        SaveFile.open(path, GAME)
    assert path.read_bytes() == before


DISK_FULL = textwrap.dedent(
    """
    import resource, signal, sys
    from keep_game import GAME, script
    from fabula.errors import SaveWriteError
    from fabula.persistence import FlushPolicy, SaveFile

    save = SaveFile.open(sys.argv[1], GAME, policy=FlushPolicy(every_turns=3))
    size = int(sys.argv[2])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    try:
        for text, actions in script(5000)[save.turn:]:
            save.play(text, actions)
            print("shown", save.turn, flush=True)
    except SaveWriteError as exc:
        print(exc)
        sys.exit(3)
    print("never full")
    """
)


def test_a_full_disk_fails_cleanly_and_keeps_the_save(played: Path) -> None:
    """RLIMIT_FSIZE makes writes past a size fail as they do on a full disk."""
    size = played.stat().st_size + 32 * 1024
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    done = subprocess.run(
        [sys.executable, "-c", DISK_FULL, str(played), str(size)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 3, done.stdout + done.stderr
    *shown, error = done.stdout.splitlines()
    assert shown, "the limit was hit before any turn; raise it"
    assert error.startswith(str(played))
    assert "nothing was overwritten" in error
    last_shown = int(shown[-1].split()[1])
    # The file is intact, and every turn shown before the failure is there.
    conn = sqlite3.connect(played)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    with SaveFile.open(played, GAME) as save:
        assert save.turn == last_shown
        reference = GAME.new_world(3)
        simulation = GAME.simulation(reference)
        for _, actions in script(5000)[: save.turn]:
            simulation.play(actions)
        assert state_digest(save.world) == state_digest(reference)

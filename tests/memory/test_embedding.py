"""The embedders: the real local model, and any OpenAI-compatible endpoint
(a real HTTP server on loopback here), both as Chroma embedding functions."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from fabula.content import ContentGame
from fabula.errors import EmbedderError, ModelError
from fabula.memory import HistoryEntry, LocalEmbedder, MemoryStore, OpenAIEmbedder
from tests.support.embeddings_model import WIDTH, Behaviour


def test_local_vectors_are_unit_float32_and_mean_something(embedder: LocalEmbedder) -> None:
    vectors = embedder(
        ["The crab took the brass key.", "A giant crab stole the key.", "The chapel candle."]
    )
    assert [v.shape for v in vectors] == [(384,)] * 3
    assert all(v.dtype == np.float32 for v in vectors)
    assert np.allclose([np.linalg.norm(v) for v in vectors], 1.0, atol=1e-5)
    near, far = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert near > 0.6 > far


def test_local_embeddings_are_batched_and_deterministic(embedder: LocalEmbedder) -> None:
    texts = [f"Turn {i}: the lantern swings." for i in range(20)]
    calls, counted = embedder.calls, embedder.texts
    first = embedder(texts)
    assert (embedder.calls, embedder.texts) == (calls + 1, counted + 20)
    assert np.allclose(np.stack(first), np.stack(embedder(texts)), atol=1e-6)
    assert np.allclose(embedder.embed_query(texts[:1])[0], first[0], atol=1e-6)


def test_embedders_describe_themselves_to_chroma() -> None:
    local = LocalEmbedder(batch_size=8)
    assert LocalEmbedder.name() == "fabula-local-minilm"
    assert not local.loaded  # building and describing it loads nothing
    assert LocalEmbedder.build_from_config(local.get_config()).batch_size == 8
    assert local.default_space() == "cosine"
    remote = OpenAIEmbedder("http://127.0.0.1:9/v1", "nomic-embed-text", "MY_KEY", 5.0)
    config = remote.get_config()
    assert config["api_key_env"] == "MY_KEY"
    assert "api_key" not in config
    rebuilt = OpenAIEmbedder.build_from_config(config)
    assert (rebuilt.base_url, rebuilt.model, rebuilt.timeout) == (
        remote.base_url,
        "nomic-embed-text",
        5.0,
    )
    for model in (local, remote):
        assert not model.is_legacy()


def test_a_store_warns_of_nothing(tmp_path: Path, embedder: LocalEmbedder) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with MemoryStore.open(tmp_path / "g.save", "g", embedder) as store:
            store.record(HistoryEntry(1, "x", "hall", (), ("player",), 3, "s"))
        with MemoryStore.open(tmp_path / "g.save", "g", embedder) as store:
            assert store.count("history") == 1


def test_openai_embedder_asks_the_endpoint(
    embeddings_server: tuple[str, Behaviour], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, server = embeddings_server
    monkeypatch.setenv("EMBED_KEY", "sk-test")
    model = OpenAIEmbedder(url, "tiny-embed", "EMBED_KEY", 5.0, batch_size=2)
    server.reverse = True  # the SDK's order is by index, not by position
    vectors = model(["crab key", "key crab", "chapel candle"])
    assert [v.shape for v in vectors] == [(WIDTH,)] * 3
    assert np.allclose([np.linalg.norm(v) for v in vectors], 1.0, atol=1e-6)
    assert float(vectors[0] @ vectors[1]) == pytest.approx(1.0)
    assert float(vectors[0] @ vectors[2]) < 0.5
    assert [len(r["body"]["input"]) for r in server.requests] == [2, 1]
    assert server.requests[0]["body"]["model"] == "tiny-embed"
    assert server.requests[0]["headers"]["authorization"] == "Bearer sk-test"
    assert (model.calls, model.texts, model.dimensions) == (1, 3, WIDTH)


@pytest.mark.parametrize(
    ("status", "drop", "reason", "retryable"),
    [
        (503, 0, "HTTP 503", True),
        (400, 0, "HTTP 400", False),
        (200, 1, "1 vectors answered for 2 texts", False),
    ],
)
def test_openai_embedder_failures_are_model_errors(
    embeddings_server: tuple[str, Behaviour], status: int, drop: int, reason: str, retryable: bool
) -> None:
    url, server = embeddings_server
    server.status, server.drop = status, drop
    model = OpenAIEmbedder(url, "tiny-embed", retries=0)
    with pytest.raises(ModelError, match=f"the embedder model failed: {reason}") as caught:
        model(["one", "two"])
    assert caught.value.retryable is retryable


def test_openai_embedder_unreachable() -> None:
    model = OpenAIEmbedder("http://127.0.0.1:9/v1", "tiny-embed", timeout=2.0, retries=0)
    with pytest.raises(ModelError, match=r"cannot reach http://127\.0\.0\.1:9/v1"):
        model(["anything"])


def test_a_store_works_with_an_embeddings_server(
    embeddings_server: tuple[str, Behaviour], tmp_path: Path, game: ContentGame
) -> None:
    url, _ = embeddings_server
    model = OpenAIEmbedder(url, "tiny-embed")
    with MemoryStore.open(tmp_path / "g.save", game.id, model) as store:
        store.record(HistoryEntry(1, "Tamsin mends a net", "square", (), ("player",), 3, "a"))
        store.record(HistoryEntry(2, "The crab bites", "cave", (), ("player",), 3, "b"))
        world = game.new_world(1)
        found = store.recall("crab", world=world, actor=game.player(world), now=2, k=1)
    assert [m.id for m in found] == ["turn-2"]


def test_through_a_store_an_embeddings_server_failing_is_an_embedder_error(
    embeddings_server: tuple[str, Behaviour], tmp_path: Path
) -> None:
    url, server = embeddings_server
    server.status = 503
    with OpenAIEmbedder(url, "tiny-embed", retries=0) as model:
        store = MemoryStore.open(tmp_path / "g.save", "g", model)
        with pytest.raises(EmbedderError, match="the embedder model failed: HTTP 503") as caught:
            store.record(HistoryEntry(1, "x", "hall", (), ("player",), 3, "s"))
        assert isinstance(caught.value.__cause__, ModelError)
        store.close()

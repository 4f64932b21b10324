"""A real HTTP server on loopback that answers ``/v1/embeddings`` like an
OpenAI-compatible endpoint: the fake embedding model for the tests.

Its vectors are bags of words hashed into 32 dimensions, so texts sharing
words are near each other, and every answer is a pure function of the text.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

WIDTH = 32


def bag_of_words(text: str) -> list[float]:
    vector = [0.0] * WIDTH
    for word in text.lower().split():
        word = word.strip(".,!?;:'\"")
        if word:
            slot = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big")
            vector[slot % WIDTH] += 1.0
    return vector


@dataclass
class Behaviour:
    """What the server does; tests change it between requests.

    Attributes:
        status: the HTTP status to answer (200: embeddings).
        reverse: answer the items in reverse order (their ``index`` still right).
        drop: leave this many items out of the answer.
        requests: every request body received, with its headers.
    """

    status: int = 200
    reverse: bool = False
    drop: int = 0
    requests: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def embeddings_server() -> Iterator[tuple[str, Behaviour]]:
    behaviour = Behaviour()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            headers = {key.lower(): value for key, value in self.headers.items()}
            behaviour.requests.append({"body": body, "headers": headers})
            if self.path != "/v1/embeddings":
                self._answer(404, {"error": {"message": f"no route {self.path}"}})
            elif behaviour.status != 200:
                self._answer(behaviour.status, {"error": {"message": "scripted failure"}})
            else:
                texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
                data = [
                    {"object": "embedding", "index": i, "embedding": bag_of_words(t)}
                    for i, t in enumerate(texts)
                ][behaviour.drop :]
                if behaviour.reverse:
                    data.reverse()
                usage = {"prompt_tokens": len(texts), "total_tokens": len(texts)}
                self._answer(
                    200,
                    {"object": "list", "data": data, "model": body["model"], "usage": usage},
                )

        def _answer(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", behaviour
    httpd.shutdown()
    httpd.server_close()

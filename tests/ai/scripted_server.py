"""A real HTTP server on loopback that answers chat requests from a script:
the fake model for unit tests (the integration test uses a real model)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


class Script:
    """What the server answers, request by request: ``(status, payload)``,
    where a streamed answer's payload is a list of chunks, or raw ``bytes``
    for a stream that breaks."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.delay = 0.0


def completion(text: str) -> dict[str, Any]:
    return {
        "id": "c1", "object": "chat.completion", "created": 0, "model": "m",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": 11, "completion_tokens": 3, "total_tokens": 14},
    }  # fmt: skip


def chunks(pieces: list[str], *, usage: bool = True) -> list[dict[str, Any]]:
    """A streamed answer as OpenAI sends it: the pieces, a chunk with the
    finish reason, then (asked for with ``stream_options``) the usage."""
    out = [
        {"id": "s", "object": "chat.completion.chunk", "created": 0, "model": "m",
         "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]}
        for p in pieces
    ]  # fmt: skip
    out.append({"id": "s", "object": "chat.completion.chunk", "created": 0, "model": "m",
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})  # fmt: skip
    if usage:
        out.append({"id": "s", "object": "chat.completion.chunk", "created": 0, "model": "m",
                    "choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": len(pieces),
                                             "total_tokens": 9 + len(pieces)}})  # fmt: skip
    return out


@pytest.fixture
def server() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            script.requests.append(body)
            time.sleep(script.delay)
            status, payload = script.answers.pop(0) if script.answers else (500, {})
            if body.get("stream") and status == 200 and isinstance(payload, bytes):
                # a raw body: a stream cut off or garbled part-way
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                self.wfile.write(payload)
                self.wfile.flush()
                self.close_connection = True
                return
            if body.get("stream") and status == 200:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for chunk in payload:
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")
                return
            data = json.dumps(payload or {"error": {"message": "scripted"}}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", script
    httpd.shutdown()
    httpd.server_close()

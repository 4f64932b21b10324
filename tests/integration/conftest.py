"""Fixtures for the integration tests: one real llama.cpp server for the
whole test session (one xdist worker runs every test that uses it), clients
for the parser and narrator roles, the figures printed at the end of the
run, and the server's log in failing tests' reports."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from fabula.ai import ModelClient, RoleConfig
from tests.integration.llama_server import (
    LlamaServer,
    ServerStartError,
    running_server,
)
from tests.integration.model_figures import Figures
from tests.support.summary import add_summary

N_CTX = 2048
"""The context length the server loads the model with: prompt and answer share it."""

THREADS = 1 if (os.cpu_count() or 1) <= 2 else 2
"""CPU threads the server computes with: one on a machine of two cores or
fewer, else two (see :func:`llama`)."""


@pytest.fixture(scope="session")
def figures(pytestconfig: pytest.Config) -> Iterator[Figures]:
    """The session's measurements, printed at the end of the run."""
    found = Figures()
    yield found
    add_summary(pytestconfig, "real model figures (measured, not asserted)", found.lines())


@pytest.fixture(scope="session")
def llama(figures: Figures) -> Iterator[LlamaServer]:
    """The server, started once (n_ctx 2048, :data:`THREADS` threads) and
    always stopped.

    Threads: llama.cpp's threads spin while they wait for each other, so a
    thread that loses its core to another process holds the others up. On a
    loaded two-core machine (CI beside the rest of the suite, or beside other
    work) two threads ran 3.6 to 20 times slower than one; with more cores
    there is room for two. Under pytest-xdist, every test of this folder
    runs on one worker (see ``ONE_WORKER`` in tests/conftest.py), so the
    server starts once.

    A server that cannot start fails every test that needs it with the end of
    its log; pytest keeps the failure, so it is not started again per test.
    """
    try:
        with running_server(n_ctx=N_CTX, threads=THREADS) as server:
            figures.server = f"llama.cpp server, {server.model_file.name}, {server.threads} threads"
            figures.startup = server.startup
            yield server
    except (ServerStartError, FileNotFoundError) as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture
def parser_client(llama: LlamaServer) -> Iterator[ModelClient]:
    """The parser role's client: greedy, short answers, no retries (a failure
    here is a finding, not noise to hide)."""
    config = RoleConfig(
        model=llama.model, base_url=llama.url, temperature=0, max_tokens=96, timeout=60,
        retries=0, structured_output="json_object",
    )  # fmt: skip
    with ModelClient("parser", config) as client:
        yield client


@pytest.fixture
def narrator_client(llama: LlamaServer) -> Iterator[ModelClient]:
    """The narrator role's client: greedy (so a run is repeatable), a few
    sentences at most, and a prompt budget that leaves room for them in the
    server's context (the budget is an estimate, hence the margin)."""
    config = RoleConfig(
        model=llama.model,
        base_url=llama.url,
        temperature=0,
        max_tokens=64,
        timeout=60,
        retries=0,
        context_tokens=N_CTX - 64 - 256,
    )
    with ModelClient("narrator", config) as client:
        yield client


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Add the end of the server's log to the report of a failing test that
    used it: a model request that failed may be the server's fault."""
    report = yield
    server = getattr(item, "funcargs", {}).get("llama")
    if report.failed and isinstance(server, LlamaServer):
        report.sections.append(("llama.cpp server log, last lines", server.log_tail()))
    return report

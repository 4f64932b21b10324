"""Starting guarded sessions: a new game in the sandbox, led to a scene,
with the hostile server behind the parser or the narrator."""

from __future__ import annotations

import functools
import inspect
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fabula.ai import CircuitBreaker, ModelClient, RoleConfig
from fabula.content import ContentGame
from fabula.parsing import TieredParser
from fabula.session import Session
from tests.security.guard import Guard, Sandbox
from tests.security.payloads import SCENES

__all__ = ["PARSER_TIMEOUT", "Scenes", "model_parser", "parser_client", "start"]

PARSER_TIMEOUT = 0.4
"""The parser role's timeout here: short, so slow answers cost little."""


def parser_client(
    url: str, *, sleep: Callable[[float], None] = lambda _: None, **settings: Any
) -> ModelClient:
    """A parser-role client for the server at ``url``: no retries, a short
    timeout, no waiting between attempts; ``settings`` override."""
    config = RoleConfig(model="hostile", base_url=url, retries=0, timeout=PARSER_TIMEOUT)
    return ModelClient("parser", config.model_copy(update=settings), sleep=sleep)


def model_parser(
    game: ContentGame,
    client: ModelClient,
    *,
    failures: int = 1000,
    clock: Callable[[], float] = time.monotonic,
) -> TieredParser:
    """A tiered parser with ``client`` behind it, whose circuit opens after
    ``failures`` failed turns in a row (by default, never in a test)."""
    breaker = CircuitBreaker("parser", failures, cooldown=60.0, clock=clock)
    return TieredParser(game.actions, client, breaker, **_prompt())


@functools.cache
def _prompt() -> dict[str, Any]:
    """The parser prompt, loaded once for every parser the tests build
    (loading it costs more than most turns), if the parser takes one."""
    if "prompt" not in inspect.signature(TieredParser).parameters:
        return {}
    from fabula.prompts import PromptLibrary

    return {"prompt": PromptLibrary.load().get("parser")}


class Scenes:
    """Each scene played once per test run (guarded), its save kept, and
    copied for every test that starts there: a test pays for its own turns
    only.

    Args:
        game: the game.
        folder: where the scenes' saves are kept.
    """

    def __init__(self, game: ContentGame, folder: Path) -> None:
        self.game = game
        self.folder = folder
        self._saves: dict[str, Path] = {}

    def save_of(self, scene: str) -> Path:
        """The closed save of ``scene``, played now if it was not yet."""
        if scene not in self._saves:
            box = Sandbox(self.folder / scene, self.folder / scene / "saves")
            box.saves.mkdir(parents=True)
            box.before = box.tree()
            session = Session.start(self.game, box.saves / f"{self.game.id}.save", new=True)
            guard = Guard(session, self.game, box)
            guard.play_all(SCENES[scene])
            guard.finish(reopen=True)
            self._saves[scene] = session.save.path
        return self._saves[scene]


_START = inspect.signature(Session.start).parameters


def start(
    game: ContentGame,
    sandbox: Sandbox,
    scenes: Scenes,
    scene: str = "harbour",
    **options: Any,
) -> Guard:
    """A game in the sandbox at ``scene``, guarded from there on (the guard
    first checks the scene's journal rebuilds it).

    ``options`` go to :meth:`Session.start` (``parser=``, and
    ``narrator_model=``, passed as ``narrator=`` if that is what the
    session calls it).
    """
    narrated = options.get("narrator_model") is not None
    if "narrator_model" in options and "narrator_model" not in _START:
        options["narrator"] = options.pop("narrator_model")
    path = sandbox.saves / f"{game.id}.save"
    shutil.copyfile(scenes.save_of(scene), path)
    session = Session.start(game, path, **options)
    return Guard(session, game, sandbox, narrated=narrated)

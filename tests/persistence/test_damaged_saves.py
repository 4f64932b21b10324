"""The damaged-save corpus: every way a save and its companions can be
damaged that we know of, each tried through the API and the command line.

For each case (``corpus.py``) the damaged copy is opened (``SaveFile.open``),
replayed (``verify``, what ``fabula replay`` runs), recovered into a new file
when refused (``SaveFile.recover``), and given to ``fabula replay`` (and,
for the demo's saves, ``fabula play``) in a real process. A refused save must
be refused by all of them with the expected error, naming the file, exit
status 2, no traceback, and its files (save, ``-wal``, lock file, anything
beside it) byte for byte as they were. A save that opens must hold every
turn its player was shown, in the same state. The counts are printed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from fabula.errors import PersistenceError, ReplayError
from fabula.persistence import SaveFile, state_digest, verify
from tests.persistence.corpus import CLOSED, CRASHED, DEMO, DEMO_UNFLUSHED, UNFLUSHED, Case, cases
from tests.persistence.damage import (
    Source,
    demo_source,
    files_of,
    foreign_wal,
    into_one_file,
    keep_closed,
    keep_source,
    wal_path,
)
from tests.support.summary import add_summary

HERE = Path(__file__).parent


@dataclass
class Corpus:
    sources: dict[str, Source]
    spare: dict[str, bytes]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("sources")
    sources = {
        CRASHED: keep_source(root, CRASHED, turns=30, early=20),
        CLOSED: keep_closed(root),
        UNFLUSHED: keep_source(root, UNFLUSHED, turns=20, every=1000),
        DEMO: demo_source(root, DEMO, every=20),
        DEMO_UNFLUSHED: demo_source(root, DEMO_UNFLUSHED, every=1000),
    }
    into_one_file(sources[UNFLUSHED].folder)
    into_one_file(sources[DEMO_UNFLUSHED].folder)
    logs = {
        "other": keep_source(root, "other", turns=12, seed=5).folder,
        "longer": keep_source(root, "longer", turns=40).folder,
        "earlier": root / f"{CRASHED}-early",
    }
    spare = {name: wal_path(folder / "game.save").read_bytes() for name, folder in logs.items()}
    return Corpus(sources, {**spare, "foreign": foreign_wal(root)})


@dataclass
class Result:
    case: Case
    save: Path
    source: Source
    before: dict[str, bytes] = field(default_factory=dict)
    refused: PersistenceError | None = None
    opened: tuple[int, str] | None = None
    recovered: int | None = None
    whole: bool = False
    tracebacks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    changed: bool = False


def attempt(result: Result, what: str, call: object) -> object:
    """Call ``call()``; a PersistenceError is returned, anything else is a traceback."""
    try:
        return call()  # type: ignore[operator]
    except PersistenceError as exc:
        return exc
    except Exception:
        result.tracebacks.append(f"{what}: {traceback.format_exc()}")
        return None


def read_only(folder: Path, on: bool) -> bool:
    """Make ``folder`` read-only (even for root, with chattr), or writable again."""
    if os.geteuid() != 0:
        folder.chmod(0o555 if on else 0o755)
        return True
    if shutil.which("chattr") is None:
        return False
    done = subprocess.run(["chattr", "+i" if on else "-i", str(folder)], capture_output=True)
    return done.returncode == 0


def try_api(result: Result, recovered_to: Path) -> None:
    save, source = result.save, result.source
    game = source.game

    def open_it() -> tuple[int, str]:
        with SaveFile.open(save, game) as opened:
            return opened.turn, state_digest(opened.world)

    outcome = attempt(result, "open", open_it)
    if isinstance(outcome, PersistenceError):
        result.refused = outcome
    elif isinstance(outcome, tuple):
        result.opened = outcome
    replayed = attempt(result, "replay", lambda: verify(save, game))
    if isinstance(result.refused, ReplayError):  # replay reports the divergence
        if isinstance(replayed, PersistenceError) or replayed is None or replayed.ok:
            result.problems.append(f"replay did not report the divergence: {replayed}")
    elif result.refused is not None and not isinstance(replayed, PersistenceError):
        result.problems.append(f"replay did not refuse what open refused: {replayed}")
    if result.refused is not None:
        report = attempt(result, "recover", lambda: SaveFile.recover(save, game, to=recovered_to))
        if report is not None and not isinstance(report, PersistenceError):
            result.recovered = report.turns
            result.whole = report.turns >= source.turns
    elif result.opened is not None and (isinstance(replayed, PersistenceError) or not replayed.ok):
        result.problems.append(f"opened, but replay says: {replayed}")


def judge(result: Result) -> None:
    case = result.case
    if case.refuse is not None:
        if result.refused is None:
            result.problems.append(f"opened instead of refusing with {case.refuse.__name__}")
            return
        message = str(result.refused)
        if not isinstance(result.refused, case.refuse):
            result.problems.append(f"refused with {type(result.refused).__name__}: {message}")
        if result.save.name not in message:
            result.problems.append(f"the message does not name the file: {message}")
        if not re.search(case.says, message, re.S):
            result.problems.append(f"the message does not say {case.says!r}: {message}")
    elif result.refused is not None:
        result.problems.append(f"refused a save that should open: {result.refused}")


def command_lines(results: list[Result], script: Path) -> list[tuple[Result, str, list[str]]]:
    lines = []
    for result in results:
        save, source = str(result.save), result.source
        lines.append((result, "replay", ["replay", save, "--game", source.game_arg]))
        if source.playable:
            play = ["play", source.game_arg, "--save", save, "--script", str(script)]
            lines.append((result, "play", play))
    return lines


def run_commands(lines: list[tuple[Result, str, list[str]]]) -> list[dict[str, object]]:
    env = {**os.environ, "COLUMNS": "200", "PYTHONPATH": os.pathsep.join(
        [str(HERE), str(HERE.parents[1]), os.environ.get("PYTHONPATH", "")])}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.cli_batch"],
        input=json.dumps([argv for _, _, argv in lines]),
        capture_output=True,
        text=True,
        env=env,
        timeout=1200,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_the_damaged_save_corpus(
    corpus: Corpus, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    results: list[Result] = []
    skipped = []
    recovered = tmp_path / "recovered"
    recovered.mkdir()
    for number, case in enumerate(cases()):
        source = corpus.sources[case.source]
        save = source.copy_to(tmp_path / "cases" / f"{number:03d}")
        case.damage(save, corpus.spare)
        if case.read_only and not read_only(save.parent, True):
            skipped.append(case.name)
            continue
        result = Result(case, save, source, before=files_of(save.parent))
        try_api(result, recovered / f"{number:03d}.save")
        judge(result)
        results.append(result)
    script = tmp_path / "look.txt"
    script.write_text("look\n")
    lines = command_lines(results, script)
    for (result, command, _), output in zip(lines, run_commands(lines), strict=True):
        text = str(output["out"]) + str(output["err"])
        diverged = command == "replay" and isinstance(result.refused, ReplayError)
        expected = 0 if result.case.refuse is None else 1 if diverged else 2
        if "Traceback" in text:
            result.tracebacks.append(f"fabula {command}: {text[-2000:]}")
        elif output["code"] != expected:
            result.problems.append(f"fabula {command} exited {output['code']}: {text[-800:]}")
        elif expected and result.save.name not in text:
            result.problems.append(f"fabula {command} does not name the file: {text[-800:]}")
    for result in results:
        if result.case.read_only:
            read_only(result.save.parent, False)
        after = files_of(result.save.parent)
        if result.case.refuse is not None and after != result.before:
            names = set(after) | set(result.before)
            result.changed = True
            result.problems.append(
                "files changed: "
                + ", ".join(sorted(n for n in names if after.get(n) != result.before.get(n)))
            )

    refused = [r for r in results if r.refused is not None]
    silent = [
        r for r in results if r.opened is not None and r.opened != (r.source.turns, r.source.digest)
    ]
    tracebacks = [r for r in results if r.tracebacks]
    changed = [r for r in results if r.changed]
    rebuilt = [r for r in refused if r.recovered]
    add_summary(request.config, "Damaged saves", [
        f"damaged-save corpus: {len(results)} cases; {len(refused)} refused, "
        f"{len(rebuilt)} of them recovered into a new save "
        f"({sum(r.whole for r in rebuilt)} with every turn), "
        f"{len(results) - len(refused)} opened whole; {len(tracebacks)} tracebacks, "
        f"{len(silent)} silent losses, {len(changed)} refused files changed"
        + (f"; skipped: {', '.join(skipped)}" if skipped else "")
    ])  # fmt: skip
    failures = [
        f"{r.case.name}: {problem}" for r in results for problem in [*r.problems, *r.tracebacks]
    ] + [f"{r.case.name}: opened at {r.opened}, not {r.source.turns}" for r in silent]
    assert not failures, "\n".join(failures)
    assert len(results) >= 70

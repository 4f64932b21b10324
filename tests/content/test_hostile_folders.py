"""The hostile game folder corpus: every way we know a game folder can try
to hang or crash the engine, each built from ``fabula new`` and given to
``fabula validate`` and ``fabula play`` in a real process.

For each case (``hostile_folders.py``): the exit status (2 for a refused
folder, from both commands; 0 for the sound ones), the message naming the
file at fault (and its line, where one is), no traceback anywhere, and the
game folder byte for byte as it was (``__pycache__`` aside: importing a
game's Python writes it, as importing any Python does). The counts are
printed at the end of the run.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from fabula.content import scaffold
from tests.content.hostile_folders import SCRIPT, Case, cases
from tests.support.summary import add_summary

REPO = Path(__file__).parents[2]


def digest(root: Path) -> dict[str, str]:
    """What is in the folder: each entry's kind, and a regular file's hash."""
    found = {}
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts:
            continue
        info = path.lstat()
        name = str(path.relative_to(root))
        if stat.S_ISREG(info.st_mode):
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif stat.S_ISLNK(info.st_mode):
            found[name] = "link to " + os.readlink(path)
        else:
            found[name] = stat.filemode(info.st_mode)[0]
    return found


@dataclass
class Tried:
    case: Case
    root: Path
    before: dict[str, str]
    problems: list[str] = field(default_factory=list)
    tracebacks: int = 0


def run_batch(argvs: list[list[str]], tmp: Path) -> list[dict[str, object]]:
    env = {
        **os.environ,
        "COLUMNS": "250",
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        "FABULA_CRASH_DIR": str(tmp / "crashes"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.cli_batch"],
        input=json.dumps(argvs), capture_output=True, text=True, env=env, timeout=900,
        cwd=tmp,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def judge(tried: Tried, command: str, output: dict[str, object]) -> None:
    case = tried.case
    text = str(output["out"]) + str(output["err"])
    flat = " ".join(text.split())
    if "Traceback" in text:
        tried.tracebacks += 1
        tried.problems.append(f"{command}: a traceback: {text[-1500:]}")
        return
    if "\x1b" in text or any("\x80" <= c <= "\x9f" for c in text):
        tried.problems.append(f"{command} sent a control sequence: {text[-600:]!r}")
    code = output["code"]
    if command == "validate":
        expected: tuple[int, ...] = (0,) if case.sound else (2,)
    else:
        expected = (0,) if case.sound else (0, 2) if case.play is None else (case.play,)
    if code not in expected:
        tried.problems.append(f"{command} exited {code}, not {expected}: {text[-1200:]}")
        return
    if code == 2 and f"{tried.root.name}/{case.names}" not in flat:
        tried.problems.append(f"{command} does not name {case.names}: {text[-1200:]}")
    if code == 2 and case.line and case.line not in flat:
        tried.problems.append(f"{command} does not say {case.line}: {text[-1200:]}")
    if command == "validate" and case.python and "Importing the game's Python" not in flat:
        tried.problems.append(f"validate does not say it imports the game's Python: {flat}")


def test_the_hostile_folder_corpus(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    script = tmp_path / "script.txt"
    script.write_text(SCRIPT)
    tried: list[Tried] = []
    argvs: list[list[str]] = []
    for number, case in enumerate(cases()):
        root = scaffold(tmp_path / "games" / f"g{number:03d}")
        case.build(root)
        tried.append(Tried(case, root, digest(root)))
        save = tmp_path / "saves" / f"{number:03d}.save"
        argvs.append(["validate", str(root)])
        argvs.append(["play", str(root), "--save", str(save), "--new", "--script", str(script)])
    outputs = run_batch(argvs, tmp_path)
    for number, one in enumerate(tried):
        judge(one, "validate", outputs[2 * number])
        judge(one, "play", outputs[2 * number + 1])
        if digest(one.root) != one.before:
            one.problems.append("the game folder changed")
    refused = [t for t in tried if not t.case.sound]
    failed = [t for t in tried if t.problems]
    line = (
        f"hostile game folders: {len(tried)} cases ({len(refused)} refused, "
        f"{len(tried) - len(refused)} sound); {sum(t.tracebacks for t in tried)} tracebacks, "
        f"{len(failed)} cases with problems, "
        f"{sum(digest(t.root) != t.before for t in tried)} folders changed"
    )
    print("\n" + line)
    add_summary(request.config, "Hostile game folders", [line])
    assert not (tmp_path / "crashes").exists(), "a crash report was written"
    assert not failed, "\n".join(f"{t.case.name}: {p}" for t in failed for p in t.problems)
    assert len(tried) >= 45

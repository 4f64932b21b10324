"""The hostile input corpus: bytes a player (or a file) can hand ``fabula
play``, through a pipe and through ``--script``, under a UTF-8 and a C
locale (and ``en_US.UTF-8``, where it exists: Python falls back to C).

Every line below is played in one game per locale and way in; the game must
end normally (exit 0), print no traceback, never send an escape or C1
control character back to the terminal (the output bytes are checked), and
never quote a 10 MiB line back whole. The counts are printed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fabula.content import scaffold
from fabula.session import MAX_INPUT
from tests.support.summary import add_summary

MIB = 1024 * 1024
ESC = bytes([27])

LINES: dict[str, bytes] = {
    "invalid UTF-8": b"take \xff\xfe lamp",
    "lone continuation bytes": b"\x80\x81 look",
    "an overlong slash": b"x \xc0\xaf desk",
    "an encoded surrogate": b"x \xed\xa0\x80",
    "a truncated sequence": b"look \xe2\x82",
    "raw ESC sequences": b"\x1b[2J\x1b[31mlook\x1b[0m",
    "an OSC title": b"\x1b]0;owned\x07x desk",
    "an OSC 8 link": b"\x1b]8;;http://evil.example\x1b\\x desk\x1b]8;;\x1b\\",
    "C1 CSI as UTF-8": "\u009b2J\u009dx desk".encode(),
    "raw C1 bytes": b"\x9b2J x desk \x9d",
    "NUL bytes": b"lo\x00ok",
    "backspaces and DEL": b"xyz\x08\x08\x08look\x7f",
    "a bell and a form feed": b"\x07\x0clook",
    "CR line endings": b"look\r",
    "a byte-order mark": b"\xef\xbb\xbflook",
    "a 10 MiB word": b"x" * (10 * MIB),
    "a 10 MiB line of words": b"take lamp " * MIB,
    "ESC after 3000 characters": b"a" * 3000 + b"\x1b[2J",
}

LOCALES = ["C", "C.UTF-8", "en_US.UTF-8", "strict"]
"""``strict``: C.UTF-8 with ``PYTHONIOENCODING=utf-8:strict``, which is how
Python reads stdin under a UTF-8 locale other than C.UTF-8 (``en_US.UTF-8``
on a machine that has it), so the strict case is tried everywhere."""


def environment(locale: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "FORCE_COLOR"))}
    env.pop("PYTHONIOENCODING", None)
    if locale == "strict":
        locale, env["PYTHONIOENCODING"] = "C.UTF-8", "utf-8:strict"
    env.update(LANG=locale, LC_ALL=locale, TERM="dumb", COLUMNS="100",
               FABULA_CRASH_DIR=str(tmp_path / "crashes"))  # fmt: skip
    return env


def play(game: Path, save: Path, env: dict[str, str], script: Path | None, data: bytes) -> (
    subprocess.CompletedProcess[bytes]
):  # fmt: skip
    args = [sys.executable, "-m", "fabula", "play", str(game), "--save", str(save), "--new"]
    if script is not None:
        args += ["--script", str(script)]
    return subprocess.run(
        args, input=None if script is not None else data, capture_output=True, env=env,
        timeout=300, check=False,
    )  # fmt: skip


def faults(done: subprocess.CompletedProcess[bytes]) -> list[str]:
    """What is wrong with one game's run."""
    out = done.stdout + done.stderr
    found = []
    if done.returncode != 0:
        found.append(f"exit status {done.returncode}: {out[-600:]!r}")
    if b"Traceback" in out:
        found.append(f"a traceback: {out[-1500:]!r}")
    esc = out.find(ESC)
    if esc >= 0:
        found.append(f"an ESC byte at {esc}: {out[max(esc - 40, 0) : esc + 40]!r}")
    text = out.decode("utf-8", errors="replace")
    c1 = re.search("[\x80-\x9f]", text)
    if c1:
        found.append(f"a C1 control: {text[c1.start() - 40 : c1.start() + 40]!r}")
    controls = re.search("[\x00-\x08\x0b-\x1f\x7f]", text)
    if controls:
        found.append(f"a control character: {text[controls.start() - 40 :][:80]!r}")
    if len(out) > MB_BOUND:
        found.append(f"{len(out):,} bytes of output: the long lines were quoted back")
    if "x" * (MAX_INPUT + 1) in text:
        found.append("more than MAX_INPUT characters of one line shown")
    return found


MB_BOUND = 200_000
"""The most output all the lines together may produce (10 MiB went in)."""


@pytest.mark.parametrize("locale", LOCALES)
def test_the_hostile_input_corpus(
    locale: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    game = scaffold(tmp_path / "game")
    data = b"\n".join([*LINES.values(), b"look"]) + b"\n"
    script = tmp_path / "script.txt"
    script.write_bytes(data)
    env = environment(locale, tmp_path)
    problems = []
    for way, given in (("pipe", None), ("--script", script)):
        done = play(game, tmp_path / f"{way}.save", env, given, data)
        problems += [f"{locale}, {way}: {fault}" for fault in faults(done)]
        if not problems:
            shown = done.stdout.decode("utf-8")
            assert "You can't see any such thing." in shown or "I don't know" in shown
            assert "\ufffd" in shown  # undecodable bytes are shown as replaced
            assert shown.count("\n> ") >= len(LINES)  # every line was read and echoed
    under = "a strict UTF-8 stdin" if locale == "strict" else f"LANG={locale}"
    line = (
        f"hostile input under {under}: {len(LINES)} lines, by pipe and by --script; "
        f"{sum('traceback' in p for p in problems)} tracebacks, {len(problems)} problems"
    )
    print("\n" + line)
    add_summary(request.config, "Hostile input", [line])
    assert not problems, "\n".join(problems)
    assert not (tmp_path / "crashes").exists()


def test_a_long_unknown_word_is_quoted_short(tmp_path: Path) -> None:
    game = scaffold(tmp_path / "game")
    done = play(game, tmp_path / "s.save", environment("C.UTF-8", tmp_path), None,
                b"frobnicate" * 1000 + b"\n")  # fmt: skip
    shown = done.stdout.decode("utf-8")
    assert re.search('I don\'t know the word "[a-z]{39}…"', shown), shown[-500:]
    assert len(done.stdout) < 10_000

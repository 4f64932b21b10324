"""Runs many ``fabula`` command lines in one process, for the corpus tests.

Reads a JSON list of argument lists on stdin and writes, for each, the exit
status and everything written to stdout and stderr, as JSON on stdout. An
exception escaping ``fabula``'s ``main`` is written to its stderr as Python
would print it (with "Traceback"), so a test can tell it from a message.
Starting Python once for all of them keeps a corpus quick.

Run it as ``python -m tests.support.cli_batch`` (or by path, with the
repository on ``PYTHONPATH``).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback

__all__ = ["run"]


def run(argv: list[str]) -> dict[str, object]:
    """Run ``fabula ARGV`` in this process; its status and output."""
    from fabula.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()
            code = 1
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}


if __name__ == "__main__":
    results = [run(argv) for argv in json.load(sys.stdin)]
    json.dump(results, sys.__stdout__)

"""Appending one turn to the journal, fsynced and not.

Each append is :func:`fabula.persistence.journal.append` of a realistic
:class:`~fabula.persistence.TurnRecord` (the input, two parsed actions, the
tick, the RNG fingerprint, the models used) in its own transaction, with
``synchronous=FULL`` (``durability="power"``, the default) and ``NORMAL``
(``durability="process"``). The journal must end at the last turn appended.
"""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.persistence.worlds import check
from fabula.actions import ActionProposal
from fabula.persistence import journal
from fabula.persistence.schema import connect

__all__ = ["run_journal"]


def _turn_record(turn: int) -> journal.TurnRecord:
    """What a text game's turn journals: the input, two parsed actions, the
    tick, the RNG fingerprint and the models used."""
    now = time.time()
    return journal.TurnRecord(
        turn=turn,
        input="take the brass lamp and go north",
        actions=(
            ActionProposal(action="take", actor=1, params={"item": 42}),
            ActionProposal(action="go", actor=1, params={"direction": "north"}),
        ),
        tick=turn,
        rng="9f86d081884c7d65",
        models={"parser": "symbolic", "narrator": "templates@1"},
        started_at=now,
        finished_at=now + 0.004,
    )


def run_journal(turns: int = 500) -> list[dict[str, Any]]:
    """Microseconds per ``journal.append``, fsynced and not.

    Returns:
        One row per setting (``FULL``, then ``NORMAL``) with keys
        ``synchronous``, ``durability``, ``median_us`` and ``p95_us``.

    Raises:
        ValueError: ``turns`` is below 1.
        VerificationError: the journal does not hold every appended turn.
    """
    if turns < 1:
        raise ValueError(f"run_journal needs turns >= 1, got {turns}.")
    results = []
    records = [_turn_record(t) for t in range(1, turns + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        for durability, pragma in (("power", "FULL"), ("process", "NORMAL")):
            path = Path(tmp) / f"journal-{durability}.save"
            conn = connect(path, create=True, durability=durability)  # type: ignore[arg-type]
            times = []
            enabled = gc.isenabled()
            gc.collect()
            gc.disable()
            try:
                for record in records:
                    start = time.perf_counter()
                    journal.append(conn, record)
                    times.append(time.perf_counter() - start)
            finally:
                if enabled:
                    gc.enable()
            check(
                journal.last_turn(conn) == turns,
                f"journal append, {pragma}",
                f"the journal ends at turn {journal.last_turn(conn)}, not {turns}",
            )
            conn.close()
            p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
            results.append(
                {
                    "synchronous": pragma,
                    "durability": durability,
                    "median_us": statistics.median(times) * 1e6,
                    "p95_us": p95 * 1e6,
                }
            )
    return results

"""Saving: write-behind flushes against committing every change, full save and load, journal.

All figures come from real SQLite files in a temporary folder, opened by
:func:`fabula.persistence.schema.connect` with the settings saves use (WAL,
``synchronous=FULL``, exclusive lock), in one run:

1. **Flush of K changed components** (:mod:`~benchmarks.persistence.flush`),
   numeric (a columnar ``Pos``) and object (a ``Label`` dataclass with a str
   and a list, encoded with msgspec): write-behind, as ``SaveFile.flush``
   does it, against *naive* (one commit per change) and against the *bare*
   ``executemany`` of the same rows. Ratios: write-behind over naive (rates)
   and write-behind's time over the bare write's time. Targets (the issue's,
   at K = 10,000): >= 50x naive, within 2x of the bare ``executemany``.
2. **Full save and load** (:mod:`~benchmarks.persistence.snapshot`) of N
   entities with three components (two numeric, one object) and with the
   two numeric ones only, through :func:`~fabula.persistence.write_world`
   and :func:`~fabula.persistence.read_world`, against
   ``World.spawn_batch`` of the same data (building the object components
   too).
3. **Journal append** per turn (:mod:`~benchmarks.persistence.journal`):
   median and 95th percentile of :func:`fabula.persistence.journal.append`
   with a realistic :class:`~fabula.persistence.TurnRecord`, fsynced
   (``FULL``) and not (``NORMAL``, ``durability="process"``).
4. **Decoding an object component** (:mod:`~benchmarks.persistence.decode`):
   msgspec's typed MessagePack decode (what saves use; it validates),
   msgspec's typed JSON decode, Pydantic's ``TypeAdapter(C).validate_json``
   and the unvalidated ``C(**json.loads(s))``, ns per component.

Method: :func:`time.perf_counter`, best of ``--repeats`` timed runs (the
flush's three ways interleaved, so they see the same disk, each after a
``wal_checkpoint(RESTART)``, so none pays for a checkpoint another made due);
garbage is collected before and collection paused during every timed
section (:mod:`benchmarks.timing`). Every measurement checks its own work:
after a write-behind flush and after a full save,
:func:`~fabula.persistence.read_world` must give back a world with the same
:func:`~fabula.persistence.state_digest` as the one written, and appended
turns must be in the journal; a failed check raises
:class:`~benchmarks.ecs.VerificationError` and no figure is printed.

The code lives in modules named for what they hold: ``worlds`` (the
components, the worlds and the file check every measurement shares),
``flush``, ``snapshot``, ``journal`` and ``decode`` (one measurement each),
and ``report`` (the whole run, its tables and the command line).

Run it with::

    python -m benchmarks.persistence [--sizes 1000,10000,100000] [--entities 100000]
        [--repeats 3] [--naive-sample 5000] [--turns 500] [--markdown]
"""

from __future__ import annotations

from benchmarks.ecs import VerificationError
from benchmarks.persistence.decode import run_decode
from benchmarks.persistence.flush import KINDS, TARGET_K, run_flush
from benchmarks.persistence.journal import run_journal
from benchmarks.persistence.report import environment, main, markdown, run, tables
from benchmarks.persistence.snapshot import run_snapshot

__all__ = [
    "KINDS",
    "TARGET_K",
    "VerificationError",
    "environment",
    "main",
    "markdown",
    "run",
    "run_decode",
    "run_flush",
    "run_journal",
    "run_snapshot",
    "tables",
]

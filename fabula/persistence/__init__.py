"""Saving games: SQLite snapshots, write-behind, the action journal, recovery.

Start with :class:`SaveFile`. The file format is in
:mod:`fabula.persistence.schema`, the component tables in
:mod:`fabula.persistence.codec`, the journal in
:mod:`fabula.persistence.journal`; how a save is locked and checked before
SQLite opens it in :mod:`fabula.persistence.opening`, and how a damaged one
is recovered in :mod:`fabula.persistence.recovery`. The design, the fault
model and the determinism contract are in ``docs/persistence.md``.
"""

from fabula.persistence.digest import rng_fingerprint, state_digest
from fabula.persistence.journal import TurnRecord
from fabula.persistence.recovery import RecoveryReport
from fabula.persistence.replay import replay
from fabula.persistence.save import SaveFile
from fabula.persistence.schema import FORMAT_VERSION, MIGRATIONS
from fabula.persistence.snapshot import read_world, write_world
from fabula.persistence.verify import ReplayReport, verify
from fabula.persistence.write_behind import FlushPolicy

__all__ = [
    "FORMAT_VERSION",
    "MIGRATIONS",
    "FlushPolicy",
    "RecoveryReport",
    "ReplayReport",
    "SaveFile",
    "TurnRecord",
    "read_world",
    "replay",
    "rng_fingerprint",
    "state_digest",
    "verify",
    "write_world",
]

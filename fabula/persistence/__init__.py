"""Saving games: SQLite snapshots, write-behind, the action journal, recovery.

Start with :class:`SaveFile`. The file format is in
:mod:`fabula.persistence.schema`, the component tables in
:mod:`fabula.persistence.codec`, the journal in
:mod:`fabula.persistence.journal`, and the design and determinism contract
in ``docs/persistence.md``.
"""

from fabula.persistence.digest import rng_fingerprint, state_digest
from fabula.persistence.journal import TurnRecord
from fabula.persistence.replay import replay
from fabula.persistence.save import SaveFile
from fabula.persistence.schema import FORMAT_VERSION, MIGRATIONS
from fabula.persistence.snapshot import read_world, write_world
from fabula.persistence.write_behind import FlushPolicy

__all__ = [
    "FORMAT_VERSION",
    "MIGRATIONS",
    "FlushPolicy",
    "SaveFile",
    "TurnRecord",
    "read_world",
    "replay",
    "rng_fingerprint",
    "state_digest",
    "write_world",
]

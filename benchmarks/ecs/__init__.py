"""ECS throughput and memory: fabula's World against esper and tcod-ecs, in one run.

Every library stores the *same* component classes (slotted dataclasses made by
``@component``; esper and tcod-ecs accept any class). The standard world has N
entities: entity ``i`` holds ``Position(i, 0)`` and ``Velocity(1, 0.5)``, and
odd ``i`` also ``Health(100)``, so fabula keeps two archetypes.

Scenarios (rates per second, higher is better; memory in bytes, lower is better):

* **spawn**: N entities one at a time with 2-3 components.
* **spawn 2 comps**: N entities with a position and a velocity; fabula by
  ``spawn_batch`` from numpy arrays (columnar twins ``CPosition``,
  ``CVelocity``) and, as a second row, from lists of instances; esper and
  tcod-ecs one at a time (they have no batch call).
* **tick, steady**: ``p.x += v.dx; p.y += v.dy`` over object components with
  no structural change between ticks (esper's query cache stays warm).
* **tick, first after one change**: one entity gains or loses a ``Marked``
  tag, then the tick; esper throws its query cache away on any structural
  change and rebuilds it.
* **mixed frame**: 1% of entities (random, the same for every library) gain
  or lose ``Marked``, then the tick; frames per second. A second row does the
  same on the columnar twins with the vectorized tick (fabula only, against
  esper's object mixed frame).
* **tick, vectorized**: ``query_columns`` over the columnar twins (same world
  shape), against esper's *steady* object tick and the numpy limit
  (``x += dx; y += dy`` on bare float64 arrays of N).
* **entities_with**: how many entities have ``Health``, and whether one does.
  fabula: ``len(world.entities_with[Health])`` and ``e in ...``; esper, the
  closest public API: ``len(esper.get_component(Health))`` (a list cached
  until any structural change) and ``esper.has_component``; tcod-ecs: the
  entity set of ``Q.all_of(components=[Health])``. Measured in steady state
  and right after a change (one entity gains or loses ``Marked``; only the
  lookup is timed). The target is about the latter, the realistic case in a
  game where something changes every frame.
* **add/remove churn**: ``Stunned`` added to min(N, 50k) entities, then
  removed from them; operations per second.
* **memory**: bytes per entity by :mod:`tracemalloc` (traced size after
  building N entities minus before, over N), for numeric-only entities
  (fabula: the two columnar twins via ``spawn_batch``; others: instances of
  the same two classes) and for the standard object world. Stored component
  instances are counted; fabula's input arrays, which it copies, are not.
* **component kinds**: the object tick in fabula and esper with slotted
  dataclass, msgspec Struct and Pydantic components (and Pydantic with
  ``validate_assignment``), how fast two instances are built, and boundary
  validation by :func:`fabula.ecs.validate_component`.

Method: :func:`time.perf_counter`, best of ``repeats`` timed runs; garbage is
collected before and collection paused during every timed section, for every
library alike. Each scenario checks its own work (a probe entity's position
after the ticks, counts after toggles, the lookups' answers) and raises
:class:`VerificationError` if a library skipped it; :func:`run` also checks
that all libraries end in the same state. esper's module-global state is
reset with ``esper.clear_database()`` between runs.

Run it with::

    python -m benchmarks.ecs --sizes 10000,100000,1000000 [--repeats 3] [--markdown]

The code lives in modules named for what they hold: ``components``,
``model`` (results, targets, the work plan, timing), ``libraries``,
``scenarios`` (the measurements and :func:`run`) and ``report`` (tables and
the command line).
"""

from __future__ import annotations

from benchmarks.ecs.components import DX, DY, KINDS, Marked, Position, Stunned, VerificationError
from benchmarks.ecs.libraries import ENGINES, FabulaLibrary, make_rows
from benchmarks.ecs.model import SCENARIOS, Plan, Result, Scenario, Target
from benchmarks.ecs.report import HEADER, main, main_rows, markdown, parse_sizes, tables
from benchmarks.ecs.scenarios import measure_columnar, measure_library, measure_memory, run

__all__ = [
    "DX",
    "DY",
    "ENGINES",
    "HEADER",
    "KINDS",
    "SCENARIOS",
    "FabulaLibrary",
    "Marked",
    "Plan",
    "Position",
    "Result",
    "Scenario",
    "Stunned",
    "Target",
    "VerificationError",
    "main",
    "main_rows",
    "make_rows",
    "markdown",
    "measure_columnar",
    "measure_library",
    "measure_memory",
    "parse_sizes",
    "run",
    "tables",
]

"""Benchmarks that measure fabula against the libraries it replaces, in one run.

* :mod:`benchmarks.ecs`: the World against esper and tcod-ecs (spawning,
  ticks, structural churn, lookups, memory, component kinds).
* :mod:`benchmarks.events`: the EventBus against blinker and pyee.
* :mod:`benchmarks.systems`: the scheduler's overhead per tick.
* :mod:`benchmarks.persistence`: saving (write-behind flushes, full save and
  load, the journal, decoding).
* :mod:`benchmarks.turn`: one turn of the pipeline (how often the parser
  model is needed, and what the engine costs per turn).

:mod:`benchmarks.timing` keeps the garbage collector out of the save and
turn benchmarks' figures. ``python -m benchmarks`` runs them all; each
module also runs alone (``python -m benchmarks.ecs``). Figures and how to
read them: ``docs/benchmarks.md``.
"""

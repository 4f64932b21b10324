"""Benchmarks that measure fabula against the libraries it replaces, in one run.

* :mod:`benchmarks.ecs`: the World against esper and tcod-ecs (spawning,
  ticks, structural churn, lookups, memory, component kinds).
* :mod:`benchmarks.events`: the EventBus against blinker and pyee.

``python -m benchmarks`` runs them all; each module also runs alone
(``python -m benchmarks.ecs``). Figures and how to read them:
``docs/benchmarks.md``.
"""

"""The SystemScheduler: orders systems and runs them, tick after tick.

Order: phases in ascending order; within a phase, a topological order of the
``before``/``after`` constraints in which ties go to the system added first.
The order is therefore a pure function of the declarations and of the order
they were added: every run of the same game ticks its systems identically,
which replay needs.

A turn-based game ticks once per accepted action; a simulation calls
:meth:`Scheduler.run` (or ``world.run(ticks=N)`` once attached) to tick many
times without input. Both go through :meth:`Scheduler.tick`:

1. ``world.tick`` is advanced;
2. results of async tasks that finished since the last tick (and tasks whose
   deadline passed) are published as events, so game logic sees them at a
   defined point;
3. :class:`~fabula.events.OnTick` is published;
4. every system runs, in order. An exception in a system propagates: a
   half-applied tick is a bug, not something to paper over.
"""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from fabula.errors import ScheduleError
from fabula.events import OnTick
from fabula.systems.system import Phase, SystemInfo, TickContext, system_info

if TYPE_CHECKING:
    from fabula.ecs import World
    from fabula.events import EventBus
    from fabula.systems.tasks import TaskRunner

__all__ = ["Scheduler"]


class Scheduler:
    """Runs registered systems in a defined order each tick.

    Args:
        bus: where ``OnTick`` and task results are published (optional).
        tasks: the runner for async work systems start (optional).
    """

    def __init__(self, bus: EventBus | None = None, tasks: TaskRunner | None = None) -> None:
        self.bus = bus
        self.tasks = tasks
        self._systems: dict[str, tuple[SystemInfo, Any]] = {}
        self._order: list[tuple[str, Any]] | None = None

    # -- registration ---------------------------------------------------------

    def add(
        self,
        system: Any,
        *,
        name: str | None = None,
        phase: Phase | None = None,
        before: Iterable[str] | None = None,
        after: Iterable[str] | None = None,
    ) -> Any:
        """Add a system; keyword arguments override its ``@system`` declaration.

        A class is instantiated with no arguments; an object with a ``run``
        method is called through it.

        Returns:
            What was added (the instance, for a class).

        Raises:
            ScheduleError: a system with that name is already scheduled.
        """
        declared = system_info(system)
        info = SystemInfo(
            name=name or declared.name,
            phase=declared.phase if phase is None else Phase(phase),
            before=declared.before if before is None else tuple(before),
            after=declared.after if after is None else tuple(after),
        )
        if info.name in self._systems:
            raise ScheduleError(
                f"a system named {info.name!r} is already scheduled; give one of them "
                "another name (@system(name=...) or add(..., name=...))."
            )
        target = system() if isinstance(system, type) else system
        run = getattr(target, "run", None)
        call = run if callable(run) else target
        if not callable(call):
            raise ScheduleError(
                f"system {info.name!r} is neither callable nor has a run(ctx) method."
            )
        self._systems[info.name] = (info, call)
        self._order = None
        return target

    def add_all(self, systems: Iterable[Any]) -> None:
        """Add several systems (e.g. a :class:`SystemRegistry`), in order."""
        for item in systems:
            self.add(item)

    def remove(self, name: str) -> None:
        """Remove the system called ``name``.

        Raises:
            ScheduleError: no such system (the message suggests close names).
        """
        if name not in self._systems:
            raise self._unknown(name, "remove()")
        del self._systems[name]
        self._order = None

    def __contains__(self, name: object) -> bool:
        return name in self._systems

    def __len__(self) -> int:
        return len(self._systems)

    # -- ordering -------------------------------------------------------------

    def order(self) -> list[str]:
        """System names in the order they run.

        Raises:
            ScheduleError: a constraint names an unknown system, contradicts
                the phase order, or the constraints form a cycle (the message
                names the systems on it).
        """
        return [name for name, _ in self._resolve()]

    def _unknown(self, name: str, where: str) -> ScheduleError:
        close = difflib.get_close_matches(name, list(self._systems), n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        return ScheduleError(f"{where} names system {name!r}, which is not scheduled.{hint}")

    def _resolve(self) -> list[tuple[str, Any]]:
        if self._order is not None:
            return self._order
        index = {name: i for i, name in enumerate(self._systems)}
        edges: dict[str, set[str]] = {name: set() for name in self._systems}
        for name, (info, _) in self._systems.items():
            for other in info.before:
                self._constrain(name, other, edges, index)
            for other in info.after:
                self._constrain(other, name, edges, index)
        indegree = dict.fromkeys(self._systems, 0)
        for targets in edges.values():
            for target in targets:
                indegree[target] += 1
        ready = [
            (info.phase, index[name], name)
            for name, (info, _) in self._systems.items()
            if not indegree[name]
        ]
        heapq.heapify(ready)
        order: list[tuple[str, Any]] = []
        while ready:
            _, _, name = heapq.heappop(ready)
            order.append((name, self._systems[name][1]))
            for target in sorted(edges[name], key=index.__getitem__):
                indegree[target] -= 1
                if not indegree[target]:
                    heapq.heappush(ready, (self._systems[target][0].phase, index[target], target))
        if len(order) != len(self._systems):
            cycle = self._find_cycle(edges, {n for n, d in indegree.items() if d})
            raise ScheduleError(
                "systems wait on each other in a cycle: "
                + " -> ".join(cycle)
                + ". Drop one of these before/after constraints."
            )
        self._order = order
        return order

    def _constrain(
        self, first: str, second: str, edges: dict[str, set[str]], index: dict[str, int]
    ) -> None:
        """Record that ``first`` runs before ``second``."""
        for name in (first, second):
            if name not in index:
                owner = second if name == first else first
                raise self._unknown(name, f"system {owner!r}'s before/after")
        phase_a = self._systems[first][0].phase
        phase_b = self._systems[second][0].phase
        if phase_a > phase_b:
            raise ScheduleError(
                f"{first!r} ({phase_a.name}) is asked to run before {second!r} "
                f"({phase_b.name}), but {phase_b.name} runs first. Move one of them to "
                "another phase or drop the constraint."
            )
        if phase_a == phase_b:
            edges[first].add(second)

    @staticmethod
    def _find_cycle(edges: dict[str, set[str]], stuck: set[str]) -> list[str]:
        start = min(stuck)
        path = [start]
        seen = {start: 0}
        node = start
        while True:
            node = min(t for t in edges[node] if t in stuck)
            if node in seen:
                return [*path[seen[node] :], node]
            seen[node] = len(path)
            path.append(node)

    # -- running ----------------------------------------------------------------

    def tick(self, world: World) -> TickContext:
        """Run one tick over ``world`` (see the module docstring); return its context."""
        order = self._resolve()
        world.tick += 1
        ctx = TickContext(world=world, tick=world.tick, bus=self.bus, tasks=self.tasks)
        bus = self.bus
        if self.tasks is not None:
            for event in self.tasks.collect(world.tick):
                if bus is not None:
                    bus.publish(event)
        if bus is not None:
            bus.publish(OnTick(tick=world.tick))
        for _, call in order:
            call(ctx)
        return ctx

    def run(self, world: World, ticks: int = 1) -> None:
        """Tick ``world`` ``ticks`` times."""
        for _ in range(ticks):
            self.tick(world)

    def attach(self, world: World) -> None:
        """Make ``world.run(ticks=N)`` tick this scheduler."""
        world.schedule = self

    def __repr__(self) -> str:
        return f"<Scheduler {len(self._systems)} systems>"

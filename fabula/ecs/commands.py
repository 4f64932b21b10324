"""Deferred structural commands: changes asked for while the world is iterated.

Moving rows under a running iterator would make it skip or repeat entities.
So while any iteration the World hands out is running (``query``,
``query_columns``, ``entities_with[C]``, ``entities()``), the structural
operations ``spawn``, ``insert``, ``remove``, ``try_remove`` and ``despawn``
do not touch the archetype tables: each queues itself with :func:`defer`, and
the queue is applied, in call order, as soon as the outermost iteration ends,
is closed, or is left by an exception (:func:`end_iteration`).

The state lives on the World:

* ``_iterating``: how many iterations are running now. Only
  :func:`fabula.ecs.query.walk`, which every iterator the World hands out goes
  through, raises it (on the first step) and lowers it (through
  :func:`end_iteration`, when the iteration ends or is left). The structural
  operations test it and queue instead of acting while it is non-zero.
* ``_deferred``: the queue, ``[(operation, args), ...]`` in call order;
  :func:`defer` and :func:`apply_deferred` are its only writers. It is
  non-empty only while ``_iterating`` is non-zero: the iteration that brings
  the count back to zero applies it.

What holds for deferred commands:

* a deferred ``spawn`` still returns its handle at once: the slot is reserved
  then (:mod:`fabula.ecs.entity`) and only the placing is queued, so later
  commands in the same loop may name the new entity;
* handles are checked when the command is given, not when it is applied: a
  stale or never-spawned handle raises at the call;
* applying never stops half-way: every command is tried, and the first failure
  is raised once all were, with a note counting the failures;
* ``spawn_batch`` is not deferred (its handles are a range of fresh slots):
  during an iteration it raises :class:`~fabula.errors.StructuralChangeError`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fabula.ecs.world import World

__all__ = ["apply_deferred", "defer", "end_iteration"]


def defer(world: World, operation: Callable[..., Any], *args: Any) -> None:
    """Queue ``operation(*args)`` until the outermost iteration ends."""
    world._deferred.append((operation, args))


def end_iteration(world: World) -> None:
    """One iteration ended; if it was the outermost, apply the queue."""
    world._iterating -= 1
    if not world._iterating and world._deferred:
        apply_deferred(world)


def apply_deferred(world: World) -> None:
    """Apply structural changes deferred during iteration, in call order.

    Runs by itself when the outermost iteration ends; call it only if you
    abandoned a query iterator without closing it.

    Each change is applied on its own: one that fails (say, a second
    despawn of the same entity) does not stop the ones queued after it.
    Once all were tried, the first failure is raised, with a note saying
    how many failed.
    """
    pending, world._deferred = world._deferred, []
    depth, world._iterating = world._iterating, 0
    failures: list[Exception] = []
    try:
        for operation, args in pending:
            try:
                operation(*args)
            except Exception as exc:
                failures.append(exc)
    finally:
        world._iterating = depth
    if failures:
        first = failures[0]
        first.add_note(
            f"raised while applying changes deferred during a query: {len(failures)} of "
            f"{len(pending)} failed; the others were applied."
        )
        raise first

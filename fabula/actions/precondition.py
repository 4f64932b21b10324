"""Preconditions: the named checks an action declares instead of writing them.

Most actions begin with the same questions (is the actor alive? can it reach
the thing? does it hold the key?). An action declares them::

    @action("take", description="Pick something up.", verbs=("take",))
    class Take(Action):
        Params = Target
        requires = (alive, in_reach("item"))  # checked by Rules, in order

        def validate(self, ctx, params):  # only what is particular to taking
            ...

and :class:`~fabula.actions.Rules` checks them, in the order written, after
the parameters validate and before the action's ``validate()`` runs; the
first refusal is the action's refusal, and ``validate()`` is not called. So
``validate()`` may take every precondition in ``requires`` for granted.

Two types live here:

* :class:`Precondition`: a check ready to run, bound to the parameter field it
  is about (``in_reach("item")``), or to the actor itself when its field is
  ``None`` (``alive``). This is what ``requires`` holds.
* :class:`PreconditionFactory`: a named check not yet bound to a field
  (``in_reach``); call it with the field's name to get the precondition.
  :func:`precondition` makes one from a test function.

A precondition's test is ``test(ctx, entity) -> Refusal | None``. It sees the
world only as the validator does (``ctx.world`` is a read-only
:class:`~fabula.ecs.WorldView`), and like a validator it **must not mutate**
anything and **must not draw random numbers**: it may run any number of times
(once per attempt, and again by tools that list or explain refusals), and
replay must not depend on how often rules were checked. It must not keep
state between calls either. A field whose value is ``None`` (an optional
parameter left out, such as the weapon of a bare-handed attack) passes
without the test being called.

What the standard library declares (``alive``, ``in_sight``, ``in_reach``,
``held``) lives in :mod:`fabula.actions.standard.preconditions`; this module
holds only the mechanism, which knows nothing of rooms or hands.

Implicit actions: ``satisfied_by`` names the action that could make a failed
precondition hold when tried first ("held: first taking the coat"). When the
precondition refuses and its refusal names the thing (``facts["item"]``, an
entity the actor perceives), :class:`~fabula.actions.Rules` tries that action
on it first, then checks again (see :mod:`fabula.actions.rules`). A refusal
that names nothing (the thing is unseen) is never "fixed" this way, so an
implicit action never reveals what the actor cannot perceive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import EllipsisType
from typing import TYPE_CHECKING, Any

from fabula.errors import ActionDeclarationError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from fabula.actions.action import Refusal, RuleContext

__all__ = ["Precondition", "PreconditionFactory", "PreconditionTest", "precondition"]

PreconditionTest = Callable[["RuleContext", Any], "Refusal | None"]
"""A precondition's test: ``test(ctx, entity)`` returns a refusal, or ``None``."""


@dataclass(frozen=True, slots=True, repr=False)
class Precondition:
    """A named check that must hold before an action's validator runs.

    Attributes:
        name: the check's stable name (``"alive"``, ``"in_reach"``), shown by
            :func:`repr` and :meth:`describe`.
        test: ``test(ctx, entity) -> Refusal | None``; read-only, no
            randomness, no state kept (see the module docstring).
        field: the parameter field whose value (an entity) is tested, or
            ``None`` to test the actor itself.
        summary: what holds when the check passes, in words; ``{field}``
            stands for the field's name ("the actor can reach the {field}").
        satisfied_by: the id of an action that, tried first on the thing the
            refusal names (``facts["item"]``, passed as its ``item``), could
            make the check pass, or ``None``. :class:`~fabula.actions.Rules`
            tries it as an implicit action.

    Example:
        >>> def _awake(ctx, actor):
        ...     return None
        >>> awake = Precondition("awake", _awake, summary="the actor is awake")
        >>> awake, awake.describe()
        (awake, 'the actor is awake')
    """

    name: str
    test: PreconditionTest
    field: str | None = None
    summary: str = ""
    satisfied_by: str | None = None

    def check(self, ctx: RuleContext, params: BaseModel) -> Refusal | None:
        """Run the test on the actor, or on ``params``'s field; ``None`` passes.

        A field whose value is ``None`` passes without running the test.
        """
        field = self.field
        if field is None:
            return self.test(ctx, ctx.actor)
        entity = getattr(params, field)
        if entity is None:
            return None
        return self.test(ctx, entity)

    def describe(self) -> str:
        """The check in words, e.g. ``"the actor holds the key (take may make it so)"``."""
        text = self.summary or self.name
        if self.field is not None:
            text = text.replace("{field}", self.field)
        if self.satisfied_by is not None:
            text += f" ({self.satisfied_by} may make it so)"
        return text

    def __repr__(self) -> str:
        return self.name if self.field is None else f"{self.name}({self.field!r})"


@dataclass(frozen=True, slots=True, repr=False)
class PreconditionFactory:
    """A named check on one entity, not yet told which parameter field holds it.

    Call it with the field's name to get the :class:`Precondition` that
    ``requires`` holds: ``in_reach("item")``, ``held("key")``. Make one with
    :func:`precondition`.

    Attributes:
        name: the check's stable name.
        test: ``test(ctx, entity) -> Refusal | None`` (see :class:`Precondition`).
        summary: what holds when it passes; ``{field}`` stands for the field.
        satisfied_by: the action that could make it hold, for every field it
            is bound to unless the binding says otherwise.
    """

    name: str
    test: PreconditionTest
    summary: str = ""
    satisfied_by: str | None = None

    def __call__(
        self, field: str, *, satisfied_by: str | EllipsisType | None = ...
    ) -> Precondition:
        """The precondition on ``field``; ``satisfied_by`` overrides the factory's.

        Raises:
            ActionDeclarationError: ``field`` is not a string (a common slip:
                ``in_reach(ctx, item)``, the call form of a plain function).
        """
        if not isinstance(field, str):
            raise ActionDeclarationError(
                f"{self.name}() takes the name of a parameter field, e.g. "
                f"{self.name}('item'), not {field!r}."
            )
        fix = self.satisfied_by if isinstance(satisfied_by, EllipsisType) else satisfied_by
        return Precondition(self.name, self.test, field, self.summary, fix)

    def __repr__(self) -> str:
        return f"<precondition {self.name}(field)>"


def precondition(
    summary: str, *, name: str | None = None, satisfied_by: str | None = None
) -> Callable[[PreconditionTest], PreconditionFactory]:
    """Make a :class:`PreconditionFactory` from a test function.

    Args:
        summary: what holds when the check passes; ``{field}`` stands for the
            field it is bound to.
        name: the check's name (default: the function's name).
        satisfied_by: the action that could make it hold (see
            :class:`Precondition`).

    Example:
        >>> @precondition("the {field} is not nailed down")
        ... def loose(ctx, entity):
        ...     return None
        >>> loose("item"), loose("item").describe()
        (loose('item'), 'the item is not nailed down')
    """

    def make(test: PreconditionTest) -> PreconditionFactory:
        return PreconditionFactory(name or test.__name__, test, summary, satisfied_by)

    return make

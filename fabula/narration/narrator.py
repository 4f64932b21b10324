"""The template narrator: deterministic prose from Jinja2 templates.

It is the offline narrator and the fallback when a model narrator fails. One
template per action (``actions/<id>.j2``) tells a success, one per refusal
code (``refusals/<CODE>.j2``) tells a refusal; ``default.j2`` in each folder
covers the rest. A game overrides any of them by placing a file with the same
path in its own ``templates/`` folder.

Templates see: ``actor``, ``params`` (the action's parameters), ``facts``
(a refusal's facts), ``reason``, ``events`` (the outcome's events as
dictionaries with a ``kind``), ``room`` (the room description, for actions
that change what the actor sees), and helpers: ``the(e)``, ``a(e)``,
``name(e)``, ``list_of(words)``, ``description(e)``, ``carrying()``,
``revealed(e)``, ``scenery(e)`` (whether ``e`` is scenery), ``state(e,
"open")`` (whether a state of :mod:`fabula.content.appearance` holds),
``shown_inside(e)`` (what is seen in or on it, each "a thing"),
``plural(e)``, ``container(e)``, and the ``cap`` filter (capitalise the
first letter only). ``implicit/<id>.j2`` tells an implicit action tried
first ("(first taking the coat)", or "(Tamsin first taking the key)" when
``doer``, who acted, is not ``actor``), on a line before the action's own
text. ``others/<Event>.j2`` tell what other actors did to the player during
the tick (``others/health.j2`` follows with the player's health).
Templates run in Jinja2's sandbox with strict undefined variables: a typo in
a game's template is an error, not a silent blank. The sandbox is bounded
(:class:`~fabula.content.BoundedEnvironment`: loops, sizes, output), and a
template that fails raises a :class:`~fabula.errors.ContentError` naming its
file and line; ``fabula validate`` renders every template first
(:mod:`fabula.narration.check`), so a sound game never meets one.

Names of things used up by the turn (eaten, destroyed) are remembered before
the turn: call :meth:`TemplateNarrator.prepare` with the proposals first.

:meth:`TemplateNarrator.account` is the *plain account* of a turn: its
outcomes told, then what other actors did to the player, joined. It is made
here and nowhere else, because three readers must agree on it byte for
byte: the session shows it (and gives it to the narrator model as the
ground truth), memory remembers it, and memory's sync rebuilds it by replay.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, PackageLoader, StrictUndefined, Template, TemplateNotFound

from fabula.actions import ActionProposal, Outcome
from fabula.actions.standard import Container, Health, Location, Named, contents, sees_inside
from fabula.content import (
    BoundedEnvironment,
    BoundedLoader,
    is_scenery,
    state_holds,
    template_problem,
)
from fabula.ecs import WorldView
from fabula.errors import ContentError
from fabula.events import Event, OnDamage, OnDeath, OnMessage
from fabula.narration import prose

__all__ = ["TemplateNarrator"]

_SHOWS_ROOM = frozenset({"look", "go", "exit", "switch_on", "switch_off"})
"""Actions after which the room is described (when it is lit)."""


class TemplateNarrator:
    """Tells outcomes in plain, deterministic English.

    Args:
        overrides: a game's ``templates/`` folder, searched before the
            built-in templates.
    """

    def __init__(self, overrides: Path | None = None) -> None:
        loaders: list[Any] = []
        self.root = overrides.parent if overrides is not None else None
        if overrides is not None and overrides.is_dir():
            loaders.append(BoundedLoader(overrides))
        loaders.append(PackageLoader("fabula.narration", "templates"))
        self.env = BoundedEnvironment(
            loader=ChoiceLoader(loaders),
            autoescape=False,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.add_filter("cap", _cap)
        self._names: dict[int, Named] = {}

    def prepare(self, world: WorldView, proposals: Sequence[ActionProposal]) -> None:
        """Remember the names of the things ``proposals`` mention, before the
        turn may destroy them."""
        self._names = {}
        for proposal in proposals:
            for value in proposal.params.values():
                if isinstance(value, int) and value in world:
                    named = world.try_get(value, Named, readonly=True)
                    if named is not None:
                        self._names[value] = named

    def account(
        self,
        world: WorldView,
        actor: int,
        outcomes: Sequence[Outcome],
        events: Sequence[Event],
        *,
        told: str | None = None,
    ) -> str:
        """The plain account of a turn, as the session shows it without a
        model: :meth:`narrate` of the outcomes, then :meth:`others` of the
        events, separated by a blank line (either may be empty).

        ``world`` is the world after the turn; :meth:`prepare` must have been
        called with the turn's proposals before it was played. ``told`` is
        :meth:`narrate` of the outcomes made before the turn's tick (as
        ``Simulation.play(before_tick=...)`` allows): the actions' reports
        describe the world they left, not what the tick did next (an
        inventory listed before the crab's bite kills you, not after).
        """
        narrated = told if told is not None else self.narrate(world, actor, outcomes)
        told = (narrated, self.others(world, actor, events))
        return "\n\n".join(part for part in told if part)

    def narrate(self, world: WorldView, actor: int, outcomes: Sequence[Outcome]) -> str:
        """The text for one turn's outcomes, in order."""
        counts = Counter(o.proposal.action for o in outcomes if o.proposal is not None)
        paragraphs = []
        for outcome in outcomes:
            text = self._one(world, actor, outcome).strip()
            proposal = outcome.proposal
            if proposal is not None and counts[proposal.action] > 1 and text:
                item = proposal.params.get("item")
                if isinstance(item, int):
                    text = f"{self._name(world, item)}: {text}"
            if text:
                paragraphs.append(text)
        return (
            "\n".join(paragraphs)
            if all(len(p) < 60 for p in paragraphs)
            else "\n\n".join(paragraphs)
        )

    def others(self, world: WorldView, actor: int, events: Sequence[Event]) -> str:
        """What other actors did to ``actor`` during the turn (a creature's
        bite, the actor's death), from ``others/<Event>.j2``, then its health
        if it was hurt and lives; then the game's own messages
        (:class:`~fabula.events.OnMessage`, e.g. its timeline), as written."""
        lines, hurt, said = [], False, []
        for event in events:
            if isinstance(event, OnMessage):  # the game's own words, told last
                if event.source != "rule-report":  # told as the action's report instead
                    said.append(event.text)
                continue
            if isinstance(event, OnDamage) and event.target == actor:
                if event.source in (None, actor):
                    continue
            elif not (isinstance(event, OnDeath) and event.entity == actor):
                continue
            hurt = True
            context = self._context(world, actor) | {"event": _event(event)}
            lines.append(self._render("others", type(event).__name__, context).strip())
        health = world.try_get(actor, Health, readonly=True)
        if hurt and health is not None and health.hp > 0:
            context = self._context(world, actor) | {"hp": health.hp, "max_hp": health.max_hp}
            lines.append(self._render("others", "health", context).strip())
        return "\n\n".join([*lines, *said])

    def describe_room(self, world: WorldView, actor: int) -> str:
        """The actor's surroundings (what ``look`` shows)."""
        return prose.describe_room(world, actor)

    # ----------------------------------------------------------- internals

    def _name(self, world: WorldView, entity: int) -> str:
        if entity in world and world.has(entity, Named):
            return prose.name(world, entity)
        named = self._names.get(entity)
        return named.name if named is not None else "something"

    def _the(self, world: WorldView, entity: int | None) -> str:
        if entity is not None and entity not in world and entity in self._names:
            return self._names[entity].definite()
        return prose.the(world, entity)

    def _one(self, world: WorldView, actor: int, outcome: Outcome) -> str:
        """One outcome told: a line for each implicit action tried first,
        then the action's own text (or the refusal that stopped it)."""
        lines = [
            self._render("implicit", first.proposal.action, self._context(world, actor) | {
                "params": dict(first.proposal.params),
                "action": first.proposal.action.replace("_", " "),
                "doer": first.proposal.actor,
            }).strip()
            for first in outcome.implicit
            if first.proposal is not None
        ]  # fmt: skip
        lines.append(self._told(world, actor, outcome).strip())
        return "\n".join(line for line in lines if line)

    def _told(self, world: WorldView, actor: int, outcome: Outcome) -> str:
        proposal = outcome.proposal
        params = dict(proposal.params) if proposal is not None else {}
        if outcome.params is not None:
            params.update(outcome.params.model_dump())
        context = self._context(world, actor) | {
            "params": params,
            "facts": {},
            "reason": "",
            "events": [_event(e) for e in outcome.events],
            "room": "",
        }
        if outcome.refusal is not None:
            context["facts"] = dict(outcome.refusal.facts)
            context["reason"] = outcome.refusal.reason
            return self._render("refusals", outcome.refusal.code, context)
        replaced = [e.text for e in outcome.events
                    if isinstance(e, OnMessage) and e.source == "rule-report"]  # fmt: skip
        if replaced:  # an after rule with stop = true tells it in its own words
            return "\n\n".join(replaced)
        action = proposal.action if proposal is not None else "default"
        if action in _SHOWS_ROOM:
            context["room"] = prose.describe_room(world, actor)
        return self._render("actions", action, context)

    def _context(self, world: WorldView, actor: int) -> dict[str, Any]:
        """The helpers every template may use."""
        return {
            "actor": actor,
            "the": lambda e: self._the(world, e),
            "a": lambda e: prose.a(world, e),
            "name": lambda e: self._name(world, e),
            "list_of": prose.list_of,
            "description": lambda e: prose.description(world, e),
            "carrying": lambda: _carrying(world, actor),
            "revealed": lambda e: _revealed(world, e),
            "scenery": lambda e: is_scenery(world, e),
            "state": lambda e, state: e in world and state_holds(world, e, state),
            "shown_inside": lambda e: _shown_inside(world, e),
            "plural": lambda e: _plural(world, e),
            "container": lambda e: e in world and world.has(e, Container),
        }

    def template(self, folder: str, name: str) -> Template:
        """The template telling ``name`` (``folder/name.j2``, else ``folder/default.j2``).

        Raises:
            ContentError: the template cannot be loaded (its file and line).
        """
        path = f"{folder}/{name}.j2"
        try:
            try:
                return self.env.get_template(path)
            except TemplateNotFound:
                path = f"{folder}/default.j2"
                return self.env.get_template(path)
        except ContentError:
            raise
        except Exception as exc:  # a syntax error, or anything a bad file raises
            raise ContentError([template_problem(exc, path, self.root)]) from exc

    def _render(self, folder: str, name: str, context: dict[str, Any]) -> str:
        """Render a template within the sandbox's bounds.

        Raises:
            ContentError: the template failed (its file and line, and why).
        """
        template = self.template(folder, name)
        try:
            return self.env.render(template, context)
        except Exception as exc:  # the game's template: whatever it raised is its problem
            file = template.filename or template.name or name
            raise ContentError([template_problem(exc, file, self.root)]) from exc


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _event(event: Any) -> dict[str, Any]:
    data = dataclasses.asdict(event) if dataclasses.is_dataclass(event) else {}
    data["kind"] = type(event).__name__
    return data


def _carrying(world: WorldView, actor: int) -> list[str]:
    out = []
    for item in sorted(contents(world, actor)):
        worn = world.get(item, Location, readonly=True).how == "worn"
        out.append(prose.a(world, item) + (" (worn)" if worn else ""))
    return out


def _plural(world: WorldView, entity: int | None) -> bool:
    named = world.try_get(entity, Named, readonly=True) if entity in world else None
    return named is not None and named.plural


def _shown_inside(world: WorldView, entity: int) -> list[str]:
    """What can be seen in or on ``entity``, each with its article ("a
    flask", "some coins"); empty when it is closed and opaque."""
    if not sees_inside(world, entity):
        return []
    return [prose.a(world, e) for e in sorted(contents(world, entity))]


def _revealed(world: WorldView, entity: int) -> str:
    if not sees_inside(world, entity):
        return ""
    inside = sorted(contents(world, entity))
    return prose.list_of(prose.a(world, e) for e in inside) if inside else ""

"""Running a game's rules and scenes (:mod:`fabula.content.rulespec`) inside
its simulation, as Inform runs its rulebooks.

:class:`Rulebook` is the :class:`~fabula.actions.RuleHooks` of the game's
:class:`~fabula.actions.Rules`: ``before`` rules run before the action's
checks (one with ``stop`` refuses it with its text), ``instead`` rules
replace the action (the first that applies refuses it with its text),
``after`` rules run once it succeeded (one with ``stop`` replaces its report,
and no later after rule runs). ``every_turn`` rules and scenes are systems
of the turn's tick. Every effect happens while a turn is played, inside the
attempt or the tick, so the journal's proposals replay it exactly, undo
takes it back, and a refusal may still change the world.

Rules are indexed by action id, so an action with no rule of its own costs
one dictionary lookup per stage however many rules the game has.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from fabula.actions import ActionProposal, Refusal, Rules
from fabula.actions.standard import Location, Player
from fabula.content.components import Ended, Ident, Scenes, Variables
from fabula.content.progress import record
from fabula.content.rulespec import Effect, Rule, RuleSet, Scene
from fabula.content.scope import bindings
from fabula.ecs import World
from fabula.events import Event, OnMessage
from fabula.systems import Phase, TickContext, system

__all__ = ["REFUSED_BY_RULE", "Rulebook"]

IdsOf = Callable[[World], Mapping[str, int]]

REFUSED_BY_RULE = "RULE"
"""The refusal code of an action a ``before`` or ``instead`` rule stopped;
its reason is the rule's text."""

REPORT = "rule-report"
"""The source of an after rule's text that replaces the action's report."""


class Rulebook:
    """A game's rules, ready to run (see the module docstring).

    Args:
        rules: the checked rules and scenes.
        ids_of: the game's ids in a world.
    """

    def __init__(self, rules: RuleSet, ids_of: IdsOf) -> None:
        self.set = rules
        self.ids_of = ids_of
        self._by_action: dict[str, list[Rule]] = {}
        self._any: list[Rule] = []
        for rule in rules.rules:
            if rule.actions is None:
                self._any.append(rule)
            else:
                for name in rule.actions:
                    self._by_action.setdefault(name, []).append(rule)
        self._every_turn = tuple(r for r in rules.rules if r.when == "every_turn")
        self._cache: dict[tuple[str, str], tuple[Rule, ...]] = {}

    def _for(self, when: str, action: str) -> tuple[Rule, ...]:
        """The rules of stage ``when`` that may apply to ``action``, in order."""
        key = (when, action)
        found = self._cache.get(key)
        if found is None:
            mine = [r for r in self._by_action.get(action, ()) if r.when == when]
            mine.extend(r for r in self._any if r.when == when and action not in r.unless)
            found = self._cache[key] = tuple(sorted(mine, key=lambda r: r.index))
        return found

    # ---------------------------------------------------------- the hooks

    def before(self, rules: Rules, proposal: ActionProposal, params: BaseModel) -> Refusal | None:
        """Before rules: each that applies has its effects and says its text;
        the first with ``stop`` refuses the action."""
        for rule, said in self._applying(self._for("before", proposal.action), rules, proposal):
            if rule.stop:
                return Refusal(REFUSED_BY_RULE, said, {})
            if said and rules.bus is not None:
                rules.bus.publish(OnMessage(said, source="rule"))
        return None

    def instead(self, rules: Rules, proposal: ActionProposal, params: BaseModel) -> Refusal | None:
        """Instead rules: the first that applies replaces the action."""
        for _rule, said in self._applying(self._for("instead", proposal.action), rules, proposal):
            return Refusal(REFUSED_BY_RULE, said, {})
        return None

    def after(self, rules: Rules, proposal: ActionProposal, params: BaseModel) -> list[Event]:
        """After rules: their texts, told after the report, or instead of
        it for one with ``stop`` (which ends the after rules)."""
        told: list[Event] = []
        for rule, said in self._applying(self._for("after", proposal.action), rules, proposal):
            if rule.stop:
                told.append(OnMessage(said, source=REPORT))
                break
            if said:
                told.append(OnMessage(said, source="rule"))
        return told

    # ---------------------------------------------------------- the systems

    def systems(self, rules: Rules) -> list[object]:
        """The every-turn rules and the scenes, as systems of the tick."""
        found: list[object] = []
        if self._every_turn:

            @system(name="rules_every_turn", phase=Phase.POST_UPDATE)
            def every_turn(ctx: TickContext) -> None:
                for player in sorted(ctx.world.entities_with[Player]):
                    for _rule, said in self._applying(self._every_turn, rules, None, player):
                        if said and ctx.bus is not None:
                            ctx.bus.publish(OnMessage(said, source="rule"))

            found.append(every_turn)
        if self.set.scenes:

            @system(name="scenes", phase=Phase.POST_UPDATE)
            def scenes(ctx: TickContext) -> None:
                for player in sorted(ctx.world.entities_with[Player]):
                    for scene in self.set.scenes:
                        self._scene(scene, rules, player, ctx)

            found.append(scenes)
        return found

    # ---------------------------------------------------------- internals

    def _scope(self, world: World, player: int, proposal: ActionProposal | None) -> Any:
        ids = self.ids_of(world)
        if proposal is None:
            names: dict[str, Any] = dict.fromkeys(("action", "actor", "noun", "second"), "")
            names["actor"] = _ident(world, player)
            return bindings(world, ids, player, names)
        objects = [
            _ident(world, v) if isinstance(v, int) and not isinstance(v, bool) else v
            for v in proposal.params.values()
            if isinstance(v, int | str)
        ]
        objects += ["", ""]
        names = {
            "action": proposal.action,
            "actor": _ident(world, proposal.actor),
            "noun": objects[0],
            "second": objects[1],
        }
        return bindings(world, ids, _player(world, proposal.actor), names)

    def _applying(
        self,
        candidates: Sequence[Rule],
        rules: Rules,
        proposal: ActionProposal | None,
        player: int | None = None,
    ) -> Iterator[tuple[Rule, str]]:
        """Each of ``candidates`` whose condition holds, in order, once its
        effects are applied, with its text ("" if it has none). One scope
        judges the conditions until a rule changes the world."""
        if not candidates:
            return
        world = rules.world
        who = player if player is not None else _player(world, proposal.actor if proposal else -1)
        params = dict(proposal.params) if proposal is not None else {}
        scope = None
        for rule in candidates:
            if scope is None:
                scope = self._scope(world, who, proposal)
            if rule.condition is not None and not rule.condition.holds(scope):
                continue
            self.apply(rule.effects, rules, who, f"rule:{rule.id}", params)
            scope = self._scope(world, who, proposal) if rule.effects else scope
            yield rule, ("" if rule.say is None else rule.say.render(scope).strip())

    def _scene(self, scene: Scene, rules: Rules, player: int, ctx: TickContext) -> None:
        world = rules.world
        state = world.try_get(player, Scenes) or Scenes()
        if scene.id in state.ended:
            return
        began = scene.id in state.began
        test = scene.begins if not began else scene.ends
        if test is None or not test.holds(self._scope(world, player, None)):
            return
        if not began:
            world.insert(player, Scenes({**state.began, scene.id: world.tick}, dict(state.ended)))
            effects, text = scene.on_begin, scene.say_begin
        else:
            world.insert(player, Scenes(dict(state.began), {**state.ended, scene.id: world.tick}))
            effects, text = scene.on_end, scene.say_end
        self.apply(effects, rules, player, f"scene:{scene.id}", {})
        if text is not None and ctx.bus is not None:
            said = text.render(self._scope(world, player, None)).strip()
            if said:
                ctx.bus.publish(OnMessage(said, source="scene"))

    def apply(
        self,
        effects: tuple[Effect, ...],
        rules: Rules,
        player: int,
        key: str,
        params: dict[str, Any],
    ) -> None:
        """Apply ``effects`` in order for ``player`` (``key`` names the rule
        or scene, so an award is given once; ``params`` go to a ``run``)."""
        world = rules.world
        for effect in effects:
            ids = self.ids_of(world)
            if effect.kind == "set":
                assert effect.to is not None
                value = effect.to.value(self._scope(world, player, None))
                found = world.try_get(player, Variables) or Variables()
                world.insert(player, Variables({**found.values, effect.target: value}, found.shown))
            elif effect.kind == "move":
                thing = ids.get(effect.target)
                if thing is None:
                    continue
                if effect.place == "nowhere":
                    if world.has(thing, Location):
                        world.remove(thing, Location)
                    continue
                holder = player if effect.place == "player" else ids.get(effect.place)
                if holder is not None:
                    world.insert(thing, Location(holder))
            elif effect.kind == "change":
                thing = ids.get(effect.target)
                if thing is None or effect.component is None or effect.to is None:
                    continue
                value = effect.to.value(self._scope(world, player, None))
                current = world.try_get(thing, effect.component)
                if current is None:
                    try:
                        current = effect.component()
                    except TypeError:
                        continue
                world.insert(thing, dataclasses.replace(current, **{effect.field: value}))
            elif effect.kind == "award":
                record(world, player, key, effect.points, effect.words)
            elif effect.kind == "end":
                world.insert(player, Ended(effect.target, effect.message))
            elif effect.kind == "run":
                proposal = {"action": effect.target, "actor": player, "params": params,
                            "source": "system"}  # fmt: skip
                rules.attempt(proposal, implicit=False)


def _ident(world: World, entity: int) -> str:
    found = world.try_get(entity, Ident, readonly=True) if entity in world else None
    return found.id if found is not None else ""


def _player(world: World, actor: int) -> int:
    """The player the rule's variables belong to (the actor, if a player)."""
    if actor in world and world.has(actor, Player):
        return actor
    players = sorted(world.entities_with[Player])
    return players[0] if players else actor

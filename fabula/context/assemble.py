"""The final prompt: a role's prompt file filled with the turn's sections,
cut to fit the role's token budget in a fixed, documented order.

The sections a prompt file may read (all are always given):

========================  ==========================================  =========
variable                  what                                        cut?
========================  ==========================================  =========
``verdict``               what the rules decided (list of lines)      never
``account``               the template narrator's plain telling       never
``player_input``          what the player typed, capped at            never
                          ``input_limit`` characters
``state``                 the :class:`~fabula.context.StateContext`   in part
                          as text
``memories``              remembered lore and history, most           yes
                          relevant first (list of texts)
========================  ==========================================  =========

plus whatever the caller passes by name (``title``, the parser's ``actions``
and ``things``). The system prompt is whatever the file's ``system`` block
says, and is never cut.

**Truncation order.** While the rendered messages are over budget, the
builder cuts, one item at a time, in this order (:data:`CUT_ORDER`):

1. ``events``: the state's recent events, oldest first;
2. ``memories``: lowest score first (among equal scores, the one given last);
3. ``details``: the state's thing, people and inventory details ("lit",
   "on the workbench"), lowest salience first (among equal salience, the
   one listed last); the names stay;
4. ``description``: the room description, by sentences from the end; its
   first sentence stays.

Nothing else is ever cut: the system prompt, the verdict, the account, the
location's name, the exits, the names of what is perceived, the status and
goals, and the player's input. A section the prompt file does not read is
never cut (cutting it would free nothing). If even everything left after
every cut is over budget, that is returned, flagged ``over_budget``: the
caller logs it and the model's server refuses or truncates the request.

**Cost.** The messages are rendered once when they fit (the usual case);
otherwise the number of cuts is found by binary search over the cut order,
so a prompt with *n* cuttable items renders at most ``log2(n) + 2`` times.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from fabula.context.state import StateContext
from fabula.context.tokens import TokenCounter, count_messages, estimate_tokens
from fabula.errors import ArgumentError
from fabula.prompts import Prompt, PromptRef

__all__ = ["CUT_ORDER", "BuiltPrompt", "FinalPromptBuilder", "MemoryLike"]

CUT_ORDER: tuple[str, ...] = ("events", "memories", "details", "description")
"""The sections a budget cuts from, first to last (see the module docstring)."""

ELLIPSIS = "…"


class MemoryLike(Protocol):
    """What the builder needs of a memory (``fabula.memory.Memory`` fits):
    its text, and a relevance score (higher is more relevant)."""

    @property
    def text(self) -> str: ...

    @property
    def score(self) -> float: ...


@dataclass(frozen=True, slots=True)
class BuiltPrompt:
    """A prompt ready to send.

    Attributes:
        messages: the chat messages (``{"role": ..., "content": ...}``).
        tokens: their estimated cost, chat-template overhead included
            (:func:`~fabula.context.count_messages`).
        ref: the prompt file they came from, for the journal.
        dropped: how many items each section lost, by :data:`CUT_ORDER` name
            (every name is present, most are 0).
        over_budget: even with every cut, ``tokens`` exceeds ``budget``.
        budget: the budget it was built for.
    """

    messages: tuple[dict[str, str], ...]
    tokens: int
    ref: PromptRef
    dropped: Mapping[str, int] = field(default_factory=dict)
    over_budget: bool = False
    budget: int = 0


class FinalPromptBuilder:
    """Fills a prompt file with a turn's sections, within a token budget.

    Args:
        counter: how tokens are counted (the conservative estimate by default;
            pass a real tokenizer's count when one is at hand).
        input_limit: the longest player input passed on, in characters; a
            longer one is cut and ends with an ellipsis.

    Example:
        >>> from fabula.prompts import PromptLibrary
        >>> prompt = PromptLibrary.load().get("parser", "1")
        >>> built = FinalPromptBuilder().build(
        ...     prompt, budget=1024, player_input="grab the lamp",
        ...     actions=[("take", "Pick something up.")], things=["brass lamp"],
        ... )
        >>> built.messages[-1]
        {'role': 'user', 'content': 'grab the lamp'}
        >>> built.over_budget, sum(built.dropped.values())
        (False, 0)
    """

    def __init__(self, counter: TokenCounter = estimate_tokens, *, input_limit: int = 500) -> None:
        if input_limit < 1:
            raise ArgumentError(f"input_limit must be at least 1, not {input_limit}")
        self.counter = counter
        self.input_limit = input_limit

    def build(
        self,
        prompt: Prompt,
        *,
        budget: int,
        state: StateContext | None = None,
        memories: Sequence[MemoryLike] = (),
        verdict: Sequence[str] = (),
        account: str = "",
        player_input: str = "",
        **variables: Any,
    ) -> BuiltPrompt:
        """Render ``prompt`` with the sections, cut to ``budget`` tokens.

        Args:
            prompt: the role's prompt file.
            budget: the most tokens the messages may cost (the model's
                context minus the room kept for its answer).
            state: what the actor perceives (``state`` is ``""`` without one).
            memories: what memory retrieved for this turn.
            verdict: the turn's verdict lines (:func:`~fabula.context.describe_outcomes`).
            account: the template narrator's telling of the turn.
            player_input: what the player typed.
            variables: anything else the prompt file reads (``title``...).

        Raises:
            ArgumentError: ``budget`` is not positive.
            PromptRenderError: the prompt reads a variable that was not given.
        """
        if budget < 1:
            raise ArgumentError(f"budget must be a positive number of tokens, not {budget}")
        plan = _Plan(prompt, state, memories)
        fixed = dict(variables)
        fixed.update(
            verdict=list(verdict),
            account=account,
            player_input=self._capped(player_input),
        )
        renders: dict[int, tuple[list[dict[str, str]], int]] = {}

        def fits(cuts: int) -> bool:
            messages = prompt.render_mapping(fixed | plan.sections(cuts))
            tokens = count_messages(messages, self.counter)
            renders[cuts] = (messages, tokens)
            return tokens <= budget

        last = plan.size
        if fits(0):
            cuts = 0
        elif last == 0 or not fits(last):
            cuts = last  # over budget even with every cut: flagged below
        else:  # fits(last) and not fits(0): find the fewest cuts that fit
            low, cuts = 0, last
            while cuts - low > 1:
                middle = (low + cuts) // 2
                if fits(middle):
                    cuts = middle
                else:
                    low = middle
        messages, tokens = renders[cuts]
        return BuiltPrompt(
            messages=tuple(messages),
            tokens=tokens,
            ref=prompt.ref,
            dropped=plan.dropped(cuts),
            over_budget=tokens > budget,
            budget=budget,
        )

    def _capped(self, text: str) -> str:
        text = text.strip()
        if len(text) <= self.input_limit:
            return text
        return text[: self.input_limit - 1].rstrip() + ELLIPSIS


class _Plan:
    """The cut order of one build, and the sections after the first *k* cuts.

    The cuts are laid out in :data:`CUT_ORDER`, so *k* cuts are always a
    prefix: every event before any memory, every memory before any detail.
    """

    def __init__(
        self, prompt: Prompt, state: StateContext | None, memories: Sequence[MemoryLike]
    ) -> None:
        reads_state = state is not None and "state" in prompt.variables
        self.state = state
        self.memories = list(memories)
        # memory indices, the first to be cut first
        by_score = sorted(range(len(self.memories)), key=lambda i: (self.memories[i].score, -i))
        self.memory_cuts = by_score if "memories" in prompt.variables else []
        # shown order: most relevant first, ties in the order given
        self.memory_shown = sorted(
            range(len(self.memories)), key=lambda i: (-self.memories[i].score, i)
        )
        self.events = len(state.events) if reads_state and state is not None else 0
        self.lines = (state.things + state.people + state.inventory) if state is not None else ()
        self.detail_cuts: list[int] = []
        self.sentences: tuple[str, ...] = ()
        if reads_state and state is not None:
            detailed = [i for i, seen in enumerate(self.lines) if seen.detail]
            self.detail_cuts = sorted(detailed, key=lambda i: (self.lines[i].salience, -i))
            self.sentences = state.sentences()
        self.sizes = (
            self.events,
            len(self.memory_cuts),
            len(self.detail_cuts),
            max(len(self.sentences) - 1, 0),
        )
        self.size = sum(self.sizes)

    def counts(self, cuts: int) -> tuple[int, ...]:
        """How many items each section loses with ``cuts`` cuts."""
        out = []
        for size in self.sizes:
            taken = min(cuts, size)
            out.append(taken)
            cuts -= taken
        return tuple(out)

    def dropped(self, cuts: int) -> dict[str, int]:
        return dict(zip(CUT_ORDER, self.counts(cuts), strict=True))

    def sections(self, cuts: int) -> dict[str, Any]:
        """The ``state`` and ``memories`` variables after ``cuts`` cuts."""
        events, memories, details, sentences = self.counts(cuts)
        gone = set(self.memory_cuts[:memories])
        kept = [self.memories[i].text for i in self.memory_shown if i not in gone]
        state = self.state
        if state is None:
            return {"state": "", "memories": kept}
        if events or details or sentences:
            plain = set(self.detail_cuts[:details])
            lines = [s.plain() if i in plain else s for i, s in enumerate(self.lines)]
            things, people = len(state.things), len(state.people)
            state = replace(
                state,
                events=state.events[events:],
                things=tuple(lines[:things]),
                people=tuple(lines[things : things + people]),
                inventory=tuple(lines[things + people :]),
                description=(
                    " ".join(self.sentences[: len(self.sentences) - sentences])
                    if sentences
                    else state.description
                ),
            )
        return {"state": state.text(), "memories": kept}

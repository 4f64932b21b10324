"""What a role asked of its model in one turn, and what it cost.

A parser or a narrator does not keep what it last did on itself for the
session to read back: it *returns* it, as a :class:`ModelUse` carried on its
result (the parse result, the telling). The session puts it in the reply's
trace and the turn's journal row (:meth:`ModelUse.journal`), and is the only
reader.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ModelUse"]


@dataclass(frozen=True, slots=True)
class ModelUse:
    """One role's use of its model for one turn.

    Attributes:
        role: ``"parser"`` or ``"narrator"``.
        model: the model's name, as its settings give it.
        prompt: the reference of the prompt sent (``parser@1#3fa2b9c0d1e2``),
            empty if none was built.
        answers: what the model answered, one text per request that was
            answered (a parser asked again after a misfit answers twice); a
            telling streams its one answer, which is the telling's text.
        prompt_tokens, completion_tokens: as the server counted them, summed
            over the requests.
        latency: seconds spent waiting on the model, summed over the requests.
        attempts: HTTP requests made for the answers received, retries
            included (0: nothing was answered, e.g. the role's circuit was
            open or its server down).
        error: why the model's answer was not (fully) used; empty if it was.
    """

    role: str
    model: str
    prompt: str = ""
    answers: tuple[str, ...] = ()
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency: float = 0.0
    attempts: int = 0
    error: str = ""

    def journal(self, *, source: str = "") -> dict[str, str]:
        """This use as a turn's journal row keeps it: strings, keyed by the
        role's name and prefixed with it.

        A question's (the parser's)::

            {"parser": model, "parser_tokens": "11+3", "parser_answers": "1",
             "parser_ms": "412", "parser_prompt": ..., "parser_error": ...}

        A telling's (``source`` given, ``"model"`` or ``"template"``) says
        where the text shown came from instead of counting answers::

            {"narrator": model, "narrator_source": "model", "narrator_tokens": "9+3",
             "narrator_ms": "2315", "narrator_prompt": ..., "narrator_error": ...}

        The prompt and the error are left out when empty.

        >>> ModelUse("parser", "tiny", answers=("{}",), prompt_tokens=11, completion_tokens=3,
        ...          latency=0.4).journal()
        {'parser': 'tiny', 'parser_tokens': '11+3', 'parser_answers': '1', 'parser_ms': '400'}
        """
        role = self.role
        out = {role: self.model}
        if source:
            out[f"{role}_source"] = source
        out[f"{role}_tokens"] = f"{self.prompt_tokens}+{self.completion_tokens}"
        if not source:
            out[f"{role}_answers"] = str(len(self.answers))
        out[f"{role}_ms"] = f"{self.latency * 1000:.0f}"
        if self.prompt:
            out[f"{role}_prompt"] = self.prompt
        if self.error:
            out[f"{role}_error"] = self.error
        return out

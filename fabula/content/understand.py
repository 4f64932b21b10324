"""New phrasings of existing actions, as data: a game's ``grammar.toml``.

Inform lets a story add ``Understand "hang [something] on [something]" as
putting it on.`` without new code; this is the same seam. Each entry either
adds **words** (synonyms that work in every phrasing the action already
has) or a **pattern** whose ``[...]`` slots fill the action's parameters in
order (or by name, when the brackets hold a parameter's name)::

    [[understand]]
    words = ["hang"]                      # "hang cloak on hook" = put ... on
    action = "put"

    [[understand]]
    pattern = "drape [thing] over [thing]"
    action = "put"
    set = { how = "on" }                  # parameters the phrasing fixes

The action keeps its rules and checks: the game's registry gets a subclass
of it that only declares more ``verbs``/``syntax``, which the parser's
grammar compiles like any other. Problems name the file and the entry.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from fabula.actions import ActionRegistry, action, action_info
from fabula.content.limits import read_toml
from fabula.errors import ContentError

__all__ = ["GRAMMAR_FILE", "UnderstandSpec", "apply_understanding"]

GRAMMAR_FILE = "grammar.toml"


class UnderstandSpec(BaseModel):
    """One ``[[understand]]`` entry: ``words`` or a ``pattern`` for ``action``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: str
    words: list[str] = Field(default_factory=list)
    pattern: str | None = None
    set: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _something(self) -> UnderstandSpec:
        if not self.words and not self.pattern:
            raise ValueError("give `words` or a `pattern`")
        if any(not w.strip() or any(c in w for c in "[]{}|") for w in self.words):
            raise ValueError("each word is plain words (no brackets or bars)")
        return self


class _GrammarFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    understand: list[UnderstandSpec] = Field(default_factory=list)


def apply_understanding(root: Path, actions: ActionRegistry) -> None:
    """Read ``root/grammar.toml`` (none is fine) and give ``actions`` the
    phrasings it declares.

    Raises:
        ContentError: every problem, each naming the file and the entry.
    """
    path = root / GRAMMAR_FILE
    if not path.is_file():
        return
    problems: list[tuple[str, str, str]] = []
    raw = read_toml(path, lambda _f, where, msg: problems.append((GRAMMAR_FILE, where, msg)))
    if raw is None:
        raise ContentError(problems)
    try:
        parsed = _GrammarFile.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            where = ".".join(str(p) for p in error["loc"])
            problems.append((GRAMMAR_FILE, where, error["msg"]))
        raise ContentError(problems) from exc
    added: dict[str, tuple[list[str], list[str]]] = {}
    for i, spec in enumerate(parsed.understand):
        where = f"understand.{i}({spec.pattern or ' '.join(spec.words)})"
        cls = actions.try_get(spec.action)
        if cls is None:
            known = ", ".join(sorted(actions.names()))
            problems.append((GRAMMAR_FILE, where, f"no action {spec.action!r} (actions: {known})"))
            continue
        verbs, syntax = added.setdefault(spec.action, ([], []))
        verbs.extend(" ".join(w.split()) for w in spec.words)
        if spec.pattern is not None:
            source, problem = _to_syntax(spec, list(cls.Params.model_fields))
            if problem:
                problems.append((GRAMMAR_FILE, where, problem))
            else:
                syntax.append(source)
    if problems:
        raise ContentError(problems)
    for name, (verbs, syntax) in added.items():
        base = actions.get(name)
        info = action_info(base)
        extended = type(base.__name__, (base,), {"__module__": base.__module__})
        marked = action(
            name,
            description=info.description,
            verbs=(*(info.verbs or (name,)), *verbs),
            syntax=(*(info.syntax or _default(base, syntax)), *syntax),
        )(extended)
        actions.register(marked, replace=True)


def _default(base: type, added: list[str]) -> tuple[str, ...]:
    """The phrasing an action without ``syntax`` gets from the parser (see
    :mod:`fabula.parsing.grammar`), kept once the game adds patterns."""
    if not added:
        return ()
    fields = base.Params.model_fields
    if not fields:
        return ("{verb}",)
    required = [n for n, f in fields.items() if f.is_required()] or list(fields)
    return ("{verb} {" + required[0] + "}",)


def _to_syntax(spec: UnderstandSpec, fields: list[str]) -> tuple[str, str]:
    """The grammar's form of ``spec.pattern`` (``[x]`` -> ``{param}``), or a problem."""
    assert spec.pattern is not None
    words: list[str] = []
    free = [f for f in fields if f not in spec.set]
    used: list[str] = []
    for word in spec.pattern.split():
        if word.startswith("[") and word.endswith("]"):
            inner = word[1:-1]
            name = inner if inner in fields else next((f for f in free if f not in used), None)
            if name is None or name in used:
                params = ", ".join(fields) or "none"
                return "", f"more [slots] than the action has parameters ({params})"
            used.append(name)
            words.append("{" + name + "}")
        elif any(c in word for c in "[]{}"):
            return "", f"{word!r}: a slot is one bracketed word, like [thing]"
        else:
            words.append(word.lower())
    if not words or words[0].startswith("{"):
        return "", "a pattern starts with a word, like 'hang [thing] on [thing]'"
    unknown = [k for k in spec.set if k not in fields]
    if unknown:
        return "", f"`set` names {', '.join(unknown)}, not parameters ({', '.join(fields)})"
    fixed = ", ".join(f"{k}={v}" for k, v in spec.set.items())
    return " ".join(words) + (f" -> {fixed}" if fixed else ""), ""

"""The prompt file format: reading and checking one file's bytes.

A prompt file is a Jinja2 template behind a TOML front matter fenced by
``+++`` lines::

    +++
    id = "narrator"
    version = "1"
    role = "narrator"
    description = "Tells what happened in the game's voice."
    +++
    {% block system %}You are the narrator of {{ title }}.{% endblock %}
    {% block user %}{{ account }}{% endblock %}

Block ``system`` becomes the system message and block ``user`` the user
message. Nothing else may stand at the top level (whitespace aside): text
outside the two blocks would never be sent, so it is refused rather than
ignored. A prompt is one self-contained file: ``extends``, ``include`` and
``import`` are refused too (the environment has no loader to find them).

:func:`read` reports every problem of a file at once, each as ``(file,
where, message)`` with ``where`` a file line ("line 4", counted from the
first ``+++``) or a front-matter field, and a message that says what to do.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from typing import Any, Literal

from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = ["BLOCKS", "FENCE", "Problem", "PromptMeta", "Source", "new_environment", "read"]

Problem = tuple[str, str, str]
"""One problem in a prompt file: ``(file, where, message)``, ``where`` being a
line (``"line 4"``), a front-matter field (``"version"``), a variable, or empty."""

BLOCKS: tuple[str, ...] = ("system", "user")
"""The blocks a prompt file may define, in the order their messages are sent."""

FENCE = "+++"
"""The line that opens and closes a prompt file's front matter."""

_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


class PromptMeta(BaseModel):
    """A prompt file's front matter (unknown keys are errors).

    Attributes:
        id: what the prompt is for, looked up by it ("narrator", "parser");
            lower-case letters, digits, ``-`` and ``_``.
        version: which edition of it ("1", "2", "2b"): letters, digits,
            ``.``, ``_`` and ``-``, as a model setting's ``prompt`` accepts.
            Runs of digits compare as numbers ("10" is newer than "9"), see
            :func:`~fabula.prompts.version_key`.
        role: which model reads it: ``"parser"`` or ``"narrator"``.
        description: one line saying what it asks of the model.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)
    version: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=32)
    role: Literal["parser", "narrator"]
    description: str = Field(min_length=1, max_length=300)


@dataclass(frozen=True, slots=True)
class Source:
    """One prompt file, read and checked.

    Attributes:
        meta: the front matter.
        text: the whole file as text.
        sha: the first 12 hex digits of the SHA-256 of the file's bytes.
        template: the compiled template (a ``jinja2.Template``).
        variables: the names the template reads from its caller.
    """

    meta: PromptMeta
    text: str
    sha: str
    template: Any
    variables: frozenset[str]


def new_environment() -> SandboxedEnvironment:
    """The Jinja2 environment prompts compile in: sandboxed (a game's prompt
    cannot reach Python internals), strict (a misspelt variable is an error,
    not a silent blank), no autoescaping (this is not HTML), block tags on
    lines of their own leave no blank lines, and no loader."""
    return SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def read(
    data: bytes, file: str, environment: SandboxedEnvironment
) -> tuple[Source | None, list[Problem]]:
    """A prompt file's bytes, checked and compiled; or ``None`` and every
    problem found (with a problem list, the caller can gather many files')."""
    problems: list[Problem] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append((file, f"line {line}", "is not UTF-8 text; save the file as UTF-8"))
        return None, problems
    lines = text.replace("\r\n", "\n").split("\n")
    if lines[0].rstrip() != FENCE:
        problems.append(
            (file, "line 1",
             f"a prompt file starts with a {FENCE} line, then its TOML front matter (id, "
             f"version, role, description), then another {FENCE} line, then the template")
        )  # fmt: skip
        return None, problems
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE), None)
    if close is None:
        problems.append(
            (file, "line 1", f"the front matter is never closed; add a {FENCE} line after it")
        )
        return None, problems
    header = "\n".join(lines[1:close])
    body = "\n".join(lines[close + 1 :])
    front = _front_matter(header, file, problems)
    template, variables = _template(body, close + 1, file, environment, problems)
    if front is None or template is None:
        return None, problems
    sha = hashlib.sha256(data).hexdigest()[:12]
    return Source(front, text, sha, template, variables), problems


def _front_matter(header: str, file: str, problems: list[Problem]) -> PromptMeta | None:
    try:
        data = tomllib.loads(header)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _TOML_AT.search(message)
        where = f"line {int(at.group(1)) + 1}" if at else "front matter"
        problems.append((file, where, f"not valid TOML: {_TOML_AT.sub('', message)}"))
        return None
    try:
        return PromptMeta.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            field = ".".join(str(p) for p in error["loc"])
            line = _line_of(header, str(error["loc"][0])) if error["loc"] else None
            where = f"line {line} ({field})" if line else field or "front matter"
            message = error["msg"]
            if error["type"] == "extra_forbidden":
                message = "unknown key; the front matter has id, version, role and description"
            elif field == "version" and error["type"] == "string_type":
                message += '; write it in quotes, e.g. version = "1"'
            elif error["type"] == "missing":
                message = f'missing; add {field} = "..." to the front matter'
            problems.append((file, where, message))
        return None


def _line_of(header: str, key: str) -> int | None:
    """The file line on which the front matter sets ``key`` (it starts on line 2)."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number, line in enumerate(header.split("\n"), start=2):
        if pattern.match(line):
            return number
    return None


def _template(
    body: str, offset: int, file: str, environment: SandboxedEnvironment, problems: list[Problem]
) -> tuple[Any, frozenset[str]]:
    """The compiled template and the variables it reads; ``offset`` is the
    number of file lines before the template (file line = template line + offset)."""
    try:
        tree = environment.parse(body)
    except TemplateSyntaxError as exc:
        problems.append((file, f"line {exc.lineno + offset}", f"template syntax: {exc.message}"))
        return None, frozenset()
    before = len(problems)
    blocks = list(tree.find_all(nodes.Block))
    names = [block.name for block in blocks]
    for block in blocks:
        if block.name not in BLOCKS:
            problems.append(
                (file, f"line {block.lineno + offset}",
                 f"unknown block {block.name!r}; a prompt has only the blocks "
                 f"{' and '.join(BLOCKS)}")
            )  # fmt: skip
    for name in sorted(set(names)):
        if names.count(name) > 1:
            problems.append(
                (file, "", f"block {name!r} is defined {names.count(name)} times; keep one")
            )
    for node in tree.body:
        if not (isinstance(node, nodes.Block) or _blank(node)):
            problems.append(
                (file, f"line {node.lineno + offset}",
                 "only {% block system %} and {% block user %} may stand at the top level; "
                 "move this into one of them (text outside them would never be sent)")
            )  # fmt: skip
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        problems.append(
            (file, f"line {node.lineno + offset}",
             "a prompt is one self-contained file: extends, include and import are not "
             "supported; copy what you need into this file")
        )  # fmt: skip
    if not names:
        problems.append(
            (file, "", "the template defines no block; put its text in {% block system %} "
             "and/or {% block user %}")
        )  # fmt: skip
    if len(problems) > before:
        return None, frozenset()
    variables = frozenset(meta.find_undeclared_variables(tree))
    return environment.from_string(tree), variables


def _blank(node: nodes.Node) -> bool:
    """Whether a top-level node is only whitespace (between blocks)."""
    if not isinstance(node, nodes.Output):
        return False
    return all(isinstance(n, nodes.TemplateData) and not n.data.strip() for n in node.nodes)

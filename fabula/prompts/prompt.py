"""One prompt: a checked, compiled prompt file that renders chat messages.

Invariants:
    * a :class:`Prompt` is parsed, checked and compiled once, when it is
      read; :meth:`Prompt.render` only runs the compiled blocks;
    * :attr:`Prompt.ref` names the exact bytes of the file (their SHA-256),
      so a journal that records ``str(prompt.ref)`` tells which text a model
      was given, even after the file changed;
    * what :meth:`Prompt.render` returns is tidied (:func:`tidy`), so the
      messages do not depend on how an author laid out the template's tags.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from fabula.errors import ArgumentError, PromptError, PromptRenderError
from fabula.prompts.format import BLOCKS, Problem, PromptMeta, Source, new_environment, read

__all__ = ["Prompt", "PromptRef", "parse", "tidy"]

_UNDEFINED = re.compile(r"'([^']+)' is undefined")
_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING = re.compile(r"[ \t]+\n")


@dataclass(frozen=True, slots=True)
class PromptRef:
    """Which prompt, exactly: id, version and a fingerprint of the file's bytes.

    ``str(ref)`` is what a journal records (``narrator@1#3fa2b9c0d1e2``).

    Attributes:
        id: the prompt's id.
        version: its version.
        sha: the first 12 hex digits of the SHA-256 of the file's bytes.

    >>> ref = PromptRef("narrator", "1", "3fa2b9c0d1e2")
    >>> str(ref)
    'narrator@1#3fa2b9c0d1e2'
    >>> PromptRef.parse(str(ref)) == ref
    True
    """

    id: str
    version: str
    sha: str

    def __str__(self) -> str:
        return f"{self.id}@{self.version}#{self.sha}"

    @classmethod
    def parse(cls, text: str) -> PromptRef:
        """Read back what ``str()`` wrote.

        Raises:
            ArgumentError: ``text`` is not ``id@version#sha``.
        """
        head, sep, sha = text.partition("#")
        id_, at, version = head.partition("@")
        if not (sep and at and id_ and version and sha):
            raise ArgumentError(
                f"{text!r} is not a prompt reference like 'narrator@1#3fa2b9c0d1e2'"
            )
        return cls(id_, version, sha)


def tidy(text: str) -> str:
    """Whitespace made regular: trailing spaces dropped, runs of blank lines
    cut to one, outer whitespace stripped.

    >>> tidy("  Hello \\n\\n\\n\\nworld  \\n")
    'Hello\\n\\nworld'
    """
    text = _TRAILING.sub("\n", text.strip() + "\n")
    return _BLANK_RUNS.sub("\n\n", text).strip()


class Prompt:
    """A prompt file, read, checked and compiled (see :mod:`fabula.prompts.format`).

    Build one with :meth:`from_file` or :meth:`from_bytes`; a
    :class:`~fabula.prompts.PromptLibrary` does so for every file it loads.

    Attributes:
        meta: the front matter.
        source: the whole file as text.
        ref: id, version and fingerprint (for journals).
        file: where it came from, as messages name it.
        variables: the names the template reads; :meth:`render` needs them all.
    """

    __slots__ = ("_blocks", "_template", "file", "meta", "ref", "source", "variables")

    def __init__(self, source: Source, file: str) -> None:
        self.meta: PromptMeta = source.meta
        self.source = source.text
        self.ref = PromptRef(source.meta.id, source.meta.version, source.sha)
        self.file = file
        self.variables = source.variables
        self._template = source.template
        self._blocks = tuple(name for name in BLOCKS if name in source.template.blocks)

    def __repr__(self) -> str:
        return f"<Prompt {self.ref} from {self.file}>"

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def version(self) -> str:
        return self.meta.version

    @property
    def role(self) -> str:
        return self.meta.role

    @classmethod
    def from_file(cls, path: str | Path, *, label: str | None = None) -> Prompt:
        """Read the prompt file at ``path``.

        Args:
            path: the file.
            label: how messages name it (the path as given, by default).

        Raises:
            PromptError: the file cannot be read, or has problems (all listed).
        """
        path = Path(path)
        shown = label or str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PromptError([(shown, "", f"cannot be read ({exc.strerror})")]) from exc
        return cls.from_bytes(data, shown)

    @classmethod
    def from_bytes(
        cls, data: bytes, file: str, *, environment: SandboxedEnvironment | None = None
    ) -> Prompt:
        """Read, check and compile a prompt file's bytes.

        Args:
            data: the file's bytes (the fingerprint is taken over them).
            file: how messages name the file.
            environment: the Jinja2 environment to compile in (a new
                :func:`~fabula.prompts.new_environment` by default).

        Raises:
            PromptError: every problem found in the file.
        """
        prompt, problems = parse(data, file, environment or new_environment())
        if prompt is None:
            raise PromptError(problems)
        return prompt

    def render(self, **variables: Any) -> list[dict[str, str]]:
        """The chat messages for ``variables``: a system message (if the
        ``system`` block says anything), then a user message (likewise),
        each as ``{"role": ..., "content": ...}``, tidied (:func:`tidy`).

        Raises:
            PromptRenderError: variables the template reads were not given
                (all of them are named), or the template failed while running
                (a missing attribute, something the sandbox forbids).
        """
        return self.render_mapping(variables)

    def render_mapping(self, variables: Mapping[str, Any]) -> list[dict[str, str]]:
        """:meth:`render` with the variables as a mapping (no copy is made)."""
        missing = self.variables.difference(variables)
        if missing:
            names = sorted(missing)
            verb = "was" if len(names) == 1 else "were"
            raise PromptRenderError(
                self.file,
                f"the template reads {_listed(names)}, which {verb} not given; pass "
                f"{', '.join(f'{n}=...' for n in names)} when rendering, or take "
                f"{'it' if len(names) == 1 else 'them'} out of the template",
                names,
            )
        template = self._template
        try:
            context = template.new_context(variables)
            messages = []
            for name in self._blocks:
                text = tidy("".join(template.blocks[name](context)))
                if text:
                    messages.append({"role": name, "content": text})
        except TemplateError as exc:
            raise self._failure(exc) from exc
        return messages

    def _failure(self, exc: TemplateError) -> PromptRenderError:
        found = _UNDEFINED.search(str(exc))
        if found is not None:
            return PromptRenderError(
                self.file,
                f"{exc.message}; give the variable that value, or change the template",
                [found.group(1)],
            )
        return PromptRenderError(
            self.file, f"{exc.message or type(exc).__name__}; change the template where it says so"
        )


def parse(
    data: bytes, file: str, environment: SandboxedEnvironment
) -> tuple[Prompt | None, list[Problem]]:
    """A prompt from a file's bytes, or ``None`` and every problem found.

    The loader gathers problems across many files this way; callers who want
    an exception use :meth:`Prompt.from_bytes`.
    """
    source, problems = read(data, file, environment)
    return (None if source is None else Prompt(source, file)), problems


def _listed(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]

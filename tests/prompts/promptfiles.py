"""Writing prompt files for the prompt tests."""

from __future__ import annotations

from pathlib import Path


def prompt_file(
    folder: Path,
    name: str,
    *,
    id: str = "narrator",
    version: str = "1",
    role: str = "narrator",
    body: str = "{% block user %}{{ account }}{% endblock %}",
) -> Path:
    """Write a prompt file into ``folder``; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        f'+++\nid = "{id}"\nversion = "{version}"\nrole = "{role}"\n'
        f'description = "A test prompt."\n+++\n{body}\n',
        encoding="utf-8",
    )
    return path

"""Print the pins for constraints.txt: every distribution fabula's ``dev``
extra needs, as installed in this environment, one ``name==version`` a line.

The walk starts at fabula's own requirements with the ``dev`` extra (which
pulls in ``memory``), read from pyproject.toml (so a requirement added there
counts before fabula is installed again), and follows each installed
distribution's requirements,
with the extras asked for and the markers of this platform; what is installed
but not needed (tools installed by hand) is left out, and so is fabula.

Run through ``make constraints``, which first installs the newest versions
pyproject.toml allows; see the Makefile.
"""

from __future__ import annotations

import importlib.metadata as metadata
import sys
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
EXTRAS = frozenset({"dev"})


def own_requirements(extras: frozenset[str]) -> tuple[str, list[str]]:
    """The project's name and its requirements with ``extras``, from
    pyproject.toml (an extra naming the project itself is followed)."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    name = canonicalize_name(project["name"])
    lines = list(project.get("dependencies", []))
    todo, done = list(extras), set()
    while todo:
        extra = todo.pop()
        if extra in done:
            continue
        done.add(extra)
        for line in project.get("optional-dependencies", {}).get(extra, []):
            requirement = Requirement(line)
            if canonicalize_name(requirement.name) == name:
                todo += requirement.extras
            else:
                lines.append(line)
    return name, lines


def needed(lines: list[str]) -> dict[str, metadata.Distribution]:
    """The installed distributions the requirement ``lines`` need, by
    canonical name."""
    found: dict[str, metadata.Distribution] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(r.name, frozenset(r.extras)) for r in map(Requirement, lines) if _applies(r, {""})]
    while todo:
        name, wanted = todo.pop()
        key = canonicalize_name(name)
        if (key, wanted) in seen:
            continue
        seen.add((key, wanted))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            sys.exit(f"{name} is needed but not installed: run `make test` first")
        found[key] = dist
        for line in dist.requires or ():
            requirement = Requirement(line)
            if _applies(requirement, wanted or {""}):
                todo.append((requirement.name, frozenset(requirement.extras)))
    return found


def _applies(requirement: Requirement, extras: set[str] | frozenset[str]) -> bool:
    """Whether ``requirement`` holds here, for any of ``extras``."""
    marker = requirement.marker
    return marker is None or any(
        marker.evaluate({**default_environment(), "extra": extra}) for extra in extras
    )


def main() -> None:
    name, lines = own_requirements(EXTRAS)
    dists = needed(lines)
    dists.pop(name, None)
    print("# The versions `make test` last passed with; pip installs with -c this file.")
    print("# Written by `make constraints` (see the Makefile); edit by regenerating.")
    for key in sorted(dists):
        print(f"{dists[key].metadata['Name']}=={dists[key].version}")


if __name__ == "__main__":
    main()

"""Components a world file attaches by name:
``components = { hook = { capacity = 1 } }`` on a room, door, item or person.

Any registered component may be attached (the standard ones, a plugin's,
the game's own ``components/``); its fields are validated against the
component's own field types when the game loads, so a wrong name, an
unknown field or a value of the wrong type is reported before play, with
the file and field path.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from fabula.ecs import ComponentRegistry

if TYPE_CHECKING:
    from fabula.content.loader import GameFiles

__all__ = ["attached_components"]


def _build(ctype: type, fields: Mapping[str, Any]) -> Any:
    """``ctype(**fields)``, each field validated against its type.

    Raises:
        KeyError: a field the component does not have.
        ValidationError: a value of the wrong type.
    """
    known = (
        {f.name for f in dataclasses.fields(ctype)} if dataclasses.is_dataclass(ctype) else set()
    )
    for name in fields:
        if name not in known:
            raise KeyError(name)
    return TypeAdapter(ctype).validate_python(dict(fields))


def attached_components(
    files: GameFiles, registry: ComponentRegistry
) -> tuple[dict[str, list[Any]], list[tuple[str, str, str]]]:
    """Every entity's attached components, built (id -> components), and the
    problems found (file, field path, message)."""
    built: dict[str, list[Any]] = {}
    problems: list[tuple[str, str, str]] = []
    kinds = (("rooms", files.rooms), ("doors", files.doors), ("items", files.items),
             ("npcs", files.npcs))  # fmt: skip
    for kind, specs in kinds:
        for ident in sorted(specs):
            for name, fields in specs[ident].components.items():
                path = f"{kind}.{ident}.components.{name}"
                file = files.origin.get(ident, "?")
                ctype = registry.try_get(name)
                if ctype is None:
                    known = ", ".join(sorted(registry.names()))
                    problems.append(
                        (file, path, f"no component is called {name!r}; known: {known}")
                    )
                    continue
                try:
                    built.setdefault(ident, []).append(_build(ctype, fields))
                except ValidationError as exc:
                    for error in exc.errors(include_url=False):
                        where = ".".join([path, *(str(p) for p in error["loc"])])
                        problems.append((file, where, str(error["msg"])))
                except KeyError as exc:
                    problems.append((file, f"{path}.{exc.args[0]}", f"{name} has no such field"))
                except TypeError as exc:
                    problems.append((file, path, f"cannot be built: {exc}"))
    return built, problems

"""The ComponentRegistry and the registry mechanism under it (fabula.registry):
registration, lookups with suggestions, discovery from packages and directories,
and validation of boundary data."""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pydantic
import pytest

from fabula.ecs import ComponentRegistry, component
from fabula.errors import (
    DiscoveryError,
    DuplicateNameError,
    RegistryError,
    UnknownNameError,
)
from fabula.registry import Registry
from tests.ecs.components import Health, Name, Position


def exactly(message: str) -> str:
    return "^" + re.escape(message) + "$"


@pytest.fixture
def registry() -> ComponentRegistry:
    return ComponentRegistry()


# --- register and look up -------------------------------------------------------------


def test_register_and_look_up(registry: ComponentRegistry) -> None:
    assert registry.register(Name) is Name
    registry.register(Health)
    assert registry.get("Name") is Name
    assert registry.try_get("Health") is Health
    assert registry.try_get("Mana") is None
    assert registry.name_of(Health) == "Health"
    assert registry.try_name_of(Position) is None
    assert "Name" in registry
    assert "Position" not in registry
    assert len(registry) == 2


def test_registration_order_is_kept(registry: ComponentRegistry) -> None:
    for ctype in (Position, Name, Health):
        registry.register(ctype)
    assert registry.names() == ["Position", "Name", "Health"]
    assert list(registry) == [Position, Name, Health]
    assert registry.items() == [("Position", Position), ("Name", Name), ("Health", Health)]


def test_the_pinned_component_name_is_the_default(registry: ComponentRegistry) -> None:
    @component(name="hp")
    class HitPoints:
        value: int

    registry.register(HitPoints)
    assert registry.get("hp") is HitPoints
    assert registry.name_of(HitPoints) == "hp"


def test_an_explicit_name_wins(registry: ComponentRegistry) -> None:
    registry.register(Name, "label")
    assert registry.get("label") is Name
    assert registry.name_of(Name) == "label"


def test_undecorated_classes_can_be_registered(registry: ComponentRegistry) -> None:
    class Plain:
        pass

    registry.register(Plain)
    assert registry.get("Plain") is Plain


def test_registering_the_same_object_twice_is_harmless(registry: ComponentRegistry) -> None:
    registry.register(Name)
    registry.register(Name)
    assert registry.names() == ["Name"]


def test_a_duplicate_name_raises(registry: ComponentRegistry) -> None:
    registry.register(Name)

    @component(name="Name")
    class Impostor:
        text: str

    message = (
        f"component name 'Name' is registered twice: by {Name.__module__}.Name and by "
        f"{__name__}.test_a_duplicate_name_raises.<locals>.Impostor. Rename one of them "
        "(e.g. @component(name=...)) or pass replace=True to override on purpose."
    )
    with pytest.raises(DuplicateNameError, match=exactly(message)) as info:
        registry.register(Impostor)
    assert isinstance(info.value, RegistryError)
    assert (info.value.kind, info.value.name) == ("component", "Name")
    assert registry.get("Name") is Name


def test_replace_true_overrides_on_purpose(registry: ComponentRegistry) -> None:
    registry.register(Name)

    @component(name="Name")
    class Better:
        text: str

    assert registry.register(Better, replace=True) is Better
    assert registry.get("Name") is Better
    assert registry.name_of(Better) == "Name"
    assert registry.try_name_of(Name) is None


def test_unregister(registry: ComponentRegistry) -> None:
    registry.register(Name)
    assert registry.unregister("Name") is Name
    assert "Name" not in registry
    assert registry.try_name_of(Name) is None
    with pytest.raises(UnknownNameError, match="no component is registered as 'Name'"):
        registry.unregister("Name")


def test_unknown_name_suggests_close_names(registry: ComponentRegistry) -> None:
    registry.register(Health)
    registry.register(Name)
    message = (
        "no component is registered as 'Helth'. Did you mean 'Health'? Register it, or "
        "check that the module defining it is discovered."
    )
    with pytest.raises(UnknownNameError, match=exactly(message)) as info:
        registry.get("Helth")
    assert isinstance(info.value, KeyError)
    assert info.value.suggestions == ["Health"]


def test_unknown_name_without_suggestions(registry: ComponentRegistry) -> None:
    message = (
        "no component is registered as 'Zzz'. Register it, or check that the module "
        "defining it is discovered."
    )
    with pytest.raises(UnknownNameError, match=exactly(message)):
        registry.get("Zzz")


def test_name_of_an_unregistered_object_raises(registry: ComponentRegistry) -> None:
    with pytest.raises(UnknownNameError, match=re.escape(f"'{Position.__module__}.Position'")):
        registry.name_of(Position)


def test_repr(registry: ComponentRegistry) -> None:
    registry.register(Name)
    assert repr(registry) == "<Registry of 1 component(s)>"


# --- the generic Registry -----------------------------------------------------------------


class Marker:
    def __init__(self, name: str) -> None:
        self.name = name


def test_generic_registry_needs_a_marker_or_a_name() -> None:
    actions: Registry[object] = Registry("action", "__test_action__")

    def look() -> None: ...

    with pytest.raises(
        TypeError,
        match=re.escape(
            "is not marked as a action; decorate it first or pass name= to register()."
        ),
    ):
        actions.register(look)
    look.__test_action__ = Marker("look")  # type: ignore[attr-defined]
    actions.register(look)
    assert actions.get("look") is look
    assert actions.accepts(look)
    assert not actions.accepts(object())


def test_generic_registry_accept_test_filters_discovery() -> None:
    only_classes: Registry[object] = Registry(
        "thing", "__test_thing__", accept=lambda o: isinstance(o, type)
    )

    class Thing:
        __test_thing__ = Marker("thing")

    def func() -> None: ...

    func.__test_thing__ = Marker("func")  # type: ignore[attr-defined]
    assert only_classes.accepts(Thing)
    assert not only_classes.accepts(func)


# --- discovery -----------------------------------------------------------------------------

COMPONENT_MODULE = """
from fabula.ecs import component

@component(name="{name}")
class {cls}:
    value: int
"""


def write(path: Path, source: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source))
    return path


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An importable package ``discovery_pkg`` with a subpackage, forgotten afterwards."""
    root = tmp_path / "site" / "discovery_pkg"
    write(root / "__init__.py", "")
    write(root / "alpha.py", COMPONENT_MODULE.format(name="alpha", cls="Alpha"))
    write(root / "sub" / "__init__.py", "")
    write(root / "sub" / "beta.py", COMPONENT_MODULE.format(name="beta", cls="Beta"))
    write(root / "plain.py", "class NotAComponent:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    yield "discovery_pkg"
    for name in [m for m in sys.modules if m.split(".")[0] == "discovery_pkg"]:
        del sys.modules[name]


def test_discover_a_package_by_name(registry: ComponentRegistry, package: str) -> None:
    found = registry.discover(package)
    assert [registry.name_of(c) for c in found] == ["alpha", "beta"]
    assert registry.names() == ["alpha", "beta"]
    assert registry.get("beta").__module__ == "discovery_pkg.sub.beta"


def test_discover_a_module_object(registry: ComponentRegistry, package: str) -> None:
    import importlib

    module = importlib.import_module(f"{package}.alpha")
    assert [c.__name__ for c in registry.discover(module)] == ["Alpha"]


def test_discover_a_missing_package_raises(registry: ComponentRegistry) -> None:
    with pytest.raises(
        DiscoveryError,
        match=r"^cannot discover registrations in no_such_pkg_xyz: ModuleNotFoundError",
    ):
        registry.discover("no_such_pkg_xyz")


def test_discover_a_package_with_a_broken_module_names_it(
    registry: ComponentRegistry, package: str, tmp_path: Path
) -> None:
    write(tmp_path / "site" / package / "sub" / "broken.py", "raise RuntimeError('boom')\n")
    message = f"cannot discover registrations in {package}.sub.broken: RuntimeError: boom"
    with pytest.raises(DiscoveryError, match=exactly(message)) as info:
        registry.discover(package)
    assert info.value.source == f"{package}.sub.broken"


def test_discover_a_directory(registry: ComponentRegistry, tmp_path: Path) -> None:
    write(tmp_path / "game" / "a_items.py", COMPONENT_MODULE.format(name="lamp", cls="Lamp"))
    write(
        tmp_path / "game" / "nested" / "b_people.py", COMPONENT_MODULE.format(name="npc", cls="Npc")
    )
    write(tmp_path / "game" / "_private.py", "raise RuntimeError('never imported')\n")
    write(tmp_path / "game" / "notes.txt", "not python")
    found = registry.discover(tmp_path / "game")
    assert [registry.name_of(c) for c in found] == ["lamp", "npc"]
    assert registry.validate("lamp", {"value": 3}).value == 3


def test_discover_a_directory_given_as_a_string(
    registry: ComponentRegistry, tmp_path: Path
) -> None:
    write(tmp_path / "game" / "items.py", COMPONENT_MODULE.format(name="lamp", cls="Lamp"))
    registry.discover(str(tmp_path / "game"))
    assert "lamp" in registry


def test_discovering_a_directory_twice_reuses_its_modules(
    registry: ComponentRegistry, tmp_path: Path
) -> None:
    write(tmp_path / "game" / "items.py", COMPONENT_MODULE.format(name="lamp", cls="Lamp"))
    (first,) = registry.discover(tmp_path / "game")
    (second,) = ComponentRegistry().discover(tmp_path / "game")
    assert first is second
    assert registry.discover(tmp_path / "game") == [first]  # no duplicate error


def test_discover_a_directory_with_a_broken_file_names_the_file(
    registry: ComponentRegistry, tmp_path: Path
) -> None:
    write(tmp_path / "game" / "good.py", COMPONENT_MODULE.format(name="lamp", cls="Lamp"))
    broken = write(tmp_path / "game" / "oops.py", "import no_such_module_xyz\n")
    message = (  # the line too, since issue 12
        f"cannot discover registrations in {broken.resolve()}, line 1: ModuleNotFoundError: "
        "No module named 'no_such_module_xyz'"
    )
    with pytest.raises(DiscoveryError, match=exactly(message)) as info:
        registry.discover(tmp_path / "game")
    assert info.value.source == str(broken.resolve())
    assert info.value.line == 1


def test_discover_a_missing_directory_raises(registry: ComponentRegistry, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(
        DiscoveryError,
        match=exactly(f"cannot discover registrations in {missing}: it is not a directory"),
    ):
        registry.discover(missing)


def test_discover_reports_two_files_claiming_one_name(
    registry: ComponentRegistry, tmp_path: Path
) -> None:
    write(tmp_path / "game" / "a.py", COMPONENT_MODULE.format(name="lamp", cls="Lamp"))
    write(tmp_path / "game" / "b.py", COMPONENT_MODULE.format(name="lamp", cls="OtherLamp"))
    with pytest.raises(
        DuplicateNameError,
        match=r"component name 'lamp' is registered twice: by .*\.a\.Lamp and by .*\.b\.OtherLamp",
    ):
        registry.discover(tmp_path / "game")


def test_discover_with_replace_keeps_the_last(registry: ComponentRegistry, tmp_path: Path) -> None:
    write(tmp_path / "game" / "a.py", COMPONENT_MODULE.format(name="lamp", cls="Lamp"))
    write(tmp_path / "game" / "b.py", COMPONENT_MODULE.format(name="lamp", cls="OtherLamp"))
    registry.discover(tmp_path / "game", replace=True)
    assert registry.get("lamp").__name__ == "OtherLamp"


# --- validation ----------------------------------------------------------------------------


def test_validate_builds_the_named_component(registry: ComponentRegistry) -> None:
    registry.register(Health)
    assert registry.validate("Health", {"hp": 4}) == Health(4, 10)


def test_validate_rejects_a_bad_field(registry: ComponentRegistry) -> None:
    registry.register(Health)
    with pytest.raises(
        pydantic.ValidationError, match=r"max_hp\n  Input should be a valid integer"
    ):
        registry.validate("Health", {"hp": 4, "max_hp": "plenty"})


def test_validate_an_unknown_name(registry: ComponentRegistry) -> None:
    with pytest.raises(UnknownNameError, match="no component is registered as 'Health'"):
        registry.validate("Health", {"hp": 1})

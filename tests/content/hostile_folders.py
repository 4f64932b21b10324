"""The hostile game folders: each case damages a fresh ``fabula new`` game.

A case names what its folder must be refused for: the file (as the messages
show it, from the folder holding the game) and the line when one is at
fault, and what ``fabula play`` must exit with (``None`` when the script may
not reach the bad part, e.g. a refusal's template). Cases marked ``sound``
must validate and play (limits must not refuse what a real game holds).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SCRIPT", "Case", "cases"]

SCRIPT = "look\nopen drawer\ntake key\nx desk\n"
"""What ``fabula play`` is given: it reaches ``actions/look.j2`` first."""


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], None]
    names: str = ""
    line: str | None = None
    play: int | None = 2
    sound: bool = False
    python: bool = False  # validate must say it imports the game's Python


def _world(root: Path) -> Path:
    return root / "world" / "world.toml"


def _add_world(text: str, file: str = "world/extra.toml") -> Callable[[Path], None]:
    def build(root: Path) -> None:
        (root / file).write_text(text, encoding="utf-8")

    return build


def _bytes(file: str, data: bytes) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        (root / file).parent.mkdir(parents=True, exist_ok=True)
        (root / file).write_bytes(data)

    return build


def _replace(file: str, old: str, new: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, (file, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return build


def _template(text: str, name: str = "actions/look.j2") -> Callable[[Path], None]:
    return _bytes(f"templates/{name}", text.encode())


def _python(text: str, file: str = "actions/bad.py") -> Callable[[Path], None]:
    return _bytes(file, text.encode())


def _fifo(file: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        (root / file).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / file)

    return build


def _symlink(file: str, target: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        (root / file).parent.mkdir(parents=True, exist_ok=True)
        (root / file).symlink_to(target)

    return build


def _many(folder: str, count: int, suffix: str, text: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        (root / folder).mkdir(parents=True, exist_ok=True)
        for number in range(count):
            (root / folder / f"f{number:05d}{suffix}").write_text(text.format(n=number))

    return build


def _both(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        for step in steps:
            step(root)

    return build


EXTRA = "world/extra.toml"
LOOK = "templates/actions/look.j2"
BAD_PY = "actions/bad.py"


def _toml_cases() -> list[Case]:
    deep = 3000
    return [
        Case("nested arrays", _add_world("x = " + "[" * deep + "]" * deep + "\n"), EXTRA),
        Case("nested inline tables", _add_world("x = " + "{a=" * deep + "1" + "}" * deep), EXTRA),
        Case("nested table header", _add_world("[" + ".".join(["a"] * 200) + "]\nb = 1\n"), EXTRA),
        Case("20 levels of arrays", _add_world("x = " + "[" * 20 + "]" * 20 + "\n"), EXTRA),
        Case("world file not UTF-8", _bytes(EXTRA, b"# ok\n# \xff\xfe caf\xe9\n"), EXTRA, "line 2"),
        Case(
            "game.toml in Latin-1",
            _both(
                lambda root: (root / "game.toml").write_bytes(
                    (root / "game.toml").read_bytes().replace(b'author = ""', b'author = "Ren\xe9"')
                )
            ),
            "game.toml",
            "line 4",
        ),
        Case(
            "world file in UTF-16", _bytes(EXTRA, "[rooms.x]\nname = 'x'\n".encode("utf-16")), EXTRA
        ),
        Case("a byte-order mark", _bytes(EXTRA, b"\xef\xbb\xbf# marked\n"), sound=True, play=0),
        Case(
            "health of 10**30",
            _replace("game.toml", "health = 10", f"health = {10**30}"),
            "game.toml",
        ),
        Case(
            "points of -10**25",
            _replace("world/world.toml", "points = 5", f"points = -{10**25}"),
            "world/world.toml",
        ),
        Case(
            "5000 digits",
            _replace("world/world.toml", "points = 5", "points = " + "9" * 5000),
            "world/world.toml",
        ),
        Case(
            "int64 max", _replace("game.toml", "health = 10", f"health = {2**63 - 1}"), "game.toml"
        ),
        Case(
            "a large but fair number",
            _replace("world/world.toml", "points = 5", "points = 1000000"),
            sound=True,
            play=0,
        ),
        Case("infinite health", _replace("game.toml", "health = 10", "health = inf"), "game.toml"),
        Case(
            "nan points",
            _replace("world/world.toml", "points = 5", "points = nan"),
            "world/world.toml",
        ),
        Case("a 5 MB world file", _add_world("# " + "x" * (5 * 1024 * 1024) + "\n"), EXTRA),
        Case("a world file that is a FIFO", _fifo(EXTRA), EXTRA),
        Case("a world file linked to /dev/zero", _symlink(EXTRA, "/dev/zero"), EXTRA),
        Case("a world file linked to itself", _symlink(EXTRA, "extra.toml"), EXTRA),
        Case("a world file that is a folder", lambda root: (root / EXTRA).mkdir(), EXTRA),
        Case("1001 world files", _many("world", 1001, ".toml", "# {n}\n"), "world"),
        Case("no game.toml", lambda root: (root / "game.toml").unlink(), "game.toml"),
        Case("broken TOML", _add_world("[rooms.x\nname = \n"), EXTRA),
        Case(
            "two items inside each other",
            _both(
                _replace(
                    "world/world.toml",
                    'location = "study"\ncontainer = true',
                    'location = "in:box"\ncontainer = true',
                ),
                _add_world('[items.box]\nname = "box"\nlocation = "in:drawer"\ncontainer = true\n'),
            ),
            EXTRA,
        ),
        Case(
            "three items in a ring",
            _add_world(
                '[items.a]\nname = "a"\nlocation = "in:b"\ncontainer = true\n'
                '[items.b]\nname = "b"\nlocation = "on:c"\ncontainer = true\n'
                '[items.c]\nname = "c"\nlocation = "in:a"\ncontainer = true\nsupporter = true\n'
            ),
            EXTRA,
        ),
        Case(
            "an escape sequence in a description",
            _replace("world/world.toml", 'description = "Roses', 'description = "\\u001b[2JRoses'),
            "world/world.toml",
        ),
        Case(
            "a C1 character in a name",
            _add_world('[items.x]\nname = "x\\u009b"\nlocation = "study"\n'),
            EXTRA,
        ),
        Case("a control character in a key", _add_world('[items."a\\u0007"]\nname = "x"\n'), EXTRA),
        Case(
            "2000 rooms",
            _add_world(
                "".join(
                    f'[rooms.r{n}]\nname = "room {n}"\nexits = {{ north = "study" }}\n'
                    for n in range(2000)
                )
            ),
            sound=True,
            play=0,
        ),
    ]


def _template_cases() -> list[Case]:
    line2 = "You look.\n"
    return [
        Case(
            "str.__class__.__mro__", _template(line2 + "{{ ''.__class__.__mro__ }}"), LOOK, "line 2"
        ),
        Case(
            "cycler.__init__.__globals__",
            _template("{{ cycler.__init__.__globals__ }}"),
            LOOK,
            "line 1",
        ),
        Case("lipsum.__globals__", _template("{{ lipsum.__globals__['os'] }}"), LOOK, "line 1"),
        Case(
            "self._TemplateReference__context",
            _template("{{ self._TemplateReference__context }}"),
            LOOK,
            "line 1",
        ),
        Case(
            "str.format_map",
            _template("{{ '{x.__class__}'.format_map({'x': actor}) }}"),
            LOOK,
            "line 1",
        ),
        Case("a helper's __globals__", _template("{{ the.__globals__ }}"), LOOK, "line 1"),
        Case("an undefined name", _template(line2 + line2 + "{{ nosuch }}"), LOOK, "line 3"),
        Case(
            "an undefined parameter",
            _template("{{ the(params.itme) }}", "actions/open.j2"),
            "templates/actions/open.j2",
            "line 1",
        ),
        Case("an unknown filter", _template("{{ actor|nosuch }}"), LOOK, "line 1"),
        Case("a syntax error", _template(line2 + "{% if %}yes{% endif %}"), LOOK, "line 2"),
        Case("an unclosed loop", _template("{% for x in [1] %}{{ x }}"), LOOK),
        Case(
            "nested range(100000)",
            _template(
                "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
            ),
            LOOK,
            "line 1",
        ),
        Case(
            "nested range(10000)",
            _template(
                "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"
            ),
            LOOK,
            "line 1",
        ),
        Case("a string of 10**9", _template("{{ 'x' * 10**9 }}"), LOOK, "line 1"),
        Case("a power tower", _template("{{ 9 ** 999 ** 999 }}"), LOOK, "line 1"),
        Case(
            "a macro calling itself",
            _template("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"),
            LOOK,
        ),
        Case(
            "a macro doubling itself",
            _template(
                "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
                "{{ f(40) }}"
            ),
            LOOK,
        ),
        Case(
            "a flood of output",
            _template("{% for i in range(10000) %}{{ 'x' * 50000 }}{% endfor %}"),
            LOOK,
        ),
        Case(
            "a string grown by ~",
            _template(
                "{% set ns = namespace(s='') %}{% for i in range(10000) %}"
                "{% set ns.s = ns.s ~ ('x' * 1000) %}{% endfor %}{{ ns.s|length }}"
            ),
            LOOK,
        ),
        Case("center(10**9)", _template("{{ 'x'|center(1000000000) }}"), LOOK, "line 1"),
        Case("a format a billion wide", _template("{{ '%0999999999d' % 1 }}"), LOOK, "line 1"),
        Case("str.format a billion wide", _template("{{ '{:>999999999}'.format(1) }}"), LOOK),
        Case("a template not in UTF-8", _bytes(LOOK, b"You look.\nCaf\xe9\n"), LOOK, "line 2"),
        Case("a template that is a FIFO", _fifo(LOOK), LOOK),
        Case(
            "a template writing ESC",
            _template('{{ "\\x1b[2J\\x9b" }}You look.'),
            sound=True,
            play=0,
        ),
        Case("a 300 KB template", _template("x" * 300_000), LOOK),
        Case(
            "a broken refusal template",
            _template("{{ nosuch }}", "refusals/NOT_HERE.j2"),
            "templates/refusals/NOT_HERE.j2",
            "line 1",
            play=None,
        ),
        Case(
            "a broken others template",
            _template("{{ nosuch_name }}", "others/OnDamage.j2"),
            "templates/others/OnDamage.j2",
            play=0,
        ),
        Case(
            "a stray template with a syntax error",
            _template("{% endif %}", "notes/junk.j2"),
            "templates/notes/junk.j2",
            "line 1",
            play=0,
        ),
        Case("1001 templates", _many("templates/extra", 1001, ".j2", "{n}"), "templates", play=0),
    ]


def _python_cases() -> list[Case]:
    return [
        Case(
            "a syntax error in actions/",
            _python("x = 1\n\ndef broken(:\n"),
            BAD_PY,
            "line 3",
            python=True,
        ),
        Case(
            "an ImportError in actions/",
            _python("import os\nimport nosuch_module_xyz\n"),
            BAD_PY,
            "line 2",
            python=True,
        ),
        Case(
            "an exception at import",
            _python("x = 1\nraise RuntimeError('boom')\n"),
            BAD_PY,
            "line 2",
            python=True,
        ),
        Case(
            "sys.exit at import",
            _python("import sys\nsys.exit(3)\n"),
            BAD_PY,
            "line 2",
            python=True,
        ),
        Case(
            "endless recursion at import",
            _python("def f():\n    return f()\n\nf()\n"),
            BAD_PY,
            "line 2",
            python=True,
        ),
        Case("Python not in UTF-8", _bytes(BAD_PY, b"x = 'caf\xe9'\n"), BAD_PY, python=True),
        Case(
            "a syntax error in components/",
            _python("class (:\n", "components/bad.py"),
            "components/bad.py",
            "line 1",
            python=True,
        ),
        Case("501 Python files", _many("actions", 501, ".py", "x = {n}\n"), "actions", python=True),
    ]


def cases() -> list[Case]:
    """Every hostile folder, in a fixed order."""
    return [*_toml_cases(), *_template_cases(), *_python_cases()]

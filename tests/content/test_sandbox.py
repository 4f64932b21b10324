"""The bounded template sandbox and the game folder limits, directly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from jinja2.sandbox import SecurityError

from fabula.content import BoundedEnvironment, BoundedLoader, ContentGame, scaffold
from fabula.content.limits import MAX_DEPTH, containment_cycles, read_toml
from fabula.errors import ContentError
from fabula.narration import check_templates


def render(source: str, **context: object) -> str:
    env = BoundedEnvironment()
    return env.render(env.from_string(source), dict(context))


def test_ordinary_templates_render_as_before() -> None:
    text = (
        "{% for x in items %}{{ x|upper }}{{ ', ' if not loop.last }}{% endfor %} ~ {{ 'a' ~ n }}"
    )
    assert render(text, items=["a", "b"], n=2) == "A, B ~ a2"
    assert render("{{ range(3)|join('-') }} {{ 2 ** 10 }} {{ 'ab' * 2 }}") == "0-1-2 1024 abab"


@pytest.mark.parametrize(
    ("source", "said"),
    [
        ("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}", "steps"),
        ("{{ range(100000)|length }}", "range()"),
        ("{{ 'x' * 10**9 }}", "at most"),
        ("{{ 2 ** 100000 }}", "power"),
        ("{% for i in range(5000) %}{{ 'x' * 50 }}{% endfor %}", "wrote more than"),
        ("{{ 'x'|center(10**9) }}", "too large a size"),
        ("{{ '%099999999d' % 1 }}", "too wide"),
        ("{{ '{:>99999999}'.format(1) }}", "too wide"),
        ("{{ ('a' * 50000)|replace('a', 'bbbbb') }}", "replace would make"),
        ("{{ (range(5000)|list)|join('x' * 90) }}", "join would make"),
        ("{{ ('a\n' * 50000)|indent(100000) }}", "indent would make"),
        ("{{ '%.9999999f' % 1.5 }}", "too wide"),
        ("{{ ''.__class__ }}", "unsafe"),
        ("{{ nosuch }}", ""),
    ],
)
def test_limits_refuse_with_a_reason(source: str, said: str) -> None:
    with pytest.raises(Exception) as caught:  # noqa: PT011 (the message is checked)
        render(source)
    assert said in str(caught.value)


def test_entities_of_any_size_may_be_passed_to_helpers() -> None:
    # A handle carries its slot's generation above bit 32: never a "size".
    assert render("{{ name(2**40 + 5) }}", name=str) == str(2**40 + 5)
    assert render("{{ '*%s* 50%%' % 'x' }} {{ '{:*^5}'.format('x') }}") == "*x* 50% **x**"


def test_limits_are_counted_not_timed() -> None:
    # Each loop turn and each call is a step: 1,000 + 1,001 calls + 1,000 x 97 turns.
    source = "{% for i in range(1000) %}{% for j in range(97) %}{% endfor %}{% endfor %}"
    assert render(source) == ""
    with pytest.raises(SecurityError, match="steps"):
        render(source.replace("range(97)", "range(98)"))


def test_the_loader_reads_only_regular_utf8_files(tmp_path: Path) -> None:
    folder = tmp_path / "game" / "templates"
    folder.mkdir(parents=True)
    (folder / "ok.j2").write_text("fine")
    (folder / "latin.j2").write_bytes(b"one\ncaf\xe9")
    os.mkfifo(folder / "pipe.j2")
    env = BoundedEnvironment(loader=BoundedLoader(folder))
    assert env.get_template("ok.j2").render() == "fine"
    with pytest.raises(ContentError) as caught:
        env.get_template("latin.j2")
    assert caught.value.problems == [
        ("game/templates/latin.j2", "line 2", "is not UTF-8 text (byte 0xe9); save it as UTF-8")
    ]
    with pytest.raises(ContentError, match="not a regular file"):
        env.get_template("pipe.j2")


def test_toml_nesting_and_numbers_are_bounded(tmp_path: Path) -> None:
    found: list[tuple[str, str]] = []

    def add(file: Path, where: str, message: str) -> None:
        found.append((where, message))

    path = tmp_path / "x.toml"
    path.write_text("a = " + "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2))
    assert read_toml(path, add) is None
    path.write_text("[t]\nn = 9007199254740992\nm = -9007199254740991\n")
    assert read_toml(path, add) is None
    assert found[-1] == ("t.n", "9007199254740992 is too large (at most 9,007,199,254,740,991 "
                                "either way)")  # fmt: skip
    path.write_text("n = 9007199254740991\n")
    assert read_toml(path, add) == {"n": 9007199254740991}


def test_containment_cycles_are_found_once() -> None:
    assert containment_cycles({"a": "in:b", "b": "in:a", "c": "on:c", "d": "in:a"}) == [
        ["a", "b"],
        ["c"],
    ]
    assert containment_cycles({"key": "in:drawer", "drawer": "study"}) == []


def test_validate_renders_the_demo_and_the_scaffold_cleanly(tmp_path: Path) -> None:
    from fabula.games import DEMO

    for root in (DEMO, scaffold(tmp_path / "g")):
        tried, problems = check_templates(ContentGame.load(root))
        assert problems == []
        assert tried > 50


def test_validate_reports_a_misspelt_parameter(tmp_path: Path) -> None:
    root = scaffold(tmp_path / "g")
    (root / "templates" / "actions").mkdir()
    (root / "templates" / "actions" / "take.j2").write_text("Taken.\n{{ the(params.itme) }}")
    _, problems = check_templates(ContentGame.load(root))
    assert len(problems) == 1
    ((file, where, message),) = problems
    assert (file, where) == ("g/templates/actions/take.j2", "line 2")
    assert "itme" in message

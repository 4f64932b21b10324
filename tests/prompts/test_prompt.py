"""One prompt file: its format, its checks, its rendering and its fingerprint."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fabula.errors import ContentError, FabulaError
from fabula.prompts import Prompt, PromptError, PromptRef, PromptRenderError, tidy

HEAD = '+++\nid = "narrator"\nversion = "1"\nrole = "narrator"\ndescription = "A test."\n+++\n'


def prompt(body: str, head: str = HEAD) -> Prompt:
    return Prompt.from_bytes((head + body).encode(), "test.j2")


def problems(data: str | bytes) -> list[tuple[str, str, str]]:
    raw = data.encode() if isinstance(data, str) else data
    with pytest.raises(PromptError) as caught:
        Prompt.from_bytes(raw, "prompts/bad.j2")
    return caught.value.problems


# --- rendering ------------------------------------------------------------------


def test_blocks_become_a_system_then_a_user_message() -> None:
    p = prompt("{% block user %}U {{ x }}{% endblock %}\n{% block system %}S{% endblock %}")
    assert p.render(x=1) == [
        {"role": "system", "content": "S"},
        {"role": "user", "content": "U 1"},
    ]


def test_an_absent_or_empty_block_sends_no_message() -> None:
    assert prompt("{% block user %}hi{% endblock %}").render() == [
        {"role": "user", "content": "hi"}
    ]
    empty = prompt(
        "{% block system %}{% if x %}S{% endif %}{% endblock %}{% block user %}U{% endblock %}"
    )
    assert empty.render(x=False) == [{"role": "user", "content": "U"}]


def test_rendering_tidies_whitespace_and_leaves_no_lines_for_block_tags() -> None:
    p = prompt(
        "{% block user %}\n  Items:   \n{% for i in items %}\n- {{ i }}\n{% endfor %}\n\n\n\n"
        "End\n{% endblock %}"
    )
    assert p.render(items=["a", "b"])[0]["content"] == "Items:\n- a\n- b\n\nEnd"


def test_text_is_not_escaped() -> None:
    p = prompt("{% block user %}{{ x }}{% endblock %}")
    assert p.render(x='<b> & "q"')[0]["content"] == '<b> & "q"'


def test_the_variables_a_template_reads_are_known_when_it_is_read() -> None:
    p = prompt(
        "{% block user %}{% for a, b in pairs %}{{ a }}{{ b }}{{ c }}{% endfor %}{% endblock %}"
    )
    assert p.variables == frozenset({"pairs", "c"})


def test_every_missing_variable_is_named_with_the_file() -> None:
    p = prompt("{% block user %}{{ account }} {{ title }} {{ state }}{% endblock %}")
    with pytest.raises(
        PromptRenderError,
        match=r"test\.j2: state, title: the template reads 'state' and 'title', which were not",
    ) as caught:
        p.render(account="x")
    assert caught.value.variables == ("state", "title")
    assert caught.value.file == "test.j2"


def test_a_missing_attribute_at_run_time_is_a_render_error() -> None:
    p = prompt("{% block user %}{{ thing.colour }}{% endblock %}")
    with pytest.raises(PromptRenderError, match=r"test\.j2: .*has no attribute 'colour'"):
        p.render(thing={})


def test_the_sandbox_refuses_python_internals() -> None:
    p = prompt("{% block user %}{{ x.__class__.__mro__ }}{% endblock %}")
    with pytest.raises(PromptRenderError, match=r"test\.j2"):
        p.render(x="")


def test_render_errors_belong_to_the_error_tree() -> None:
    p = prompt("{% block user %}{{ y }}{% endblock %}")
    with pytest.raises(ContentError):
        p.render()
    assert issubclass(PromptRenderError, FabulaError)


def test_tidy() -> None:
    assert tidy("\n\n  a  \n\n\n\nb \t\n\n") == "a\n\nb"
    assert tidy("a\n\nb") == "a\n\nb"


@given(st.text(alphabet=" \t\nab", max_size=40))
def test_tidy_never_leaves_long_blank_runs_or_outer_space(text: str) -> None:
    out = tidy(text)
    assert "\n\n\n" not in out
    assert out == out.strip()
    assert tidy(out) == out


# --- the fingerprint --------------------------------------------------------------


def test_the_ref_names_id_version_and_the_sha256_of_the_bytes() -> None:
    data = (HEAD + "{% block user %}hi{% endblock %}").encode()
    p = Prompt.from_bytes(data, "x.j2")
    assert p.ref == PromptRef("narrator", "1", hashlib.sha256(data).hexdigest()[:12])
    assert str(p.ref) == f"narrator@1#{hashlib.sha256(data).hexdigest()[:12]}"
    assert (p.id, p.version, p.role) == ("narrator", "1", "narrator")
    assert p.source == data.decode()


def test_changing_one_byte_changes_the_ref_even_if_the_output_does_not() -> None:
    one = prompt("{% block user %}hi{% endblock %}")
    two = prompt("{% block user %}hi{% endblock %} ")  # a trailing space tidied away
    assert one.render() == two.render()
    assert one.ref.sha != two.ref.sha
    assert (one.ref.id, one.ref.version) == (two.ref.id, two.ref.version)


def test_a_ref_reads_back_from_its_text() -> None:
    ref = PromptRef("narrator", "2b", "0123456789ab")
    assert PromptRef.parse(str(ref)) == ref
    for bad in ("narrator", "narrator@1", "narrator#abc", "@1#abc", "narrator@#abc"):
        with pytest.raises(ValueError, match="is not a prompt reference"):
            PromptRef.parse(bad)


def test_from_file_reads_the_file_and_names_it(tmp_path: Path) -> None:
    path = tmp_path / "mine.j2"
    path.write_bytes((HEAD + "{% block user %}hi{% endblock %}").encode())
    assert Prompt.from_file(path).file == str(path)
    assert Prompt.from_file(path, label="game/prompts/mine.j2").file == "game/prompts/mine.j2"
    with pytest.raises(PromptError, match=r"nothing\.j2: cannot be read"):
        Prompt.from_file(tmp_path / "nothing.j2")


# --- problems, each with its file, line and what to do ------------------------------


def test_a_file_without_front_matter() -> None:
    assert problems("{% block user %}hi{% endblock %}") == [
        ("prompts/bad.j2", "line 1",
         "a prompt file starts with a +++ line, then its TOML front matter (id, version, "
         "role, description), then another +++ line, then the template")
    ]  # fmt: skip


def test_front_matter_that_is_never_closed() -> None:
    assert problems('+++\nid = "x"\n') == [
        ("prompts/bad.j2", "line 1", "the front matter is never closed; add a +++ line after it")
    ]


def test_bad_toml_is_reported_at_its_line_in_the_file() -> None:
    found = problems('+++\nid = "narrator"\nversion = 1 2\n+++\n{% block user %}x{% endblock %}')
    assert len(found) == 1
    file, where, message = found[0]
    assert (file, where) == ("prompts/bad.j2", "line 3")
    assert message.startswith("not valid TOML: ")
    assert "(at line" not in message


def test_every_front_matter_problem_at_once_with_lines() -> None:
    found = problems(
        '+++\nid = "Narrator!"\nversion = 1\nrole = "poet"\ncolour = "red"\n+++\n'
        "{% block user %}x{% endblock %}"
    )
    where = {w: m for _, w, m in found}
    assert where["line 2 (id)"].startswith("String should match pattern")
    assert where["line 3 (version)"] == (
        'Input should be a valid string; write it in quotes, e.g. version = "1"'
    )
    assert "'parser' or 'narrator'" in where["line 4 (role)"]
    assert where["line 5 (colour)"] == (
        "unknown key; the front matter has id, version, role and description"
    )
    assert where["description"] == 'missing; add description = "..." to the front matter'


def test_a_template_syntax_error_is_reported_at_its_line_in_the_file() -> None:
    found = problems(HEAD + "{% block user %}\nfine\n{% if x %}\n{% endblock %}")
    assert len(found) == 1
    assert found[0][1] == "line 10"  # 6 lines of front matter, then the 4th template line
    assert found[0][2].startswith("template syntax: ")


def test_front_matter_and_template_problems_are_reported_together() -> None:
    found = problems('+++\nid = "narrator"\n+++\n{% block sytem %}x{% endblock %}')
    wheres = [w for _, w, _ in found]
    assert {"version", "role", "line 4"} <= set(wheres)


def test_unknown_blocks_and_text_outside_blocks_are_refused() -> None:
    found = problems(HEAD + "Hello\n{% block sytem %}x{% endblock %}\n{% set y = 1 %}")
    messages = {w: m for _, w, m in found}
    assert messages["line 7"].startswith("only {% block system %} and {% block user %}")
    assert messages["line 8"].startswith("unknown block 'sytem'")
    assert "line 9" in messages


def test_include_import_and_extends_are_refused() -> None:
    found = problems(
        HEAD + "{% block user %}{% include 'other.j2' %}{% import 'm.j2' as m %}{% endblock %}"
    )
    assert [w for _, w, _ in found] == ["line 7", "line 7"]
    assert all("self-contained" in m for _, _, m in found)
    found = problems(HEAD + "{% extends 'base.j2' %}{% block user %}x{% endblock %}")
    assert any("self-contained" in m for _, _, m in found)


def test_a_template_needs_a_block() -> None:
    found = problems(HEAD + "\n\n")
    assert found == [
        ("prompts/bad.j2", "",
         "the template defines no block; put its text in {% block system %} and/or "
         "{% block user %}")
    ]  # fmt: skip


def test_a_block_defined_twice_is_refused() -> None:
    found = problems(HEAD + "{% block user %}a{% endblock %}{% block user %}b{% endblock %}")
    assert len(found) == 1
    assert "'user'" in found[0][2]


def test_a_file_that_is_not_utf8() -> None:
    found = problems(HEAD.encode() + b"{% block user %}\xff{% endblock %}")
    assert found == [("prompts/bad.j2", "line 7", "is not UTF-8 text; save the file as UTF-8")]


def test_the_message_lists_every_problem_and_says_to_fix_them() -> None:
    expected = (
        r"(?s)the prompt files have 2 problems; fix them.*"
        r"prompts/bad\.j2: line 3 \(version\).*prompts/bad\.j2: line 7: unknown block"
    )
    with pytest.raises(PromptError, match=expected):
        Prompt.from_bytes(
            (HEAD.replace('"1"', "1") + "{% block sytem %}x{% endblock %}").encode(),
            "prompts/bad.j2",
        )


def test_a_prompt_error_is_a_content_error() -> None:
    assert issubclass(PromptError, ContentError)
    with pytest.raises(ContentError):
        Prompt.from_bytes(b"nothing", "x.j2")


def test_crlf_files_read_like_lf_files() -> None:
    text = HEAD + "{% block user %}\nhi {{ x }}\n{% endblock %}"
    lf = Prompt.from_bytes(text.encode(), "lf.j2")
    crlf = Prompt.from_bytes(text.replace("\n", "\r\n").encode(), "crlf.j2")
    assert lf.render(x=1) == crlf.render(x=1)
    assert lf.ref.sha != crlf.ref.sha  # the bytes differ, and the ref says so

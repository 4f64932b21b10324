"""The prompt library: built-in prompts, a game's overrides and new versions,
version order, and every loading problem reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fabula.games import DEMO
from fabula.prompts import PromptError, PromptLibrary, UnknownPromptError, version_key
from tests.prompts.promptfiles import prompt_file


@pytest.fixture(scope="module")
def builtin() -> PromptLibrary:
    return PromptLibrary.load()


def test_the_built_in_prompts(builtin: PromptLibrary) -> None:
    assert builtin.ids() == ("narrator", "parser")
    assert builtin.versions("narrator") == ("1", "2")
    assert builtin.versions("parser") == ("1",)
    assert [str(p.ref).split("#")[0] for p in builtin] == ["narrator@1", "narrator@2", "parser@1"]
    assert len(builtin) == 3
    assert "narrator" in builtin
    assert "poet" not in builtin
    for prompt in builtin:
        assert prompt.file.startswith("fabula/prompts/library/")
        assert prompt.role == prompt.id
        assert len(prompt.ref.sha) == 12


def test_no_version_or_an_empty_one_means_the_newest(builtin: PromptLibrary) -> None:
    assert builtin.get("narrator").version == "2"
    assert builtin.get("narrator", "").version == "2"
    assert builtin.get("narrator", None) is builtin.get("narrator", "2")
    assert builtin.get("narrator", "1").version == "1"


def test_an_unknown_id_or_version(builtin: PromptLibrary) -> None:
    with pytest.raises(
        UnknownPromptError, match=r"prompt 'narrator' has no version '7' \(it has 1, 2\)"
    ):
        builtin.get("narrator", "7")
    with pytest.raises(KeyError, match=r"there is no prompt 'poet' \(there are narrator, parser\)"):
        builtin.get("poet")
    assert builtin.try_get("narrator", "7") is None
    assert builtin.try_get("poet") is None
    assert builtin.versions("poet") == ()


def test_a_game_overrides_a_version_and_adds_one(tmp_path: Path) -> None:
    folder = tmp_path / "mygame" / "prompts"
    prompt_file(folder, "mine.j2", version="1", body="{% block user %}mine{% endblock %}")
    prompt_file(folder, "newer.j2", version="3", body="{% block user %}three{% endblock %}")
    library = PromptLibrary.load(folder)
    assert library.versions("narrator") == ("1", "2", "3")
    assert library.get("narrator", "1").render() == [{"role": "user", "content": "mine"}]
    assert library.get("narrator", "1").file == "mygame/prompts/mine.j2"
    assert library.get("narrator", "2").file == "fabula/prompts/library/narrator-2.j2"
    assert library.get("narrator").version == "3"
    assert library.get("parser").file == "fabula/prompts/library/parser-1.j2"


def test_a_game_may_add_a_new_prompt_id(tmp_path: Path) -> None:
    prompt_file(tmp_path / "prompts", "npc.j2", id="npc-voice", role="narrator")
    assert PromptLibrary.load(tmp_path / "prompts").ids() == ("narrator", "npc-voice", "parser")


def test_later_folders_win(tmp_path: Path) -> None:
    prompt_file(tmp_path / "a", "x.j2", body="{% block user %}a{% endblock %}")
    prompt_file(tmp_path / "b", "x.j2", body="{% block user %}b{% endblock %}")
    library = PromptLibrary.load(tmp_path / "a", tmp_path / "b", builtin=False)
    assert library.get("narrator", "1").render()[0]["content"] == "b"
    assert len(library) == 1


def test_versions_compare_as_numbers_where_they_are_numbers(tmp_path: Path) -> None:
    for version in ("9", "10", "2", "1.10", "1.9", "2b"):
        prompt_file(tmp_path / "p", f"v{version}.j2", version=version)
    library = PromptLibrary.load(tmp_path / "p", builtin=False)
    assert library.versions("narrator") == ("1.9", "1.10", "2", "2b", "9", "10")
    assert library.get("narrator").version == "10"


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, unique=True))
def test_integer_versions_order_as_integers(numbers: list[int]) -> None:
    assert sorted(map(str, numbers), key=version_key) == [str(n) for n in sorted(numbers)]


def test_a_game_without_a_prompts_folder_gets_the_built_ins() -> None:
    assert PromptLibrary.load(DEMO / "prompts").ids() == ("narrator", "parser")
    assert PromptLibrary.load(None).ids() == ("narrator", "parser")


def test_a_prompts_path_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "prompts").write_text("not a folder")
    with pytest.raises(PromptError, match="prompts: is not a folder; prompt files go in"):
        PromptLibrary.load(tmp_path / "prompts")


def test_the_same_id_and_version_twice_in_one_folder(tmp_path: Path) -> None:
    prompt_file(tmp_path / "g" / "prompts", "a.j2")
    prompt_file(tmp_path / "g" / "prompts", "b.j2")
    with pytest.raises(PromptError) as caught:
        PromptLibrary.load(tmp_path / "g" / "prompts")
    assert caught.value.problems == [
        ("g/prompts/b.j2", "",
         "defines 'narrator' version '1', which g/prompts/a.j2 already defines in the same "
         "folder; give one of them another version")
    ]  # fmt: skip


def test_every_problem_in_every_file_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "g" / "prompts"
    prompt_file(folder, "ok.j2")
    prompt_file(folder, "role.j2", version="2", role="poet")
    prompt_file(folder, "syntax.j2", version="3", body="{% block user %}{{ x {% endblock %}")
    (folder / "notes.txt").write_text("not a prompt: ignored")
    with pytest.raises(PromptError) as caught:
        PromptLibrary.load(folder)
    files = [file for file, _, _ in caught.value.problems]
    assert files == ["g/prompts/role.j2", "g/prompts/syntax.j2"]
    assert caught.value.problems[1][1] == "line 7"


def test_a_library_is_built_from_prompts_already_read(builtin: PromptLibrary) -> None:
    library = PromptLibrary([builtin.get("parser")])
    assert library.ids() == ("parser",)
    assert "parser@1#" in repr(library)

"""``fabula validate``'s warning: nouns of a room's text nothing answers to."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fabula.content import load, unexaminable_mentions
from fabula.content.mentions import definite_phrases
from fabula.games import DEMO

LITTLE = Path(__file__).parent / "games" / "little"


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("Waves break over the harbour wall.", ["the harbour wall"]),
        ("The lighthouse stands black against the clouds.", ["The lighthouse", "the clouds"]),
        ("the smell of the day's catch", ["the smell", "the day's catch"]),
        ("on the hill to the east the tower", ["the hill", "the tower"]),
        ("The village is north, the boathouse west.", ["The village", "the boathouse"]),
        ("A lamp, and a key.", []),
        ("to the", []),
    ],
)  # fmt: skip
def test_definite_phrases_stop_at_small_words_and_punctuation(
    text: str, phrases: list[str]
) -> None:
    assert [phrase for phrase, _ in definite_phrases(text)] == phrases


def _game(tmp_path: Path, description: str, extra: str = "") -> Path:
    root = tmp_path / "little"
    shutil.copytree(LITTLE, root)
    places = root / "world" / "places.toml"
    text = places.read_text().replace('"A dusty hall."', f'"{description}"', 1)
    places.write_text(text + extra)
    return root


def test_a_noun_nothing_answers_to_is_reported_with_its_field(tmp_path: Path) -> None:
    root = _game(tmp_path, "A dusty hall. Cobwebs hang from the rafters above the lamp.")
    [mention] = unexaminable_mentions(load(root))
    assert (mention.file, mention.field, mention.phrase) == (
        "little/world/places.toml",
        "rooms.hall.description",
        "the rafters",
    )
    assert "add it to rooms.hall.scenery" in mention.message


def test_things_doors_scenery_rooms_and_directions_answer(tmp_path: Path) -> None:
    text = (
        "A dusty hall. The lamp is here, the trapdoor leads down, the rafters creak, "
        "the porch is south, and the middle of the hall is to the north."
    )
    extra = '\n[rooms.hall.scenery]\nrafter = "Old oak."\n'  # "rafters" is its plural
    assert unexaminable_mentions(load(_game(tmp_path, text, extra))) == []


def test_the_demo_has_no_warnings() -> None:
    assert unexaminable_mentions(load(DEMO)) == []


def test_fabula_validate_shows_warnings_and_still_passes(tmp_path: Path) -> None:
    root = _game(tmp_path, "A dusty hall under the rafters.")
    done = subprocess.run(
        [sys.executable, "-m", "fabula", "validate", str(root)],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "is sound" in done.stdout
    assert "1 warning (not errors)" in done.stdout
    assert "'the rafters' cannot be examined" in done.stdout


_PIECES = st.sampled_from(["the", "The", "of", "west", "lamp", "day's", "-", ",", ".", "ab"])


@given(st.lists(_PIECES, max_size=30).map(" ".join))
def test_every_phrase_is_the_and_up_to_three_noun_words(text: str) -> None:
    for phrase, words in definite_phrases(text):
        assert phrase.split()[0].lower() == "the"
        assert 1 <= len(words) <= 3
        assert not {"the", "of", "west"} & set(words)

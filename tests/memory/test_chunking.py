"""Cutting lore into chunks: by headings, paragraphs and sentences, never
losing, repeating or reordering a word, never past the size bound."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.memory import chunk_text

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
SENTENCE = st.lists(WORD, min_size=1, max_size=60).map(lambda w: " ".join(w) + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=12).map(" ".join)
HEADING = st.lists(WORD, min_size=1, max_size=5).map(lambda w: "# " + " ".join(w))
BLOCK = st.one_of(PARAGRAPH, PARAGRAPH, HEADING)
TEXT = st.lists(BLOCK, max_size=12).map("\n\n".join)


def words(text: str) -> list[str]:
    return text.split()


@settings(max_examples=150, deadline=None)
@given(TEXT, st.integers(1, 80), st.integers(0, 80))
def test_chunks_cover_the_text_in_order_and_stay_in_bounds(
    text: str, max_words: int, min_words: int
) -> None:
    min_words = min(min_words, max_words)
    chunks = chunk_text(text, min_words=min_words, max_words=max_words)
    assert [w for c in chunks for w in words(c.text)] == words(text)
    for chunk in chunks:
        assert 1 <= chunk.words <= max_words
        assert chunk.words == len(words(chunk.text))


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_a_heading_always_starts_a_chunk_and_names_its_section(text: str) -> None:
    chunks = chunk_text(text)
    starts = {c.text.split("\n", 1)[0] for c in chunks}
    for block in text.split("\n\n"):
        if block.startswith("# "):
            assert block in starts
    for chunk in chunks:
        if chunk.text.startswith("# "):
            assert chunk.section == chunk.text.split("\n", 1)[0][2:]


def test_short_paragraphs_are_packed_until_the_minimum() -> None:
    paragraph = " ".join(["word"] * 50)
    text = "\n\n".join([paragraph] * 5)  # 250 words
    sizes = [c.words for c in chunk_text(text, min_words=120, max_words=200)]
    assert sizes == [150, 100]


def test_the_rest_of_a_section_is_kept_together_when_it_fits() -> None:
    paragraph = " ".join(["word"] * 60)
    text = "\n\n".join([paragraph] * 3)  # 180 words: one chunk, no stub
    assert [c.words for c in chunk_text(text, min_words=120, max_words=200)] == [180]


def test_a_long_paragraph_is_cut_between_sentences() -> None:
    sentences = [f"Sentence {i} has exactly six words." for i in range(50)]  # 300 words
    chunks = chunk_text(" ".join(sentences), min_words=120, max_words=200)
    assert len(chunks) == 2
    for chunk in chunks:
        assert chunk.text.endswith("words.")
        assert chunk.text.startswith("Sentence")


def test_a_sentence_longer_than_a_chunk_is_cut_between_words() -> None:
    text = " ".join(f"w{i}" for i in range(450))
    chunks = chunk_text(text, min_words=10, max_words=200)
    assert [c.words for c in chunks] == [200, 200, 50]


def test_sections_and_line_breaks() -> None:
    text = "Before any heading.\n\n## The crab\nIt takes\nshiny things.\r\n\r\n### Its cave\nDark."
    chunks = chunk_text(text)
    assert [(c.section, c.text) for c in chunks] == [
        ("", "Before any heading."),
        ("The crab", "## The crab\n\nIt takes shiny things."),
        ("Its cave", "### Its cave\n\nDark."),
    ]


def test_empty_text_has_no_chunks() -> None:
    assert chunk_text("") == []
    assert chunk_text("\n\n  \n") == []


def test_sizes_are_checked() -> None:
    with pytest.raises(ValueError, match="min_words <= max_words"):
        chunk_text("x", min_words=10, max_words=5)

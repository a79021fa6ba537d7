"""Numbered segments: what the model sees and cites, always spans of the text as received."""

from __future__ import annotations

import pytest

from summarizer.segments import MAX_SEGMENT_CHARS, numbered, segment

from .crafted import ARTICLE_000


@pytest.mark.parametrize(
    "text",
    [
        ARTICLE_000,
        "One. Two!  Three?\r\n\r\nFour",
        "\ufeffلا نقاط هنا\n\n\n   ",
        "The U.S. sent 3.5 tonnes. Then it left.",
    ],
    ids=["seed-000", "crlf", "bom-and-blank-lines", "abbreviations-and-decimals"],
)
def test_segments_are_spans_of_the_text_numbered_from_one(text: str) -> None:
    segments = segment(text)
    assert [s.number for s in segments] == list(range(1, len(segments) + 1))
    for s in segments:
        assert text[s.start : s.end] == s.text == s.text.strip() and s.text
    starts = [s.start for s in segments]
    assert starts == sorted(starts)


def test_sentences_split_at_their_ends_not_inside_numbers() -> None:
    texts = [s.text for s in segment("The U.S. sent 3.5 tonnes. Then it left.")]
    assert texts == ["The U.S. sent 3.5 tonnes.", "Then it left."]


def test_a_long_arabic_sentence_is_cut_into_clauses() -> None:
    clause = "وبحث الجانبان مجالات التعاون العسكري والدفاعي بين البلدين الشقيقين"
    sentence = "، ".join([clause] * 12) + "."
    segments = segment(sentence)
    assert len(segments) > 1
    assert all(len(s.text) <= MAX_SEGMENT_CHARS for s in segments)
    assert "".join(sentence[s.start : s.end] for s in segments).replace(
        " ", ""
    ) == sentence.replace(" ", "")


def test_the_model_sees_one_numbered_line_per_segment() -> None:
    shown = numbered(segment("First line.\nSecond one. Third"))
    assert shown == "[1] First line.\n[2] Second one.\n[3] Third"

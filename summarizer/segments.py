"""Numbered segments of an article: what the model cites instead of copying a quote.

A small model cannot copy a span of Arabic character for character, but it can say "segment
4". The article is shown to the model as numbered lines, one sentence each; a sentence longer
than ``MAX_SEGMENT_CHARS`` (Arabic news writes whole paragraphs as one sentence joined by
"،" and "و") is cut into clauses. The library then takes the quote and its offsets from the
article: a segment is only ever a span of the text as received.

>>> [s.text for s in segment("Talks began. They agreed!\\n\\nالتقى الوزيران؟ نعم")]
['Talks began.', 'They agreed!', 'التقى الوزيران؟', 'نعم']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MAX_SEGMENT_CHARS", "Segment", "numbered", "segment"]

# Long enough for a normal sentence, short enough that a cited segment pins a fact down.
MAX_SEGMENT_CHARS = 320
# A sentence ends at . ! ? ؟ (or …) followed by white space; "3.5" and "U.S.A" stay whole.
_SENTENCE_END = re.compile(r"(?<=[.!?؟…])[\"'»”)]*\s+")
# A period that ends no sentence: initials ("U.S.", "H. E.") and the titles news prose writes
# before a name.
_ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]\.|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Adm|Brig|Sgt|Gov|Sen|Rep|St|No|Vol|vs|etc)\.)$"
)
# Where a long sentence may be cut: after a comma (Arabic or Latin) or a semicolon.
_CLAUSE_END = re.compile(r"(?<=[،,;؛])\s+")


@dataclass(frozen=True)
class Segment:
    """``text[start:end]`` of the article, numbered from 1."""

    number: int
    start: int
    end: int
    text: str


def segment(text: str) -> list[Segment]:
    """The article's segments in order: lines, sentences, then clauses of long sentences."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        for start, end in _sentences(text, line.start(), line.end()):
            spans += _clauses(text, start, end)
    segments: list[Segment] = []
    for start, end in spans:
        start, end = _trim(text, start, end)
        if start < end:
            segments.append(Segment(len(segments) + 1, start, end, text[start:end]))
    return segments


def numbered(segments: list[Segment]) -> str:
    """The article as the model sees it: one ``[n] text`` line per segment."""
    return "\n".join(f"[{s.number}] {s.text}" for s in segments)


def _split(text: str, start: int, end: int, boundary: re.Pattern[str]) -> list[tuple[int, int]]:
    spans, position = [], start
    for match in boundary.finditer(text, start, end):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, end))
    return spans


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``_split`` at sentence ends, joined back where the period closed an abbreviation."""
    sentences: list[tuple[int, int]] = []
    for piece in _split(text, start, end, _SENTENCE_END):
        if sentences and _ABBREVIATION.search(text[sentences[-1][0] : sentences[-1][1]].rstrip()):
            sentences[-1] = (sentences[-1][0], piece[1])
        else:
            sentences.append(piece)
    return sentences


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence cut at clause boundaries into pieces of at most ``MAX_SEGMENT_CHARS`` where
    it has such boundaries; a clause longer than that stays whole rather than cut mid-word."""
    if end - start <= MAX_SEGMENT_CHARS:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    for clause_start, clause_end in _split(text, start, end, _CLAUSE_END):
        if pieces and clause_end - pieces[-1][0] <= MAX_SEGMENT_CHARS:
            pieces[-1] = (pieces[-1][0], clause_end)
        else:
            pieces.append((clause_start, clause_end))
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end

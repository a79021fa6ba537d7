"""Find where a quote the model gave sits in the article, in the article's own offsets.

A model copies quotes imperfectly: it drops or adds diacritics and tatweel, writes ا for أ,
ه for ة, ASCII digits for ٢٤, straight quotes for guillemets, a space for a line break,
"عبدالعزيز" for "عبد العزيز". We try three tiers, strictest first, and report which one hit so
that a caller can weigh a weak match:

1. ``exact``: the quote, stripped of surrounding whitespace, occurs verbatim;
2. ``normalized``: the folded quote occurs in the folded article (``normalize``);
3. ``loose``: the quote's letters and digits occur in the article's letters and digits; only
   for quotes of at least ``MIN_LOOSE_CHARS`` of them, since a short run of letters turns up
   inside unrelated words.

Within a tier the first occurrence wins. The span returned always lies in the original text,
from the first to the last character that matched, with whatever was folded away between
them (an RLM, a CR, spaces inside quote marks) and the combining marks of the last letter.

``ArticleIndex`` folds the article once; ``locate`` is then a few ``str.find`` calls per quote.

>>> article = 'التقى الأمير " خالد بن سلمان بن عبد العزيز " في الرياض'
>>> span = locate(article, "خالد بن سلمان بن عبدالعزيز")
>>> span.match, article[span.start:span.end]
('loose', 'خالد بن سلمان بن عبد العزيز')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

from .normalize import (
    normalize,
    normalize_with_map,
    original_span,
    skeleton_of,
    skeleton_with_map,
)
from .segments import Segment, segment

__all__ = ["MIN_LOOSE_CHARS", "ArticleIndex", "MatchKind", "Span", "locate"]

MatchKind = Literal["exact", "normalized", "loose", "segment"]

# Below this many letters and digits a loose hit is as likely chance as evidence: "بن عبد"
# is five and sits inside half the names of the Gulf.
MIN_LOOSE_CHARS = 6


@dataclass(frozen=True)
class Span:
    """Where a quote was found: ``article[start:end]``, in code points, and how."""

    start: int
    end: int
    match: MatchKind


class ArticleIndex:
    """One article, folded once, to locate many quotes in it.

    >>> ArticleIndex("قال وزيرُ الدفاع").locate("وزير الدفاع")
    Span(start=4, end=16, match='normalized')
    """

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def normalized(self) -> tuple[str, list[int]]:
        """The folded article and its map back to ``text``."""
        return normalize_with_map(self.text)

    @cached_property
    def skeleton(self) -> tuple[str, list[int]]:
        """The article's letters and digits and their map back to ``text``."""
        return skeleton_of(*self.normalized)

    @cached_property
    def segments(self) -> list[Segment]:
        """The numbered segments the model sees (``segments.segment``)."""
        return segment(self.text)

    def segment(self, number: int) -> Segment | None:
        """Segment ``number`` (from 1), or None when the article has no such segment."""
        return self.segments[number - 1] if 1 <= number <= len(self.segments) else None

    def segment_at(self, offset: int) -> int | None:
        """The number of the segment holding ``offset``, or None (between segments)."""
        for s in self.segments:
            if s.start <= offset < s.end:
                return s.number
        return None

    def segments_over(self, start: int, end: int) -> tuple[int, int]:
        """The span of the segments that ``text[start:end]`` overlaps (itself when none)."""
        over = [s for s in self.segments if s.start < end and start < s.end]
        return (over[0].start, over[-1].end) if over else (start, end)

    def locate_within(self, quote: str, start: int, end: int) -> Span | None:
        """``locate`` restricted to ``text[start:end]``; the span in the whole text's offsets."""
        if (start, end) == (0, len(self.text)):
            return self.locate(quote)
        span = _window(self.text, start, end).locate(quote)
        return Span(span.start + start, span.end + start, span.match) if span else None

    def locate(self, quote: str) -> Span | None:
        """The first span of the article that ``quote`` stands for, or None."""
        verbatim = quote.strip()
        folded = normalize(verbatim).strip(" ")
        letters = skeleton_with_map(verbatim)[0]
        # A quote of punctuation or marks alone says nothing, even where it occurs verbatim.
        if not letters:
            return None

        start = self.text.find(verbatim)
        if start >= 0:
            return Span(start, start + len(verbatim), "exact")

        article, pos = self.normalized
        hit = article.find(folded)
        if hit >= 0:
            return self._span(pos, hit, hit + len(folded), "normalized")

        if len(letters) < MIN_LOOSE_CHARS:
            return None
        article, pos = self.skeleton
        hit = article.find(letters)
        if hit >= 0:
            return self._span(pos, hit, hit + len(letters), "loose")
        return None

    def _span(self, pos: list[int], i: int, j: int, match: MatchKind) -> Span:
        start, end = original_span(pos, i, j, text=self.text)
        return Span(start, end, match)


@lru_cache(maxsize=256)
def _window(text: str, start: int, end: int) -> ArticleIndex:
    """An index of one window of an article, kept: a re-check looks in the same segments."""
    return ArticleIndex(text[start:end])


def locate(article: str, quote: str) -> Span | None:
    """Locate one quote in one article; build an ``ArticleIndex`` to locate several."""
    return ArticleIndex(article).locate(quote)

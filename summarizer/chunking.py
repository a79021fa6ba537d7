"""Long articles: split on paragraph boundaries with overlap, then merge the parts' summaries.

Each part is summarised and checked on its own text; its evidence offsets are then shifted by
the part's position, so every offset in the merged summary points into the whole article.
Participants, topics, outcomes, parties and areas are de-duplicated by normalised name; the
event's date, place and type come from the first part that gives them (the lead).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel

from .fields import walk
from .normalize import normalize
from .schemas import CooperationSummary, Evidence, MeetingSummary
from .script import arabic_share

T = TypeVar("T")
# Calibrated on cl100k/o200k tokenisers: Arabic runs about 2.5 characters a token, Latin
# text about 4. An estimate is enough to size parts; usage is accounted from the server.
CHARS_PER_TOKEN = {"ar": 2.5, "en": 4.0}
_PARAGRAPH_END = re.compile(r"\n\s*\n|\n")


def estimate_tokens(text: str) -> int:
    share = arabic_share(text[:5000])
    per_token = share * CHARS_PER_TOKEN["ar"] + (1 - share) * CHARS_PER_TOKEN["en"]
    return int(len(text) / per_token) + 1


@dataclass(frozen=True)
class Part:
    start: int  # offset of the part in the whole article
    text: str


def split(article: str, max_tokens: int, overlap_paragraphs: int = 1) -> list[Part]:
    """Parts of at most ``max_tokens`` (estimated), cut between paragraphs, each beginning with
    the last ``overlap_paragraphs`` of the part before. A paragraph longer than the budget is
    cut between sentences, then between words."""
    if estimate_tokens(article) <= max_tokens:
        return [Part(0, article)]
    budget_chars = max(200, int(len(article) * max_tokens / estimate_tokens(article)))
    pieces = list(_pieces(article, budget_chars))
    parts: list[Part] = []
    i = 0
    while i < len(pieces):
        first = i
        end = pieces[i][1]
        while i + 1 < len(pieces) and pieces[i + 1][1] - pieces[first][0] <= budget_chars:
            i += 1
            end = pieces[i][1]
        start = pieces[first][0]
        parts.append(Part(start, article[start:end]))
        i += 1
        if i < len(pieces):
            i = max(first + 1, i - overlap_paragraphs)
    return parts


def _pieces(article: str, budget: int) -> list[tuple[int, int]]:
    """(start, end) of paragraphs, each at most ``budget`` characters long."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _PARAGRAPH_END.finditer(article):
        spans.append((position, match.end()))
        position = match.end()
    if position < len(article):
        spans.append((position, len(article)))
    pieces: list[tuple[int, int]] = []
    for start, end in spans:
        while end - start > budget:
            cut = _cut(article, start, start + budget)
            pieces.append((start, cut))
            start = cut
        pieces.append((start, end))
    return pieces


def _cut(text: str, start: int, limit: int) -> int:
    window = text[start:limit]
    for boundary in (". ", ".", "، ", " "):
        at = window.rfind(boundary)
        if at > len(window) // 2:
            return start + at + len(boundary)
    return limit


def shift_offsets(summary: BaseModel, by: int) -> None:
    for slot in walk(summary):
        value = slot.get()
        if isinstance(value, Evidence) and value.start is not None and value.end is not None:
            value.start += by
            value.end += by


def _key(text: str | None) -> str:
    return " ".join(normalize(text or "").split())


def _unique(items: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(_key(item), item)
    return list(seen.values())


def merge_meetings(parts: list[MeetingSummary]) -> MeetingSummary:
    merged = parts[0].model_copy(deep=True)
    for part in parts[1:]:
        if merged.date is None and part.date is not None:
            merged.date, merged.date_text = part.date, part.date_text
        for name in ("city", "country", "venue"):
            if getattr(merged.location, name) is None:
                setattr(merged.location, name, getattr(part.location, name))
        merged.participants += part.participants
        merged.topics += part.topics
        merged.outcomes += part.outcomes
        merged.other_events += part.other_events
        merged.parties += part.parties
        merged.next_steps += part.next_steps
        merged.background += part.background
    merged.participants = _dedup(merged.participants, lambda p: p.name_source or p.name or p.title)
    merged.topics = _dedup(merged.topics, lambda t: f"{t.category} {t.title}")
    merged.outcomes = _dedup(merged.outcomes, lambda o: o.description)
    merged.other_events = _dedup(merged.other_events, lambda e: e.evidence.quote)
    merged.parties = _unique(merged.parties)
    merged.next_steps = _unique(merged.next_steps)
    merged.background = _unique(merged.background)
    return merged


def merge_cooperations(parts: list[CooperationSummary]) -> CooperationSummary:
    merged = parts[0].model_copy(deep=True)
    for part in parts[1:]:
        merged.framework = merged.framework or part.framework
        merged.parties += part.parties
        merged.areas += part.areas
        for name in ("mechanisms", "challenges", "outlook", "background"):
            getattr(merged, name).extend(getattr(part, name))
    merged.parties = _dedup(merged.parties, lambda p: p.name)
    merged.areas = _dedup(merged.areas, lambda a: a.category)
    for name in ("mechanisms", "challenges", "outlook", "background"):
        setattr(merged, name, _unique(getattr(merged, name)))
    return merged


def _dedup(items: list[T], key: Callable[[T], str | None]) -> list[T]:
    seen: dict[str, T] = {}
    for item in items:
        seen.setdefault(_key(key(item)), item)
    return list(seen.values())

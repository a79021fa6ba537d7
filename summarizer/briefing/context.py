"""What every briefing format shows, worked out once: sections per language, labels, refs.

The templates (Markdown, HTML) and the DOCX writer read the same ``Briefing``, so that a
fact, its label and its evidence number are the same whichever format a reader opens. The
``Briefing`` holds a cleaned copy of the result (``clean.py``): no format ever sees a control
character or a bidi override from a model's answer or the article's metadata.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError
from ..result import Result, Summary
from ..schemas import Evidence, MeetingSummary
from .clean import clean, clean_article, http_url
from .highlight import Span, number_spans, span_id
from .labels import AREAS, CODES, LABELS, MONTHS, SEPARATORS


def format_day(value: str | dt.date | None, lang: str) -> str | None:
    """A day as a reader of ``lang`` writes it: '24 October 2023' or '24 أكتوبر 2023'."""
    if value is None:
        return None
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Ref:
    """Where a fact's evidence is: the mark's id, its number, the quote and its offsets."""

    id: str
    n: int
    quote: str
    start: int
    end: int


class Directed:
    """A part of a document in one language, laid out right to left when it is Arabic."""

    lang: str

    @property
    def rtl(self) -> bool:
        return self.lang == "ar"

    @property
    def dir(self) -> str:
        return "rtl" if self.rtl else "ltr"


@dataclass
class Section(Directed):
    """The briefing in one language: ``s`` is ``None`` for a no-event result."""

    lang: str
    s: Summary | None
    schema: str
    refs: dict[Span, int]
    L: dict[str, str] = field(init=False)
    code: dict[str, str] = field(init=False)
    area: dict[str, str] = field(init=False)
    sep: str = field(init=False)

    def __post_init__(self) -> None:
        self.L, self.code, self.area = LABELS[self.lang], CODES[self.lang], AREAS[self.lang]
        self.sep = SEPARATORS[self.lang]

    @property
    def kicker(self) -> str:
        return self.L[f"{self.schema}_briefing"]

    def day(self, value: str | dt.date | None) -> str | None:
        return format_day(value, self.lang)

    def join(self, items: list[str | None]) -> str:
        """Non-empty items joined with this language's comma."""
        return self.sep.join(i for i in items if i)

    def ref(self, evidence: Evidence) -> Ref | None:
        """The evidence's place in the highlighted article, if it has offsets."""
        if evidence.start is None or evidence.end is None:
            return None
        span = (evidence.start, evidence.end)
        if span not in self.refs:
            return None
        return Ref(span_id(span), self.refs[span], evidence.quote, *span)

    def place(self) -> str:
        if not isinstance(self.s, MeetingSummary):
            return ""
        loc = self.s.location
        return self.join([loc.venue, loc.city, loc.country])


@dataclass
class Briefing:
    """A whole briefing: one section per language, the article and its metadata."""

    sections: list[Section]
    result: Result
    refs: dict[Span, int]
    # True for replayed, hand-written answers (the demo): the footer then says so instead of
    # naming a model that never wrote them.
    replayed: bool = False

    @property
    def meta(self) -> Any:
        return self.result.meta

    @property
    def article(self) -> str:
        return self.result.article

    @property
    def source_lang(self) -> str:
        assert self.result.meta is not None
        return self.result.meta.article.source_language

    @property
    def lang(self) -> str:
        """The language of the document as a whole: its first section's."""
        return self.sections[0].lang

    @property
    def link(self) -> str | None:
        """The article's URL if it may be a link (http or https), else ``None``."""
        return http_url(self.meta.article.url)

    def partial_note(self, section: Section) -> str | None:
        """For a partial result, how many items were left out, in the section's language."""
        meta = self.result.meta
        if meta is None or meta.complete:
            return None
        n = len(meta.dropped)
        return section.L["partial_one" if n == 1 else "partial_many"].format(n=n)

    def source_line(self, section: Section) -> str:
        """'SPA, 5 March 2024' in the section's language; empty without metadata."""
        art = self.result.meta.article if self.result.meta else None
        if art is None:
            return ""
        return section.join([art.outlet, section.day(art.published)])


def _evidences(summary: Summary) -> list[Evidence]:
    """Every Evidence the summary carries, whatever the schema."""
    found: list[Evidence] = []
    for name in ("participants", "topics", "outcomes", "other_events", "parties", "areas"):
        for item in getattr(summary, name, []):
            evidence = getattr(item, "evidence", None)
            if isinstance(evidence, Evidence):
                found.append(evidence)
    return found


def build(result: Result, replayed: bool = False) -> Briefing:
    """The ``Briefing`` of a checked result (a single language, both, or no event), from a
    cleaned copy of its text; ``replayed`` for answers replayed from hand-written records."""
    if result.meta is None or result.error is not None:
        raise ConfigError("a failed result has no briefing")
    meta = clean(result.meta)
    result = Result(clean(result.summary), meta, clean_article(result.article))
    if isinstance(result.summary, dict):
        by_lang: list[tuple[str, Summary | None]] = list(result.summary.items())
    else:
        lang = meta.lang
        langs = ["en", "ar"] if lang == "both" else [lang]
        by_lang = [(code, result.summary) for code in langs]
    spans = [
        (e.start, e.end)
        for _, s in by_lang
        if s is not None
        for e in _evidences(s)
        if e.start is not None and e.end is not None
    ]
    refs = number_spans(spans)
    sections = [Section(lang, s, meta.schema, refs) for lang, s in by_lang]
    return Briefing(sections, result, refs, replayed)

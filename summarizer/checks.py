"""What validation guarantees (SPEC.md), run on one summary against its article.

Each check adds problems or warnings (kept in ``meta.warnings``). A problem is a ``Problem``:
the path of the failing field, why it failed (what ``meta.dropped`` says of a partial result)
and the line sent back to the model in a re-ask, naming it. Grounding also fills each evidence's
``start``/``end``/``match``: offsets come from the library, never from the model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydantic import BaseModel

from .dates import check_date, written_date
from .fields import text_slots, walk
from .grounding import ArticleIndex
from .schemas import CooperationSummary, Evidence, Language, MeetingSummary
from .script import in_script

_ADVICE = {
    "en": "has Arabic letters: write it in English (transliterate names)",
    "ar": "is not in Arabic: write it in Arabic",
}


@dataclass(frozen=True)
class CheckContext:
    """The article and settings a summary is checked against (Pydantic validation context)."""

    index: ArticleIndex
    output_language: Language
    published: dt.date | None = None


@dataclass(frozen=True)
class Problem:
    """One failed check: ``path`` of the failing field (``topics[1].evidence.quote``,
    ``date``), ``reason`` (why, after the field's name) and ``message`` (the re-ask's line)."""

    path: str
    reason: str
    message: str


@dataclass
class Findings:
    failures: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        """The re-ask's lines, one per failing item."""
        return [failure.message for failure in self.failures]


def check_summary(summary: MeetingSummary | CooperationSummary, ctx: CheckContext) -> Findings:
    findings = Findings()
    _ground_evidence(summary, ctx.index, findings)
    if isinstance(summary, MeetingSummary):
        _check_names(summary, ctx.index, findings)
        _check_date(summary, ctx, findings)
    _check_script(summary, ctx.output_language, findings)
    return findings


def _ground_evidence(summary: BaseModel, index: ArticleIndex, findings: Findings) -> None:
    for slot in walk(summary):
        value = slot.get()
        if isinstance(value, Evidence):
            _ground(value, slot.path, index, findings)


def _ground(evidence: Evidence, path: str, index: ArticleIndex, findings: Findings) -> None:
    """Fill ``start``/``end``/``match`` from the article, or add why it cannot be done.

    A cited segment that exists always grounds the item: a quote found inside it is the
    span; a quote found elsewhere moves the citation there (the quote is what the article
    says); a quote found nowhere (a small model "quoting" in translation) gives way to the
    segment's own text. A segment that does not exist, or no segment and a quote that is
    not in the article, fails.
    """
    evidence.start = evidence.end = evidence.match = None
    quote = evidence.quote.strip()
    number = evidence.segment
    if number is None:
        span = index.locate(quote) if quote else None
        if span is None:
            reason = f'"{_clip(quote)}" is not in the article' if quote else "cites nothing"
            where = f"{path}.quote" if quote else path
            findings.failures.append(
                Problem(where, reason, f"{where} {reason}: cite the segment that states it")
            )
            return
        evidence.start, evidence.end, evidence.match = span.start, span.end, span.match
        return
    cited = index.segment(number)
    if cited is None:
        reason = (
            f"cites segment {number}, which does not exist (the article has {len(index.segments)})"
        )
        findings.failures.append(
            Problem(
                f"{path}.segment",
                reason,
                f"{path}.segment {reason}: cite the segment that states it",
            )
        )
        return
    span = index.locate_within(quote, cited.start, cited.end) if quote else None
    if span is None and quote:
        elsewhere = index.locate(quote)
        if elsewhere is not None:
            moved = index.segment_at(elsewhere.start)
            findings.warnings.append(
                f"{path}: the quote stands in segment {moved}, not {number}; cited {moved}"
            )
            evidence.segment, span = moved, elsewhere
        else:
            findings.warnings.append(
                f"{path}: the quote is not in the article; segment {number} stands as evidence"
            )
    if span is None:
        evidence.quote = cited.text
        evidence.start, evidence.end, evidence.match = cited.start, cited.end, "segment"
        return
    evidence.start, evidence.end, evidence.match = span.start, span.end, span.match


# A name has no digits and is a few words long: a dateline ("Riyadh, 24 October (SPA)") or a
# byline is not a participant's name.
_MAX_NAME_WORDS = 8


def _check_names(summary: MeetingSummary, index: ArticleIndex, findings: Findings) -> None:
    """Each ``name_source`` is a name standing inside its participant's evidence (the
    segments its span covers); not checked when that evidence itself failed."""
    for i, person in enumerate(summary.participants):
        name, evidence = person.name_source, person.evidence
        if name is None or evidence.start is None or evidence.end is None:
            continue
        path = f"participants[{i}].name_source"
        if any(ch.isdigit() for ch in name) or len(name.split()) > _MAX_NAME_WORDS:
            reason = f'"{_clip(name)}" is not a name'
            findings.failures.append(
                Problem(
                    path, reason, f"{path} {reason}: give the person's name as written, or null"
                )
            )
            continue
        start, end = index.segments_over(evidence.start, evidence.end)
        if index.locate_within(name, start, end) is not None:
            continue
        where = "in the article" if index.locate(name) is None else "in this participant's evidence"
        reason = f'"{_clip(name)}" is not {where}'
        findings.failures.append(
            Problem(
                path,
                reason,
                f"{path} {reason}: give the name exactly as the cited segment writes it, or null",
            )
        )


def _check_date(summary: MeetingSummary, ctx: CheckContext, findings: Findings) -> None:
    """``date_text`` must be in the article; only then is ``date`` checked against it (a
    reason is never derived from a field that itself failed)."""
    text = summary.date_text
    written = text is not None and text.strip() and ctx.index.locate(text) is not None
    if summary.date is not None and not written:
        # The date may still be the article's: its own words for that day then stand as
        # date_text (a small model writes the day in the output language, or leaves it out).
        found = written_date(ctx.index.text, summary.date, ctx.published)
        if found is not None:
            own = ctx.index.text[found[0] : found[1]]
            instead = f' in place of "{_clip(text)}"' if text and text.strip() else ""
            findings.warnings.append(
                f'date_text: the article\'s own "{_clip(own)}" for {summary.date}{instead}'
            )
            text = summary.date_text = own
    if text is not None and text.strip() and ctx.index.locate(text) is None:
        reason = f'"{_clip(text)}" is not in the article'
        findings.failures.append(
            Problem(
                "date_text",
                reason,
                f"date_text {reason}: give the date exactly as the article writes it, or null",
            )
        )
        return
    dates = check_date(summary.date, text, ctx.published)
    # Every date problem is one of the pair; the date, not its text, is what may be wrong.
    findings.failures.extend(Problem("date", line, line) for line in dates.problems)
    findings.warnings.extend(dates.warnings)


def _check_script(summary: BaseModel, language: Language, findings: Findings) -> None:
    for slot in text_slots(summary):
        text = slot.get()
        if in_script(text, language):
            continue
        reason = f'"{_clip(text)}" {_ADVICE[language]}'
        findings.failures.append(Problem(slot.path, reason, f"{slot.path} {reason}"))


def _clip(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

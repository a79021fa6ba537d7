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

from .dates import check_date
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
        _ground_source_strings(summary, ctx.index, findings)
        dates = check_date(summary.date, summary.date_text, ctx.published)
        # Every date problem is one of the pair; the date, not its text, is what may be wrong.
        findings.failures.extend(Problem("date", line, line) for line in dates.problems)
        findings.warnings.extend(dates.warnings)
    _check_script(summary, ctx.output_language, findings)
    return findings


def _ground_evidence(summary: BaseModel, index: ArticleIndex, findings: Findings) -> None:
    for slot in walk(summary):
        path, value = slot.path, slot.get()
        if not isinstance(value, Evidence):
            continue
        span = index.locate(value.quote)
        if span is None:
            value.start = value.end = value.match = None
            reason = f'"{_clip(value.quote)}" is not in the article'
            findings.failures.append(
                Problem(
                    f"{path}.quote",
                    reason,
                    f"{path}.quote {reason}: copy the supporting words exactly as the article "
                    "writes them",
                )
            )
            continue
        value.start, value.end, value.match = span.start, span.end, span.match


def _ground_source_strings(
    summary: MeetingSummary, index: ArticleIndex, findings: Findings
) -> None:
    items: list[tuple[str, str | None]] = [("date_text", summary.date_text)]
    items += [
        (f"participants[{i}].name_source", p.name_source)
        for i, p in enumerate(summary.participants)
    ]
    for path, text in items:
        if text is not None and index.locate(text) is None:
            reason = f'"{_clip(text)}" is not in the article'
            findings.failures.append(
                Problem(
                    path,
                    reason,
                    f"{path} {reason}: give it exactly as the article writes it, or null",
                )
            )


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

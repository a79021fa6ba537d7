"""What validation guarantees (SPEC.md), run on one summary against its article.

Each check adds problems (sent back to the model in a re-ask, one line per failing item,
naming it) or warnings (kept in ``meta.warnings``). Grounding also fills each evidence's
``start``/``end``/``match``: offsets come from the library, never from the model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from .dates import check_date
from .grounding import ArticleIndex
from .schemas import CooperationSummary, Evidence, Language, MeetingSummary
from .script import arabic_share, has_arabic_letters, letter_count

# Fields that stay in the article's language; every other text field is in the output one.
SOURCE_LANGUAGE_FIELDS = frozenset({"quote", "name_source", "date_text"})
# A field this short ("NATO", "ICI") says little about the script a summary is written in.
MIN_LETTERS_FOR_SCRIPT_CHECK = 8
MIN_ARABIC_SHARE = 0.5


@dataclass(frozen=True)
class CheckContext:
    """The article and settings a summary is checked against (Pydantic validation context)."""

    index: ArticleIndex
    output_language: Language
    published: dt.date | None = None


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_summary(summary: MeetingSummary | CooperationSummary, ctx: CheckContext) -> Findings:
    findings = Findings()
    _ground_evidence(summary, ctx.index, findings)
    if isinstance(summary, MeetingSummary):
        _ground_source_strings(summary, ctx.index, findings)
        dates = check_date(summary.date, summary.date_text, ctx.published)
        findings.problems.extend(dates.problems)
        findings.warnings.extend(dates.warnings)
    _check_script(summary, ctx.output_language, findings)
    return findings


def _walk(node: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Yield (path, value) for every value under a model, depth first, lists included.

    Values of enumerated fields (role, kind, category, ...) are skipped: they are codes,
    not text in any language.
    """
    if isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            if _is_code(info.annotation):
                continue
            child = getattr(node, name)
            child_path = f"{path}.{name}" if path else name
            yield child_path, child
            yield from _walk(child, child_path)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield f"{path}[{i}]", item
            yield from _walk(item, f"{path}[{i}]")


def _is_code(annotation: Any) -> bool:
    """True for a Literal field, optional or not."""
    if get_origin(annotation) is Literal:
        return True
    return any(get_origin(arg) is Literal for arg in get_args(annotation))


def _ground_evidence(summary: BaseModel, index: ArticleIndex, findings: Findings) -> None:
    for path, value in _walk(summary, ""):
        if not isinstance(value, Evidence):
            continue
        span = index.locate(value.quote)
        if span is None:
            value.start = value.end = value.match = None
            findings.problems.append(
                f'{path}.quote "{_clip(value.quote)}" is not in the article: copy the '
                "supporting words exactly as the article writes them"
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
            findings.problems.append(
                f'{path} "{_clip(text)}" is not in the article: give it exactly as the '
                "article writes it, or null"
            )


def _check_script(summary: BaseModel, language: Language, findings: Findings) -> None:
    for path, value in _walk(summary, ""):
        if not isinstance(value, str) or path.rsplit(".", 1)[-1] in SOURCE_LANGUAGE_FIELDS:
            continue
        if language == "en" and has_arabic_letters(value):
            findings.problems.append(
                f'{path} "{_clip(value)}" has Arabic letters: write it in English '
                "(transliterate names)"
            )
        elif (
            language == "ar"
            and letter_count(value) >= MIN_LETTERS_FOR_SCRIPT_CHECK
            and arabic_share(value) < MIN_ARABIC_SHARE
        ):
            findings.problems.append(
                f'{path} "{_clip(value)}" is not in Arabic: write it in Arabic'
            )


def _clip(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

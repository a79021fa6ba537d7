"""The model calls behind one summary, in order.

1. Extraction in the asked language (the article's own for ``lang="both"``): one call, or for
   a long article one call per part, merged, then one call for the headline and summary.
2. For ``lang="both"``, one localisation call into the other language.
Every call goes through ``llm.extract`` (transport retries, re-asks, the shared ledger).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any, ClassVar

import openai
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from .answer import ANSWERS, CONTEXT_KEY, ValidationContext, validation_context
from .canonical import annotate
from .checks import CheckContext
from .chunking import Part, merge_cooperations, merge_meetings, shift_offsets, split
from .config import Settings
from .errors import AnswerCutOff, InvalidAnswer
from .fields import CANONICAL_ID_FIELDS, without_keys
from .grounding import ArticleIndex
from .llm.extract import Ledger, extract
from .localize import Translation, apply_translation, localization_request
from .partial import salvage
from .prepare import PreparedArticle
from .prompts import LANGUAGE_NAMES, ArticleInput, render_messages, render_template
from .schemas import CooperationSummary, MeetingSummary
from .script import in_script

Summary = MeetingSummary | CooperationSummary
# Parts of one long article summarised at the same time.
PART_CONCURRENCY = 4
LEAD_CHARS = 300


@dataclass(frozen=True)
class Job:
    client: openai.AsyncOpenAI
    settings: Settings
    article: PreparedArticle
    schema: str
    lang: str
    ledger: Ledger


@dataclass
class Outcome:
    summary: Summary | dict[str, Summary] | None
    no_event: str | None
    warnings: list[str]
    parts: int
    # Partial results: what was left out of the last answers, ``{"path", "reason"}`` each.
    dropped: list[dict[str, str]] = field(default_factory=list)
    complete: bool = True


@dataclass(frozen=True)
class _PartAnswer:
    summary: Any  # the schema's summary type (merge_meetings or merge_cooperations takes it)
    no_event: str | None
    warnings: list[str]
    dropped: list[dict[str, str]] | None = None  # None: complete


@dataclass(frozen=True)
class PartRequest:
    """The first request for one part of an article (the whole article when it is short)."""

    part: Part
    messages: list[dict[str, str]]
    context: ValidationContext


def extraction_language(article: PreparedArticle, lang: str) -> str:
    """The language of the first extraction: the article's own for ``lang="both"``."""
    return article.source_language if lang == "both" else lang


def part_requests(
    settings: Settings, article: PreparedArticle, schema: str, lang: str
) -> list[PartRequest]:
    """One extraction request per part: messages and the checks' context, in article order."""
    parts = split(article.text, settings.resolved_max_input_tokens)
    lead = article.text[:LEAD_CHARS].strip() if len(parts) > 1 else None
    requests = []
    for index, part in enumerate(parts):
        label = f"{index + 1} of {len(parts)}" if len(parts) > 1 else None
        text = ArticleInput(
            part.text,
            article.source_language,
            article.published,
            article.outlet,
            article.title,
            label,
            lead,
        )
        messages = render_messages(schema, lang, text)
        context = CheckContext(ArticleIndex(part.text), lang, article.published)  # type: ignore[arg-type]
        requests.append(PartRequest(part, messages, validation_context(context)))
    return requests


async def run(job: Job) -> Outcome:
    first = extraction_language(job.article, job.lang)
    outcome = await _extract_checked(job, first)
    summary = outcome.summary
    if isinstance(summary, MeetingSummary | CooperationSummary):
        annotate(summary)  # before translating: both languages carry the same ids
    if summary is None or job.lang != "both":
        return outcome
    assert isinstance(summary, MeetingSummary | CooperationSummary)
    other = "ar" if first == "en" else "en"
    messages, context = localization_request(summary, other)
    translation = await extract(
        job.client, job.settings, Translation, messages, context, job.ledger
    )
    both = {first: summary, other: apply_translation(summary, translation, other)}
    outcome.summary = {"en": both["en"], "ar": both["ar"]}
    return outcome


async def _extract_checked(job: Job, lang: str) -> Outcome:
    requests = part_requests(job.settings, job.article, job.schema, lang)
    gate = asyncio.Semaphore(PART_CONCURRENCY)

    async def one(request: PartRequest) -> _PartAnswer:
        async with gate:
            return await _extract_part(job, request)

    answers = await asyncio.gather(*(one(request) for request in requests))
    parts = [request.part for request in requests]
    warnings = [w for answer in answers for w in answer.warnings]
    dropped = _dropped(parts, answers)
    complete = all(answer.dropped is None for answer in answers)
    found = [(part, a.summary) for part, a in zip(parts, answers, strict=True) if a.summary]
    if not found:
        return Outcome(None, answers[0].no_event, warnings, len(parts))
    for part, summary in found:
        shift_offsets(summary, part.start)
        summary.output_language = lang
        summary.source_language = job.article.source_language
    summaries = [summary for _, summary in found]
    if len(parts) == 1:
        if not complete:  # what the dropped items said is gone from the prose too
            await _write_synopsis(job, summaries[0], lang, long_article=False, left_out=True)
        return Outcome(summaries[0], None, warnings, 1, dropped, complete)
    merged: Summary = (
        merge_meetings(summaries) if job.schema == "meeting" else merge_cooperations(summaries)
    )
    await _write_synopsis(job, merged, lang, long_article=True, left_out=not complete)
    return Outcome(merged, None, warnings, len(parts), dropped, complete)


async def _extract_part(job: Job, request: PartRequest) -> _PartAnswer:
    """One part's checked answer; with ``partial``, what passes of an answer that did not."""
    try:
        answer = await extract(
            job.client,
            job.settings,
            ANSWERS[job.schema],
            request.messages,
            request.context,
            job.ledger,
        )
    except InvalidAnswer as exc:
        ctx = request.context[CONTEXT_KEY]
        cut_off = isinstance(exc, AnswerCutOff)
        kept = salvage(job.schema, exc.last_answer, ctx, cut_off) if job.settings.partial else None
        if kept is None:
            raise  # not salvageable: the typed error stands, unchanged
        return _PartAnswer(kept.summary, None, kept.warnings, kept.dropped)
    return _PartAnswer(answer.summary, answer.no_event, answer.warnings)


def _dropped(parts: list[Part], answers: list[_PartAnswer]) -> list[dict[str, str]]:
    """Every part's dropped items; a long article's say which part (from 1) they were in,
    since each part's answer numbers its items on its own."""
    if len(parts) == 1:
        return list(answers[0].dropped or [])
    return [
        {**item, "part": str(number)}
        for number, answer in enumerate(answers, 1)
        for item in answer.dropped or []
    ]


class Synopsis(BaseModel):
    """The briefing's headline and summary, from checked facts."""

    model_config = ConfigDict(hide_input_in_errors=True)
    OUTPUT_TOKENS: ClassVar[int] = 512
    headline: str = Field(description="One line.")
    summary: str = Field(description="Two to four sentences.")

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> Synopsis:
        language = info.context.get(CONTEXT_KEY) if info.context is not None else None
        wrong = [
            name
            for name in ("headline", "summary")
            if language and not in_script(getattr(self, name), language)
        ]
        if wrong:
            raise PydanticCustomError(
                "synopsis_check",
                "{reasons}",
                {
                    "reasons": "\n".join(
                        f"- {n} is not in {LANGUAGE_NAMES[str(language)]}" for n in wrong
                    )
                },
            )
        return self


async def _write_synopsis(
    job: Job, merged: Summary, lang: str, *, long_article: bool, left_out: bool
) -> None:
    """One call that writes the summary's headline and summary from its checked facts: a
    long article's merged parts, or what a partial result kept (``left_out``)."""
    system = render_template(
        "synopsis.j2",
        schema=job.schema,
        output_language=lang,
        output_language_name=LANGUAGE_NAMES[lang],
        long_article=long_article,
        left_out=left_out,
    )
    # The ids are the library's, set after this call: the model writes from the facts alone.
    facts = without_keys(
        merged.model_dump(mode="json", exclude={"headline", "summary"}), CANONICAL_ID_FIELDS
    )
    messages = [
        {"role": "system", "content": system},
        {"role": "user", "content": json.dumps(facts, ensure_ascii=False, indent=1)},
    ]
    synopsis = await extract(
        job.client,
        job.settings,
        Synopsis,
        messages,
        ValidationContext({CONTEXT_KEY: lang}),
        job.ledger,
    )
    merged.headline, merged.summary = synopsis.headline, synopsis.summary

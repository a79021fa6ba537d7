"""Requests and answers in OpenAI's Batch API format (``--via openai-batch``).

A request line's body is exactly what the API would send first for that article: instructor's
own request builder makes it (``handle_response_model``), so messages, tools and tool_choice
match a live call. An output line's answer is validated with the library's own validators
(grounding, dates, script) against the same article, as a live answer would be.

``prepare`` repeats what ``Summarizer.asummarize`` derives from an input before its first
request (HTML page, article checks, metadata, messages); the API has no public hook for it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any, Final

from instructor.processing.response import handle_response_model

from ..answer import ANSWERS, validation_context
from ..api import parse_published
from ..checks import CheckContext
from ..config import Settings
from ..document import check_article, extract_page
from ..errors import ConfigError, InvalidAnswer
from ..grounding import ArticleIndex
from ..llm.extract import INSTRUCTOR_MODES, reasons_of
from ..prompts import ArticleInput, prompt_version, render_messages
from ..result import ArticleMeta, Meta, Result
from ..script import detect_language
from .inputs import Item

ENDPOINT: Final = "/v1/chat/completions"


@dataclasses.dataclass
class Prepared:
    article: str
    meta: Meta
    messages: list[dict[str, str]]
    context: CheckContext


def prepare(settings: Settings, schema: str, lang: str, item: Item) -> Prepared:
    """What ``asummarize`` derives from an input before its first request, the same way."""
    text, title = item.text or "", item.title
    published = parse_published(item.published)
    if item.input_format == "html":
        page = extract_page(text, item.source)
        text, title = page.text, title or page.title
        published = published or parse_published(page.published)
    article = check_article(text, settings.max_input_chars, item.source)
    source_language = detect_language(article)
    meta = Meta(
        model=settings.model,
        schema=schema,
        lang=lang,
        mode=settings.mode,
        prompt_version=prompt_version(),
        article=ArticleMeta(
            chars=len(article),
            sha256=hashlib.sha256(article.encode()).hexdigest(),
            source_language=source_language,
            published=published.isoformat() if published else None,
            outlet=item.outlet,
            url=item.url,
            title=title,
            input_format=item.input_format,
        ),
    )
    messages = render_messages(
        schema, lang, ArticleInput(article, source_language, published, item.outlet, title)
    )
    context = CheckContext(ArticleIndex(article), lang, published)  # type: ignore[arg-type]
    return Prepared(article, meta, messages, context)


def request_body(settings: Settings, schema: str, prepared: Prepared) -> dict[str, Any]:
    """The chat completion body the API would send first for this article."""
    sampling: dict[str, Any] = {"model": settings.model, "temperature": settings.temperature}
    if settings.seed is not None:
        sampling["seed"] = settings.seed
    _, body = handle_response_model(
        ANSWERS[schema],
        mode=INSTRUCTOR_MODES[settings.mode],
        messages=[dict(m) for m in prepared.messages],
        **sampling,
    )
    return body


def check_answer(settings: Settings, schema: str, lang: str, item: Item, entry: Any) -> Result:
    """A Batch API output line validated like a live answer; raises ``SummarizerError``."""
    response = entry.get("response") or {}
    if entry.get("error") or response.get("status_code") != 200:
        detail = entry.get("error") or (response.get("body") or {}).get("error")
        raise InvalidAnswer(f"the batch request failed: {detail}", reasons=[str(detail)])
    body = response.get("body") or {}
    prepared = prepare(settings, schema, lang, item)
    meta = prepared.meta
    meta.attempts = meta.calls = 1
    meta.usage = usage_of(entry)
    try:
        answer = ANSWERS[schema].model_validate_json(
            _answer_text(body), context=validation_context(prepared.context)
        )
    except ValueError as exc:  # pydantic's ValidationError and json's JSONDecodeError
        reasons = reasons_of(exc)
        message = "batch answer invalid: " + "; ".join(reasons)[:300]
        raise InvalidAnswer(message, reasons=reasons) from exc
    summary = answer.summary
    if summary is not None:
        summary.output_language = lang
        summary.source_language = meta.article.source_language
    meta.warnings = list(answer.warnings)
    meta.no_event = answer.no_event
    return Result(summary=summary, meta=meta, article=prepared.article)


def usage_of(entry: Any) -> dict[str, int]:
    usage = ((entry.get("response") or {}).get("body") or {}).get("usage") or {}
    keys = ("prompt_tokens", "completion_tokens", "total_tokens")
    return {key: int(usage.get(key) or 0) for key in keys}


def _answer_text(body: dict[str, Any]) -> str:
    message = body["choices"][0]["message"]
    calls = message.get("tool_calls") or []
    text = calls[0]["function"]["arguments"] if calls else message.get("content")
    if not isinstance(text, str):
        raise ValueError("the batch answer has neither tool call arguments nor content")
    return text


def check_supported(settings: Settings, lang: str) -> None:
    if settings.mode not in ("tools", "json_schema"):
        raise ConfigError("--via openai-batch needs --mode tools or json_schema")
    if lang == "both":
        raise ConfigError("--via openai-batch takes --lang en or ar (both needs a second call)")

"""One model call per event and language: the digest's paragraph, written from the event's
merged facts and checked against them (``check.py``), like the synopsis of a long article.

The model sees the facts alone (no article, no ids): date, place, parties, people, topics,
outcomes and the conflicts between reports, in plain words. An answer that names anything
outside them is re-asked with the reasons; one still wrong after the re-asks leaves the
event without a paragraph, and says why, instead of printing unchecked prose. Answers are
kept in the response cache under everything that can change them (``cache.answer_key`` and
the messages), so a digest rendered again in another format asks nothing new.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx2
import openai
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from ..answer import CONTEXT_KEY, ValidationContext
from ..cache import ResponseCache, answer_key
from ..canonical import display_name
from ..config import Settings
from ..errors import ModelError
from ..llm.client import make_client
from ..llm.extract import Ledger, extract
from ..prompts import LANGUAGE_NAMES, render_template
from ..usage import Usage
from .check import Allowed, outside_facts
from .content import Paragraph, describe, meeting_type, outlets_of

# Events whose paragraphs are asked for at the same time.
CONCURRENCY = 4


@dataclass(frozen=True)
class _Facts:
    """What the paragraph is checked against, and its language."""

    allowed: Allowed
    lang: str


class EventParagraph(BaseModel):
    """A digest paragraph on one event, from its merged facts alone."""

    model_config = ConfigDict(hide_input_in_errors=True)
    OUTPUT_TOKENS: ClassVar[int] = 400
    # 800, as a summary's longest field: llama-cpp-python's server dies on the grammar of a
    # length bound between 1000 and 1100 (measured with Qwen2.5-Coder-1.5B, 0.3.36).
    paragraph: str = Field(
        max_length=800,
        description="Two to four sentences: who met whom, when, where, what was discussed and"
        " agreed; where reports differ, say so.",
    )

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> EventParagraph:
        facts = info.context.get(CONTEXT_KEY) if info.context is not None else None
        if isinstance(facts, _Facts):
            problems = outside_facts(self.paragraph, facts.allowed, facts.lang)
            if problems:
                reasons = "\n- ".join(problems)  # the re-ask puts "- " before the first
                raise PydanticCustomError("paragraph_check", "{reasons}", {"reasons": reasons})
        return self


@dataclass
class Written:
    """What writing a digest's paragraphs did."""

    paragraphs: dict[tuple[str, str], Paragraph] = field(default_factory=dict)
    asked: int = 0  # paragraphs asked of the model (not from the cache)
    cached: int = 0
    failed: int = 0
    usage: Usage = field(default_factory=Usage)


def prompt_facts(event: dict[str, Any], summaries: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The facts the model writes from: what the event holds, without ids or evidence."""
    location = event.get("location") or {}
    outlets = outlets_of(event)
    facts = {
        "date": event.get("date"),
        "type": meeting_type(event, summaries),
        "place": ", ".join(x for x in (location.get("city"), location.get("country")) if x),
        "parties": [p["names"][0] for p in event["parties"]],
        "participants": [
            {
                "name": p["name"],
                "other_spellings": [
                    n for n in [*p["names"], *p.get("names_source", [])] if n != p["name"]
                ],
                "title": max(p["titles"], key=lambda t: len(t["reports"]))["value"]
                if p["titles"]
                else None,
                "country": display_name(p["country_code"], "en") if p.get("country_code") else None,
                "role": p.get("role"),
            }
            for p in event["participants"]
        ],  # fmt: skip
        "topics": [title for t in event["topics"] for title in t["titles"]],
        "outcomes": [o["description"] for o in event["outcomes"]],
        "reports": len(event["reports"]),
        "conflicts": [describe(c, outlets, "en") for c in event["conflicts"]],
    }
    return {k: v for k, v in facts.items() if v not in (None, "", [])}


def allowed_of(event: dict[str, Any], summaries: dict[str, dict[str, Any]]) -> Allowed:
    """The days, ids and words of an event's facts (every report's, conflicts included)."""
    days = {
        dt.date.fromisoformat(d)
        for r in event["reports"]
        if (d := summaries.get(r["id"], {}).get("date"))
    }
    ids = {p["id"] for p in event["parties"] if p["id"]}
    ids |= {p["country_code"] for p in event["participants"] if p.get("country_code")}
    texts = [json.dumps(prompt_facts(event, summaries), ensure_ascii=False)]
    people: list[str] = []
    countries = {
        (p["name"].split()[-1], p["country_code"])
        for p in event["participants"]
        if p.get("country_code") and p.get("name")
    }
    for r in event["reports"]:
        summary = summaries.get(r["id"], {})
        location = summary.get("location") or {}
        if location.get("country_code"):
            ids.add(location["country_code"])
        texts += [
            location.get("city") or "",
            location.get("country") or "",
            *summary.get("parties", []),
        ]
        for p in summary.get("participants", []):
            people += [n for n in (p.get("name"), p.get("name_source")) if n]
            texts += [t for t in (p.get("title"), p.get("country")) if t]
    return Allowed.of(days, ids, texts, people, countries)


def messages_for(
    event: dict[str, Any], summaries: dict[str, dict[str, Any]], lang: str
) -> list[dict[str, str]]:
    system = render_template(
        "digest.j2", output_language=lang, output_language_name=LANGUAGE_NAMES[lang]
    )
    facts = json.dumps(prompt_facts(event, summaries), ensure_ascii=False, indent=1)
    return [{"role": "system", "content": system}, {"role": "user", "content": facts}]


async def write_paragraphs(
    events: list[dict[str, Any]],
    summaries: dict[str, dict[str, Any]],
    langs: list[str],
    settings: Settings,
    http_client: httpx2.AsyncClient | None = None,
) -> Written:
    """Every event's paragraph in every language of ``langs``; one that fails says why."""
    written = Written()
    cache = ResponseCache(settings.resolved_cache_dir) if settings.use_cache else None
    client = make_client(settings, http_client)
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(event: dict[str, Any], lang: str) -> None:
        async with gate:
            written.paragraphs[(event["id"], lang)] = await _paragraph(
                client, settings, cache, event, summaries, lang, written
            )

    try:
        await asyncio.gather(*(one(e, lang) for e in events for lang in langs))
    finally:
        if http_client is None:
            await client.close()
        if cache is not None:
            cache.close()
    return written


async def _paragraph(
    client: openai.AsyncOpenAI,
    settings: Settings,
    cache: ResponseCache | None,
    event: dict[str, Any],
    summaries: dict[str, dict[str, Any]],
    lang: str,
    written: Written,
) -> Paragraph:
    messages = messages_for(event, summaries, lang)
    key = hashlib.sha256(
        (answer_key(settings, "digest", lang) + json.dumps(messages, ensure_ascii=False)).encode()
    ).hexdigest()
    allowed = allowed_of(event, summaries)
    kept = cache.get(key) if cache is not None else None
    # A kept paragraph is checked again: the check may have grown stricter since.
    if kept is not None and not outside_facts(kept["paragraph"], allowed, lang):
        written.cached += 1
        return Paragraph(kept["paragraph"])
    ledger = Ledger()
    context = ValidationContext({CONTEXT_KEY: _Facts(allowed, lang)})
    written.asked += 1
    try:
        answer = await extract(client, settings, EventParagraph, messages, context, ledger)
    except ModelError as exc:
        written.failed += 1
        return Paragraph(None, str(exc))
    finally:
        written.usage.add(ledger.usage)
    if cache is not None:
        cache.put(key, {"paragraph": answer.paragraph})
    return Paragraph(answer.paragraph)

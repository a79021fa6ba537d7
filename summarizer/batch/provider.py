"""Batch request lines and batch answers, in OpenAI's Batch API format.

Used by ``--via openai-batch`` (uploaded to the provider) and ``--via batch-file`` (written for
a self-hosted engine such as ``vllm run-batch``). Nothing here re-implements the live path:
- a request line is built by the live path's own steps: ``prepare.prepare`` (article, checks,
  metadata), ``pipeline.part_requests`` (messages, check context) and ``llm.request.first_body``
  (the exact body a live call sends first, ``max_tokens`` included);
- a batch answer is validated by the live path itself: ``answer_for`` wraps it as a
  ``prefetch.Prefetched`` answer to the request whose body it answers, and the article is then
  summarised as usual (grounding, dates, script, re-asks live when it fails).

A long article (more than one part) gets no line: its parts would need merging and a synopsis
call anyway, so it is summarised live at collect, and a note says so for each such input.
The ``custom_id`` of a line is ``[BATCH/]SEQ-KEY``: the input's sequence number and the key of
the body sent (``request.body_key``), so an answer is only ever used for its own request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from ..answer import ANSWERS
from ..config import Settings
from ..errors import ConfigError
from ..llm.prefetch import Prefetched
from ..llm.request import body_key, first_body
from ..pipeline import extraction_language, part_requests
from ..prepare import prepare
from .inputs import Item

ENDPOINT: Final = "/v1/chat/completions"
LIVE: Final = "live"  # the key part of a custom_id that has no batch line


@dataclass(frozen=True)
class Planned:
    """How one input goes into a batch: its ``custom_id``, and its request line or a note
    saying why it will be summarised live instead."""

    custom_id: str
    line: dict[str, Any] | None
    note: str | None = None


async def plan(
    settings: Settings, schema: str, lang: str, seq: int, item: Item, prefix: str = ""
) -> Planned:
    """The batch line for ``item``; raises ``SummarizerError`` when the input cannot be used."""
    article = prepare(item.text or "", settings, **item.article_options())
    requests = part_requests(settings, article, schema, extraction_language(article, lang))
    if len(requests) > 1:
        note = (
            f"{item.id}: a long article ({len(requests)} parts) is not put in the batch; it is"
            " summarised live when the batch is collected"
        )
        return Planned(f"{prefix}{seq}-{LIVE}", None, note)
    (request,) = requests
    body = first_body(settings, ANSWERS[schema], request.messages)
    custom_id = f"{prefix}{seq}-{body_key(body)}"
    line = {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}
    return Planned(custom_id, line)


def answer_for(entry: dict[str, Any]) -> Prefetched | str:
    """A batch output line as an answer for the live path, or why it holds none."""
    response = entry.get("response")
    response = response if isinstance(response, dict) else {}
    if entry.get("error") or response.get("status_code") != 200:
        body = response.get("body")
        detail = entry.get("error") or (body.get("error") if isinstance(body, dict) else body)
        return f"the batch request failed: {str(detail)[:300]}"
    key = str(entry.get("custom_id")).rsplit("-", 1)[-1]
    body = response.get("body")
    if key == LIVE or not isinstance(body, dict):
        return "no answer in the batch"
    return Prefetched(key, body)


def check_supported(settings: Settings, lang: str, provider: bool = True) -> None:
    if provider and settings.mode not in ("tools", "json_schema"):
        raise ConfigError("--via openai-batch needs --mode tools or json_schema")
    if lang == "both":
        raise ConfigError("batch files take --lang en or ar (both needs a second call)")

"""Run a gold set through the summarizer (live, or on recorded responses) and score each run."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from ..api import Summarizer
from ..config import Settings
from ..demo import DEMO_MODEL
from ..errors import SummarizerError
from ..replay import ReplayTransport
from ..result import Result
from .goldset import GoldCase
from .score import RunScore, score_run

UNGROUNDED = "is not in the article"


@dataclass
class EvalConfig:
    lang: str = "en"
    live: bool = False  # the configured model; otherwise recorded responses
    cassette_dirs: list[Path] = field(default_factory=list)
    settings: Settings | None = None


def run_eval(
    cases: Iterable[GoldCase],
    config: EvalConfig,
    progress: Callable[[RunScore], None] | None = None,
) -> list[RunScore]:
    live = Summarizer(settings=config.settings) if config.live else None
    runs = []
    for case in cases:
        for schema in case.schemas():
            replay = None if live else _replay_client(case, schema, config)
            summarizer = live or (_replaying(replay) if replay else None)
            run = _run_one(summarizer, case, schema, config.lang)
            if replay is not None:
                asyncio.run(replay.aclose())
            runs.append(run)
            if progress:
                progress(run)
    return runs


def _replay_client(case: GoldCase, schema: str, config: EvalConfig) -> httpx2.AsyncClient | None:
    """A client answering from this run's cassette, or None when none was recorded."""
    name = f"{case.id}.{schema}.{config.lang}.yaml"
    for folder in config.cassette_dirs:
        if (folder / name).is_file():
            return httpx2.AsyncClient(transport=ReplayTransport([folder / name]))
    return None


def _replaying(client: httpx2.AsyncClient) -> Summarizer:
    settings = Settings(model=DEMO_MODEL, api_key="replay-no-key", use_cache=False)
    return Summarizer(settings=settings, http_client=client)


def _run_one(summarizer: Summarizer | None, case: GoldCase, schema: str, lang: str) -> RunScore:
    gold_no_event = bool(case.gold.get(schema, {}).get("no_event"))
    run = RunScore(case.id, schema, lang, "not_recorded", case.tags, gold_no_event=gold_no_event)
    if summarizer is None:
        return run
    text = case.article.read_text(encoding="utf-8")
    try:
        result = summarizer.summarize(
            text, schema, lang, input_format=case.input_format, **case.metadata
        )
    except SummarizerError as exc:
        run.status, run.error = "error", str(exc)
        meta = exc.meta
        if meta is not None:
            run.reasks, run.tokens = meta.reasks, meta.usage["total_tokens"]
        run.first_answer_valid = False
        return run
    return _scored(run, result, case, schema, lang)


def _scored(run: RunScore, result: Result, case: GoldCase, schema: str, lang: str) -> RunScore:
    assert result.meta is not None
    summary = result.summary_dict()
    run.status = "ok" if summary is not None else "no_event"
    run.fields, run.leaked_participants, run.forbidden_categories = score_run(
        summary, case.gold, schema, lang
    )
    run.fields["no_event"] = float((summary is None) == run.gold_no_event)
    run.reasks, run.tokens = result.meta.reasks, result.meta.usage["total_tokens"]
    run.first_answer_valid = not result.meta.rejected
    quotes = _count_quotes(summary)
    if result.meta.rejected:
        missed = sum(UNGROUNDED in reason for reason in result.meta.rejected[0])
        run.grounding_first = 1 - missed / max(quotes, missed, 1)
    elif quotes:
        run.grounding_first = 1.0
    return run


def _count_quotes(node: Any) -> int:
    if isinstance(node, dict):
        return int("quote" in node) + sum(_count_quotes(v) for v in node.values())
    if isinstance(node, list):
        return sum(_count_quotes(v) for v in node)
    return 0

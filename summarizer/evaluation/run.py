"""Run a gold set through the summarizer (live, or on recorded responses) and score each run.

Recorded responses replay only for the request bodies they were recorded with: a folder of
cassettes recorded with other settings than the demo's (a local model, its mode, partial
results) says so in a ``settings.json`` beside them, e.g. ``{"model": "qwen", "mode": "json",
"partial": true}``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from ..api import Summarizer
from ..config import Settings
from ..demo import DEMO_MODEL
from ..errors import ConfigError, SummarizerError
from ..replay import ReplayTransport
from ..result import Result
from .goldset import GoldCase
from .score import RunScore, score_run

UNGROUNDED = "is not in the article"
RECORDED_SETTINGS = "settings.json"


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
            summarizer = live or (_replaying(*replay) if replay else None)
            run = _run_one(summarizer, case, schema, config.lang)
            if replay is not None:
                asyncio.run(replay[0].aclose())
            runs.append(run)
            if progress:
                progress(run)
    return runs


def _replay_client(
    case: GoldCase, schema: str, config: EvalConfig
) -> tuple[httpx2.AsyncClient, Path] | None:
    """A client answering from this run's cassette, and its folder; None when none was recorded."""
    name = f"{case.id}.{schema}.{config.lang}.yaml"
    for folder in config.cassette_dirs:
        if (folder / name).is_file():
            return httpx2.AsyncClient(transport=ReplayTransport([folder / name])), folder
    return None


def recorded_settings(folder: Path) -> Settings:
    """The settings a folder's cassettes were recorded with (the demo's unless it says)."""
    named = folder / RECORDED_SETTINGS
    try:
        given = json.loads(named.read_text(encoding="utf-8")) if named.is_file() else {}
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{named}: not a JSON object of settings ({exc})") from exc
    if not isinstance(given, dict):
        raise ConfigError(f"{named}: not a JSON object of settings")
    try:
        return Settings(
            **{"model": DEMO_MODEL, **given, "api_key": "replay-no-key", "use_cache": False}
        )
    except TypeError as exc:  # a name Settings does not have
        raise ConfigError(f"{named}: {exc}") from exc


def _replaying(client: httpx2.AsyncClient, folder: Path) -> Summarizer:
    return Summarizer(settings=recorded_settings(folder), http_client=client)


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
    run.status = result.status
    run.dropped = len(result.meta.dropped)
    run.date_null = summary is not None and summary.get("date") is None
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

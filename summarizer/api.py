"""The Python API: ``Summarizer`` turns one article (or many) into checked summaries."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import queue
import threading
import time
import weakref
from collections.abc import Coroutine, Iterable, Iterator
from typing import Any, TypeVar

import httpx2
import openai

from .answer import validation_context
from .checks import CheckContext
from .config import Settings
from .document import check_article
from .errors import ConfigError, SummarizerError
from .grounding import ArticleIndex
from .llm.client import make_client
from .llm.extract import Ledger, extract
from .prompts import ArticleInput, prompt_version, render_messages
from .result import ArticleMeta, Meta, Result
from .schemas import SCHEMAS
from .script import detect_language

T = TypeVar("T")
LANGS = ("en", "ar", "both")


class Summarizer:
    """Summarise news articles about meetings and cooperation into checked, grounded summaries.

    >>> s = Summarizer(model="gpt-4o-mini")          # doctest: +SKIP
    >>> result = s.summarize(text, schema="meeting", lang="en")  # doctest: +SKIP
    >>> result.summary.participants[0].evidence.start  # doctest: +SKIP
    12

    ``model``, ``base_url`` and ``api_key`` default to ``SUMMARIZER_MODEL``,
    ``OPENAI_BASE_URL`` and ``OPENAI_API_KEY``. Other keywords are ``config.Settings`` fields
    (``mode``, ``reasks``, ``temperature``, ``seed``, ``timeout``, ...). ``http_client`` (an
    ``httpx2.AsyncClient``) replaces the network, for tests, replays and proxies.
    """

    def __init__(
        self,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        http_client: httpx2.AsyncClient | None = None,
        settings: Settings | None = None,
        **options: Any,
    ) -> None:
        given = {"model": model, "base_url": base_url, "api_key": api_key, **options}
        self.settings = (
            settings.with_(**{k: v for k, v in given.items() if v is not None})
            if settings
            else Settings.resolve(**given)
        )
        self._http_client = http_client
        # An SDK client holds a connection pool bound to the event loop that created it.
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, openai.AsyncOpenAI] = (
            weakref.WeakKeyDictionary()
        )

    def summarize(
        self, text: str, schema: str = "meeting", lang: str = "en", **metadata: Any
    ) -> Result:
        """Summarise one article; raises a ``SummarizerError`` subclass on failure."""
        return _run(self.asummarize(text, schema, lang, **metadata))

    async def asummarize(
        self,
        text: str,
        schema: str = "meeting",
        lang: str = "en",
        *,
        published: dt.date | str | None = None,
        outlet: str | None = None,
        url: str | None = None,
        title: str | None = None,
    ) -> Result:
        started = time.perf_counter()
        _check_choice("schema", schema, tuple(SCHEMAS))
        _check_choice("lang", lang, LANGS)
        if lang == "both":
            raise ConfigError("lang 'both' is not available yet: run once with en and once with ar")
        article = check_article(text, self.settings.max_input_chars)
        source_language = detect_language(article)
        published_day = parse_published(published)
        ledger = Ledger()
        meta = Meta(
            model=self.settings.model,
            schema=schema,
            lang=lang,
            mode=self.settings.mode,
            prompt_version=prompt_version(),
            article=ArticleMeta(
                chars=len(article),
                sha256=hashlib.sha256(article.encode()).hexdigest(),
                source_language=source_language,
                published=published_day.isoformat() if published_day else None,
                outlet=outlet,
                url=url,
                title=title,
            ),
        )
        context = CheckContext(ArticleIndex(article), lang, published_day)  # type: ignore[arg-type]
        messages = render_messages(
            schema,
            lang,
            ArticleInput(article, source_language, published_day, outlet, title),
        )
        try:
            answer = await extract(
                self._client(), self.settings, schema, messages, validation_context(context), ledger
            )
        except SummarizerError as exc:
            exc.meta = meta  # a batch still accounts for what a failed article cost
            raise
        finally:
            _account(meta, ledger, started)
        summary = answer.summary
        if summary is not None:
            summary.output_language = lang
            summary.source_language = source_language
        meta.warnings = list(answer.warnings)
        meta.no_event = answer.no_event
        return Result(summary=summary, meta=meta, article=article)

    def summarize_many(
        self, texts: Iterable[str], concurrency: int = 8, **options: Any
    ) -> Iterator[Result]:
        """Summarise many articles concurrently; yields one Result per text, in input order.

        A failed article is a Result with ``error`` set; it never stops the others.
        """
        if concurrency < 1:
            raise ConfigError("concurrency must be at least 1")
        results: queue.Queue[tuple[int, Result] | None] = queue.Queue()

        async def worker(index: int, text: str, gate: asyncio.Semaphore) -> None:
            async with gate:
                try:
                    result = await self.asummarize(text, **options)
                except SummarizerError as exc:
                    result = Result(summary=None, meta=None, article=text, error=exc)
            results.put((index, result))

        async def produce() -> None:
            gate = asyncio.Semaphore(concurrency)
            tasks = set()
            for index, text in enumerate(texts):
                await gate.acquire()  # read the next input only when a slot is free
                gate.release()
                task = asyncio.create_task(worker(index, text, gate))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            await asyncio.gather(*tasks)

        def run() -> None:
            try:
                asyncio.run(produce())
            finally:
                results.put(None)

        thread = threading.Thread(target=run, name="summarize_many", daemon=True)
        thread.start()
        pending: dict[int, Result] = {}
        next_index = 0
        while (item := results.get()) is not None:
            pending[item[0]] = item[1]
            while next_index in pending:
                yield pending.pop(next_index)
                next_index += 1
        thread.join()
        for index in sorted(pending):
            yield pending[index]

    def _client(self) -> openai.AsyncOpenAI:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = make_client(self.settings, self._http_client)
            self._clients[loop] = client
        return client


def parse_published(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(f"published date {value!r} is not a YYYY-MM-DD date") from None


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ConfigError(f"unknown {name} {value!r}: choose one of {', '.join(choices)}")


def _account(meta: Meta, ledger: Ledger, started: float) -> None:
    meta.attempts = ledger.attempts
    meta.calls = ledger.calls
    meta.reasks = ledger.reasks
    meta.usage = ledger.usage.as_dict()
    meta.timings = {
        "total": round(time.perf_counter() - started, 3),
        "model": round(ledger.model_seconds, 3),
    }


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from sync code, also when the caller already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            box.append(asyncio.run(coro))
        except BaseException as exc:  # handed back to the caller's thread below
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return box[0]

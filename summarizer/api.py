"""The Python API: ``Summarizer`` turns one article (or many) into checked summaries."""

from __future__ import annotations

import asyncio
import datetime as dt
import queue
import threading
import time
import weakref
from collections.abc import Coroutine, Iterable, Iterator, Sequence
from types import NoneType
from typing import Any, TypeVar

import httpx2
import openai

from . import pipeline
from .cache import ResponseCache, answer_key
from .config import Settings, require_type
from .errors import ConfigError, SummarizerError
from .llm.client import make_client
from .llm.extract import Ledger
from .pipeline import Job
from .prepare import new_meta, prepare
from .prepare import parse_published as parse_published  # batch.inputs reads dates with it
from .result import Meta, Result, Summary
from .schemas import SCHEMAS

T = TypeVar("T")
LANGS = ("en", "ar", "both")
INPUT_FORMATS = ("text", "html")


class Summarizer:
    """Summarise news articles about meetings and cooperation into checked, grounded summaries.

    >>> s = Summarizer(model="gpt-4o-mini")          # doctest: +SKIP
    >>> result = s.summarize(text, schema="meeting", lang="en")  # doctest: +SKIP
    >>> result.summary.participants[0].evidence.start  # doctest: +SKIP
    12

    ``model``, ``base_url`` and ``api_key`` default to ``SUMMARIZER_MODEL``,
    ``OPENAI_BASE_URL`` and ``OPENAI_API_KEY``. Other keywords are ``config.Settings`` fields
    (``mode``, ``reasks``, ``temperature``, ``seed``, ``timeout``, ``cache_dir`` as a str or a
    path, ...). ``http_client`` (an ``httpx2.AsyncClient``) replaces the network, for tests,
    replays and proxies. A value of the wrong Python type raises ``TypeError``; a value that
    cannot be used (an unknown mode, a base URL that is not an http(s) URL) ``ConfigError``.
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
        require_type("http_client", http_client, httpx2.AsyncClient, NoneType)
        require_type("settings", settings, Settings, NoneType)
        given = {"model": model, "base_url": base_url, "api_key": api_key, **options}
        self.settings = (
            settings.with_(**{k: v for k, v in given.items() if v is not None})
            if settings
            else Settings.resolve(**given)
        )
        self._http_client = http_client
        self._cache = (
            ResponseCache(self.settings.resolved_cache_dir) if self.settings.use_cache else None
        )
        # An SDK client holds a connection pool bound to the event loop that created it.
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, openai.AsyncOpenAI] = (
            weakref.WeakKeyDictionary()
        )

    def summarize(
        self, text: str, schema: str = "meeting", lang: str = "en", **metadata: Any
    ) -> Result:
        """Summarise one article; raises a ``SummarizerError`` subclass on failure.

        ``text`` is the article as a str (decode bytes first); a wrong Python type for it or
        for any argument raises ``TypeError``, an unusable value ``ConfigError``.
        """
        _check_types(text, schema, lang, metadata)
        return run_sync(self._closing(self.asummarize(text, schema, lang, **metadata)))

    async def _closing(self, work: Coroutine[Any, Any, T]) -> T:
        """Run ``work`` on a loop that ends with it, then close the client made for that loop.

        Its connection pool is bound to the loop; left open, it would be closed by the garbage
        collector on a loop that no longer runs. A client the caller injected stays theirs.
        """
        try:
            return await work
        finally:
            client = self._clients.pop(asyncio.get_running_loop(), None)
            if client is not None and self._http_client is None:
                await client.close()

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
        input_format: str = "text",
        source: str = "input",
        input_warnings: Sequence[str] = (),
        partial: bool | None = None,
    ) -> Result:
        """Async form of ``summarize``. ``input_format="html"`` reduces a news page to its
        article first; offsets then refer to that text, which ``Result.article`` holds.
        ``source`` names the input in error messages (a file path, say); ``input_warnings``
        (what reading it noticed, such as bad bytes replaced) come first in ``meta.warnings``.
        ``partial=True`` (default: the ``partial`` setting) returns what passed the checks
        when the re-asks are spent, with ``meta.complete`` false and ``meta.dropped``, where
        ``InvalidAnswer`` would be raised. Wrong Python types raise ``TypeError``."""
        _check_types(text, schema, lang, locals())
        settings = self.settings if partial is None else self.settings.with_(partial=partial)
        started = time.perf_counter()
        _check_choice("schema", schema, tuple(SCHEMAS))
        _check_choice("lang", lang, LANGS)
        _check_choice("input_format", input_format, INPUT_FORMATS)
        article = prepare(
            text,
            settings,
            published=published,
            outlet=outlet,
            url=url,
            title=title,
            input_format=input_format,
            source=source,
        )
        meta = new_meta(settings, schema, lang, article)
        meta.warnings = list(input_warnings)  # kept by a failure's meta too
        key = answer_key(settings, schema, lang, article.meta)
        cached = self._cache.get(key) if self._cache else None
        if cached is not None:
            return _from_cache(cached, meta, article.text, started)
        ledger = Ledger()
        job = Job(self._client(), settings, article, schema, lang, ledger)
        try:
            outcome = await pipeline.run(job)
        except SummarizerError as exc:
            meta.complete = False  # no summary came back: nothing in it was complete
            exc.meta = meta  # a batch still accounts for what a failed article cost
            raise
        finally:
            _account(meta, ledger, started)
        meta.no_event, meta.parts = outcome.no_event, outcome.parts
        meta.complete, meta.dropped = outcome.complete, outcome.dropped
        meta.warnings = [*meta.warnings, *outcome.warnings]
        result = Result(summary=outcome.summary, meta=meta, article=article.text)
        if self._cache:
            self._cache.put(
                key,
                {
                    "summary": result.summary_dict(),
                    "no_event": meta.no_event,
                    "warnings": outcome.warnings,  # not this read's input warnings
                    "parts": meta.parts,  # a hit reports how the answer was made
                    "complete": meta.complete,
                    "dropped": meta.dropped,
                },
            )
        return result

    def summarize_many(
        self, texts: Iterable[str], concurrency: int = 8, **options: Any
    ) -> Iterator[Result]:
        """Summarise many articles concurrently; yields one Result per text, in input order.

        A failed article is a Result with ``error`` set; it never stops the others.
        """
        if concurrency < 1:
            raise ConfigError("concurrency must be at least 1")
        results: queue.Queue[tuple[int, Result] | None] = queue.Queue()
        crashed: list[BaseException] = []

        async def worker(index: int, text: str, gate: asyncio.Semaphore) -> None:
            try:
                result = await self.asummarize(text, **options)
            except SummarizerError as exc:
                result = Result(summary=None, meta=exc.meta, article=text, error=exc)
            except Exception as exc:  # one article's bug must not lose the others
                error = SummarizerError(f"internal error: {type(exc).__name__}: {exc}")
                result = Result(summary=None, meta=None, article=text, error=error)
            finally:
                gate.release()
            results.put((index, result))

        async def produce() -> None:
            gate = asyncio.Semaphore(concurrency)
            tasks = set()
            for index, text in enumerate(texts):
                await gate.acquire()  # the next input is read only when a slot is free
                task = asyncio.create_task(worker(index, text, gate))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            await asyncio.gather(*tasks)

        def run() -> None:
            try:
                asyncio.run(self._closing(produce()))
            except BaseException as exc:  # handed to the caller's thread below
                crashed.append(exc)
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
        if crashed:  # e.g. the input iterable itself raised
            raise crashed[0]
        for index in sorted(pending):
            yield pending[index]

    def _client(self) -> openai.AsyncOpenAI:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = make_client(self.settings, self._http_client)
            self._clients[loop] = client
        return client


_METADATA_TYPES: dict[str, tuple[type, ...]] = {
    "published": (dt.date, str, NoneType),
    "outlet": (str, NoneType),
    "url": (str, NoneType),
    "title": (str, NoneType),
    "input_format": (str,),
    "source": (str,),
    "partial": (bool, NoneType),
}


def _check_types(text: Any, schema: Any, lang: Any, metadata: dict[str, Any]) -> None:
    """``TypeError`` for an argument of the wrong Python type, before anything runs."""
    if isinstance(text, bytes | bytearray):
        raise TypeError("text must be str, not bytes: decode it first (summarizer reads files)")
    for name, value in (("text", text), ("schema", schema), ("lang", lang)):
        require_type(name, value, str)
    for name, types in _METADATA_TYPES.items():
        if name in metadata:
            require_type(name, metadata[name], *types)


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ConfigError(f"unknown {name} {value!r}: choose one of {', '.join(choices)}")


def _from_cache(cached: dict[str, Any], meta: Meta, article: str, started: float) -> Result:
    """A Result from a cached checked answer: no request, no tokens."""
    model = SCHEMAS[meta.schema]
    stored = cached["summary"]
    summary: Summary | dict[str, Summary] | None
    if stored is None:
        summary = None
    elif meta.lang == "both":
        summary = {lang: model.model_validate(value) for lang, value in stored.items()}
    else:
        summary = model.model_validate(stored)
    meta.cached = True
    meta.no_event = cached.get("no_event")
    meta.warnings = [*meta.warnings, *cached.get("warnings", [])]
    meta.parts = int(cached.get("parts", 1))
    meta.complete = bool(cached.get("complete", True))
    meta.dropped = list(cached.get("dropped", []))
    meta.timings = {"total": round(time.perf_counter() - started, 3), "model": 0.0}
    return Result(summary=summary, meta=meta, article=article)


def _account(meta: Meta, ledger: Ledger, started: float) -> None:
    meta.attempts = ledger.attempts
    meta.calls = ledger.calls
    meta.reasks = ledger.reasks
    meta.rejected = ledger.rejected
    meta.sampling = ledger.sampling
    meta.usage = ledger.usage.as_dict()
    meta.timings = {
        "total": round(time.perf_counter() - started, 3),
        "model": round(ledger.model_seconds, 3),
    }


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
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

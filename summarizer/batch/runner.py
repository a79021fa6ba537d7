"""One batch run, wired: state, results file, limiter, client, engine, progress, end table.

``run_batch`` is what ``summarizer batch`` calls and what a script may call too:

>>> stats = run_batch(["articles/"], Job(out=Path("out")), Settings.resolve())  # doctest: +SKIP
>>> stats.done["ok"], stats.failed, stats.not_started                            # doctest: +SKIP
(120, 2, 0)
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx2
from rich.console import Console

from ..api import Summarizer
from ..cache import answer_key
from ..config import Settings
from .engine import Engine
from .inputs import Item, count_items, iter_items
from .job import Job
from .limiter import LimitedClient, Limiter
from .output import ResultsFile
from .pool import Pool, WorkerSpec
from .pricing import Prices, load_prices
from .processor import Processor
from .progress import Reporter, Stats, end_table, make_reporter
from .state import State

CLEAN = "results_clean"  # job key: "1" once results.jsonl matches the state


def config_hash(settings: Settings, job: Job) -> str:
    """Everything that can change an article's answer (``cache.answer_key``); a change reruns
    every article."""
    return answer_key(settings, job.schema, job.lang)[:16]


def run_batch(
    paths: Iterable[str | Path],
    job: Job,
    settings: Settings,
    *,
    prices: Prices | None = None,
    console: Console | None = None,
    transport: httpx2.AsyncBaseTransport | None = None,
) -> Stats:
    """Summarise every input under ``paths`` into ``job.out``; returns the run's counts."""
    paths = list(paths)
    out = job.out
    console = console or Console(stderr=True)
    stats = Stats(total=count_items(paths, exclude=out))
    items = enumerate(iter_items(paths, exclude=out))
    with Session(job, settings, prices or load_prices(), console, stats, transport) as session:
        asyncio.run(session.run(items))
    return stats


class Session:
    """The output directory opened for a run: repairs results.jsonl first, tidies it last.

    With ``job.workers`` above one (and no injected transport, which lives in this process
    only), the worker processes start first, before any connection, thread or event loop.
    """

    def __init__(
        self,
        job: Job,
        settings: Settings,
        prices: Prices,
        console: Console,
        stats: Stats,
        transport: httpx2.AsyncBaseTransport | None = None,
        summarise: bool = True,
    ) -> None:
        self.job, self.settings, self.prices = job, settings, prices
        self.console, self.stats, self.transport = console, stats, transport
        self.reporter: Reporter = make_reporter(console)
        self.config_hash = config_hash(settings, job)
        self._pooled = summarise and job.workers > 1 and transport is None
        self.pool: Pool | None = None

    def __enter__(self) -> Session:
        if self._pooled:
            self.pool = Pool(WorkerSpec(self.job, self.settings, self.prices))
        self.job.out.mkdir(parents=True, exist_ok=True)
        self.state = State(self.job.out)
        self.results = ResultsFile(self.job.out)
        # A run that did not end cleanly may have left the file short of a committed line, a
        # half-written line, or a stale line beside its replacement: rebuild it from the state.
        if self.state.get(CLEAN) != "1" or not self.results.path.exists():
            self.results.rewrite(self.state.lines())
        self.state.put(CLEAN, "0")
        self.reporter.start(self.stats)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.pool is not None:
            self.pool.close()
        self.reporter.stop(self.stats)
        if self.stats.finished:  # lines were appended: put them in input order, drop stale ones
            self.results.rewrite(self.state.lines())
        self.results.close()
        self.state.put(CLEAN, "1")
        self.state.close()
        self.console.print(end_table(self.stats, str(self.job.out)))

    @asynccontextmanager
    async def engine(self) -> AsyncIterator[Engine]:
        """An engine whose requests all pass one limiter, for the length of the block."""
        job = self.job
        note = self.reporter.note
        limiter = Limiter(job.concurrency, job.rpm, job.tpm, lambda message, _: note(message))
        async with LimitedClient(limiter, transport=self.transport) as client:
            summarizer = Summarizer(settings=self.settings, http_client=client)
            yield Engine(
                job,
                Processor(job, summarizer, limiter, self.prices),
                self.state,
                self.results,
                self.reporter,
                self.stats,
                self.config_hash,
            )

    async def drive(self, engine: Engine, items: Iterable[tuple[int, Item]]) -> None:
        """Summarise ``items`` in the worker processes if there are any, else here."""
        if self.pool is not None:
            await self.pool.run(engine, items)
        else:
            await engine.run(items)

    async def run(self, items: Iterable[tuple[int, Item]]) -> Stats:
        async with self.engine() as engine:
            await self.drive(engine, items)
        return self.stats

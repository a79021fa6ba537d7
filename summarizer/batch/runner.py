"""One batch run, wired: state, results file, limiter, client, engine, progress, end table.

``run_batch`` is what ``summarizer batch`` calls and what a script may call too:

>>> stats = run_batch(["articles/"], Job(out=Path("out")), Settings.resolve())  # doctest: +SKIP
>>> stats.done["ok"], stats.failed, stats.not_started                            # doctest: +SKIP
(120, 2, 0)
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx2
from rich.console import Console

from ..api import Summarizer
from ..cache import answer_key
from ..config import Settings
from ..errors import ConfigError
from .engine import Engine
from .inputs import Item, count_items, iter_items
from .job import Job
from .limiter import LimitedClient, Limiter
from .lock import OutLock
from .output import ResultsFile
from .pool import Pool, WorkerSpec
from .pricing import Prices, load_prices
from .processor import Processor
from .progress import Reporter, Stats, end_table, make_reporter
from .state import State

CLEAN = "results_clean"  # job key: "1" once results.jsonl matches the state
FINGERPRINT = "results_fingerprint"  # job key: results.jsonl's size and hash at a clean close


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
    limit = settings.max_input_chars  # what is read of each input, not only what is sent
    stats = Stats()
    items = enumerate(iter_items(paths, exclude=out, max_chars=limit))
    with Session(
        job,
        settings,
        prices or load_prices(),
        console,
        stats,
        transport,
        count_inputs=lambda: count_items(paths, exclude=out, max_chars=limit),
    ) as session:
        asyncio.run(session.run(items))
    return stats


class Session:
    """The output directory opened for a run: locked against a second run, results.jsonl
    repaired first, tidied last.

    With ``job.workers`` above one (and no injected transport, which lives in this process
    only), the worker processes start first, before any connection, thread or event loop.
    An ``--out`` that cannot be used (a file, read-only, a state file that is not a database)
    is a ``ConfigError`` naming it; another run holding it, a ``BatchError``.
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
        *,
        count_inputs: Callable[[], int] | None = None,
    ) -> None:
        self.job, self.settings, self.prices = job, settings, prices
        self.console, self.stats, self.transport = console, stats, transport
        self.reporter: Reporter = make_reporter(console)
        self.config_hash = config_hash(settings, job)
        self._pooled = summarise and job.workers > 1 and transport is None
        self._count_inputs = count_inputs
        self.pool: Pool | None = None
        self.lock: OutLock | None = None

    def __enter__(self) -> Session:
        try:
            self._open()
        except BaseException:  # Ctrl-C or a refusal while opening: leave nothing behind
            self._release()
            raise
        return self

    def _open(self) -> None:
        out = self.job.out
        try:
            out.mkdir(parents=True, exist_ok=True)
            # Taken first: a second run refuses before it reads, starts or spends anything.
            self.lock = OutLock(out)
        except OSError as exc:
            raise ConfigError(_unusable(out, exc)) from None
        if self._pooled:
            spec = WorkerSpec(self.job, self.settings, self.prices)
            self.pool = Pool(spec, close_in_workers=(self.lock.fileno,))
        self.state = State(out)
        self.results = ResultsFile(out)
        try:
            # A run that did not end cleanly may have left the file short of a committed line,
            # a half-written line, or a stale line beside its replacement; a file emptied or
            # edited by hand no longer has the fingerprint of the clean close: rebuild it.
            if (
                self.state.get(CLEAN) != "1"
                or not self.results.path.exists()
                or self.state.get(FINGERPRINT) != self.results.fingerprint()
            ):
                self.results.rewrite(self.state.lines())
        except OSError as exc:
            raise ConfigError(_unusable(out, exc)) from None
        self.state.put(CLEAN, "0")
        if self._count_inputs is not None:
            try:
                self.stats.total = self._count_inputs()
            except Exception:  # unknown total; reading meets the fault again and says it
                self.stats.total = None
        self.reporter.start(self.stats)

    def __exit__(self, *exc_info: object) -> None:
        try:
            if self.pool is not None:
                self.pool.close()
            self.reporter.stop(self.stats)
            if self.stats.finished:  # lines were appended: put them in input order, drop stale
                self.results.rewrite(self.state.lines())
            self.results.close()
            self.state.put(FINGERPRINT, self.results.fingerprint() or "")
            self.state.put(CLEAN, "1")
        finally:
            self._release()
        self.console.print(end_table(self.stats, str(self.job.out)))

    def _release(self) -> None:
        """Stop the workers, close the state, free ``--out``; each only if it was opened."""
        if self.pool is not None:
            self.pool.close()
            self.pool = None
        state: State | None = getattr(self, "state", None)  # set once the file opened
        if state is not None:
            state.close()
        if self.lock is not None:
            self.lock.release()

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


def _unusable(out: Path, error: OSError) -> str:
    if out.exists() and not out.is_dir():
        return f"{out}: not a directory (--out names the folder a batch writes into)"
    where = error.filename or out
    return f"{where}: cannot write the batch there ({error.strerror or error}); give another --out"

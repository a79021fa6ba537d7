"""Worker processes for batches whose validation outruns one core (``--workers``).

Checking an answer (grounding, dates, script) and instructor's own work cost about ten
milliseconds of CPU per article, so one event loop serves some sixty articles a second at
most; a fast server can answer more. Workers summarise; this process stays the only one that
reads inputs and writes state:

- it hands each worker items up to its share of ``--concurrency`` and commits every
  ``Outcome`` that comes back, so the state keeps one writer and a kill of this process loses
  at most what the workers had in flight;
- a worker that meets a 429 tells this process, which tells the others to pause as long;
  ``--rpm``/``--tpm`` are split evenly between the workers;
- a worker exits when its pipe closes (this process died or is done) and ignores Ctrl-C,
  which this process handles for all (blocked from before its fork, so a Ctrl-C during
  start-up cannot hit a worker that has not yet said it ignores it);
- nothing a worker holds is ever dropped: a bug in its handler sends back an error outcome,
  and when a worker process dies the articles it held end as error lines saying so; when no
  worker is left, this process summarises the rest itself.

Hand-written over ``multiprocessing`` pipes: ``concurrent.futures``'
process pool cannot carry the pause messages or stream outcomes back as they finish.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from ..api import Summarizer
from ..config import Settings
from .engine import Engine, failure, internal_error, on_interrupt
from .inputs import Item
from .job import Job
from .limiter import LimitedClient, Limiter
from .pricing import Prices
from .processor import Processor


@dataclass(frozen=True)
class WorkerSpec:
    job: Job
    settings: Settings
    prices: Prices


class _Worker:
    def __init__(self, conn: Connection, process: BaseProcess, share: int) -> None:
        self.conn = conn
        self.process = process
        self.share = share  # articles it may hold at once
        self.held: dict[int, Item] = {}  # seq -> what it is summarising
        self.alive = True


class Pool:
    """Worker processes, started before the event loop, stopped by ``close``."""

    def __init__(self, spec: WorkerSpec, close_in_workers: tuple[int, ...] = ()) -> None:
        """Start ``spec.job.workers`` processes; ``close_in_workers`` are descriptors of this
        process a worker must not keep open (the output directory's lock)."""
        job = spec.job
        count = job.workers
        # Forked before any event loop, thread or HTTP pool exists, a worker starts at once
        # with everything imported; where fork is not offered, spawn re-imports.
        forks = "fork" in multiprocessing.get_all_start_methods()
        context = (
            multiprocessing.get_context("fork") if forks else multiprocessing.get_context("spawn")
        )
        self.workers: list[_Worker] = []
        try:
            with _sigint_blocked():
                for index in range(count):
                    self._start(context, spec, index, count, close_in_workers, forks)
        except BaseException:  # Ctrl-C while starting: stop the ones already started
            self.close()
            raise

    def _start(
        self,
        context: Any,
        spec: WorkerSpec,
        index: int,
        count: int,
        close_in_workers: tuple[int, ...],
        forks: bool,
    ) -> None:
        job = spec.job
        share = max(job.concurrency // count + (index < job.concurrency % count), 1)
        worker_job = replace(
            job,
            concurrency=share,
            rpm=math.ceil(job.rpm / count) if job.rpm else None,
            tpm=math.ceil(job.tpm / count) if job.tpm else None,
        )
        ours, theirs = context.Pipe()
        # A forked worker inherits this side of every pipe so far, its own included; it
        # closes them, or its pipe would never close when this process dies.
        inherited = [*(w.conn for w in self.workers), ours] if forks else []
        process = context.Process(
            target=worker_main,
            args=(
                theirs,
                WorkerSpec(worker_job, spec.settings, spec.prices),
                inherited,
                close_in_workers,
            ),
            name=f"summarizer-batch-{index}",
            daemon=True,
        )
        process.start()
        theirs.close()
        self.workers.append(_Worker(ours, process, share))

    async def run(self, engine: Engine, items: Iterable[tuple[int, Item]]) -> None:
        """Summarise ``items`` in the workers; commit here as they finish."""
        loop = asyncio.get_running_loop()
        inbox: asyncio.Queue[tuple[int, Any]] = asyncio.Queue()
        for index, worker in enumerate(self.workers):
            if worker.alive:
                loop.add_reader(worker.conn.fileno(), _receive, worker.conn, index, inbox)
        try:
            with on_interrupt(lambda: _interrupt(engine, inbox)):
                await _coordinate(engine, iter(items), self.workers, inbox)
        finally:
            for worker in self.workers:
                loop.remove_reader(worker.conn.fileno())

    def close(self) -> None:
        for worker in self.workers:
            worker.conn.close()  # a worker still busy (Ctrl-C) sees its pipe close and exits
        for worker in self.workers:
            worker.process.join(timeout=10)
            if worker.process.is_alive():
                worker.process.terminate()


async def _coordinate(
    engine: Engine,
    items: Iterator[tuple[int, Item]],
    workers: list[_Worker],
    inbox: asyncio.Queue[tuple[int, Any]],
) -> None:
    spare: list[tuple[int, Item]] = []  # picked for a worker that died before taking it

    def fill() -> None:
        for worker in workers:
            while worker.alive and len(worker.held) < worker.share and not engine.stopping:
                picked = spare.pop() if spare else engine.next_to_run(items)
                if picked is None:
                    return
                if _send(worker, ("item", *picked)):
                    worker.held[picked[0]] = picked[1]
                else:
                    spare.append(picked)

    fill()
    while any(w.held for w in workers) and not engine.stats.stopped == "interrupted":
        index, message = await inbox.get()
        if message is None:  # the interrupt's wake-up call
            continue
        worker = workers[index]
        kind, payload = message
        if kind == "gone":
            _gone(engine, index, worker, payload)
            fill()
        elif kind == "outcome":
            worker.held.pop(payload.seq, None)
            engine.record(payload)
            fill()
        elif kind == "pause":
            engine.reporter.note(payload[1])
            for other in workers:
                if other is not worker and other.alive:
                    _send(other, ("pause", payload))
    if engine.stats.stopped == "interrupted":
        # Outcomes that already arrived are finished articles; keep them.
        while not inbox.empty():
            _, message = inbox.get_nowait()
            if isinstance(message, tuple) and message[0] == "outcome":
                engine.record(message[1])
        return
    if not engine.stopping and not any(w.alive for w in workers):
        engine.reporter.note("no worker process left: the rest runs in this process")
        await engine.run(itertools.chain(spare, items))


def _gone(engine: Engine, index: int, worker: _Worker, reason: str) -> None:
    """A worker process died (or its pipe broke): what it held ends as error lines saying so."""
    worker.alive = False
    worker.process.join(timeout=1)
    if worker.process.is_alive():  # its pipe broke but it runs on: it can send nothing back
        worker.process.terminate()
        worker.process.join(timeout=1)
    death = f"worker process {index} died ({_exit_of(worker.process, reason)})"
    for seq, item in sorted(worker.held.items()):
        message = f"{death} while summarising it; --retry-failed runs it again"
        engine.record(failure(engine.processor, seq, item, message))
    if worker.held:
        engine.reporter.note(f"{death}: its {len(worker.held)} article(s) failed")
    worker.held.clear()


def _exit_of(process: BaseProcess, reason: str) -> str:
    code = process.exitcode
    if code is None:
        return reason
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _interrupt(engine: Engine, inbox: asyncio.Queue[tuple[int, Any]]) -> None:
    engine.interrupt()
    inbox.put_nowait((-1, None))  # wake the coordinator up


def _send(worker: _Worker, message: tuple[Any, ...]) -> bool:
    try:
        worker.conn.send(message)
    except OSError:  # it died; its reader reports "gone"
        worker.alive = False
        return False
    return True


def _receive(conn: Connection, index: int, inbox: asyncio.Queue[tuple[int, Any]]) -> None:
    try:
        while conn.poll():
            inbox.put_nowait((index, conn.recv()))
    except Exception as exc:  # EOF (it died), or a message cut short by its death
        asyncio.get_running_loop().remove_reader(conn.fileno())
        reason = "its pipe closed" if isinstance(exc, EOFError) else f"{type(exc).__name__}"
        inbox.put_nowait((index, ("gone", reason)))


class _sigint_blocked:  # noqa: N801 (used as a statement: ``with _sigint_blocked():``)
    """SIGINT held back while workers fork: each starts with it blocked and unblocks it once
    it ignores it; this process gets a Ctrl-C that came meanwhile when the block ends."""

    def __enter__(self) -> None:
        self._old = _set_mask(signal.SIG_BLOCK)

    def __exit__(self, *exc_info: object) -> None:
        if self._old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self._old)


def _set_mask(how: int) -> set[int | signal.Signals] | None:
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks
        return None
    return signal.pthread_sigmask(how, {signal.SIGINT})


def worker_main(
    conn: Connection,
    spec: WorkerSpec,
    inherited: list[Connection],
    close_in_workers: tuple[int, ...] = (),
) -> None:
    """A worker process: summarise what arrives, send each outcome back, exit on EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the coordinating process handles Ctrl-C
    _set_mask(signal.SIG_UNBLOCK)
    for other in inherited:
        other.close()
    for fileno in close_in_workers:
        try:
            os.close(fileno)
        except OSError:  # spawned, not forked: never had it
            pass
    asyncio.run(_serve(conn, spec))


async def _serve(conn: Connection, spec: WorkerSpec) -> None:
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[Any] = asyncio.Queue()

    def receive() -> None:
        try:
            while conn.poll():
                inbox.put_nowait(conn.recv())
        except (EOFError, OSError):
            loop.remove_reader(conn.fileno())
            inbox.put_nowait(None)

    def slowed(message: str, until: float) -> None:
        conn.send(("pause", (until, message)))

    job = spec.job
    limiter = Limiter(job.concurrency, job.rpm, job.tpm, on_slowdown=slowed)
    tasks: set[asyncio.Task[None]] = set()
    async with LimitedClient(limiter) as client:
        processor = Processor(
            job, Summarizer(settings=spec.settings, http_client=client), limiter, spec.prices
        )

        async def handle(seq: int, item: Item) -> None:
            # Every item sent here gets an outcome back, whatever happens: the coordinator
            # counts what each worker holds and would otherwise wait for it for ever.
            try:
                outcome = await processor.process(seq, item)
            except Exception as exc:
                outcome = failure(processor, seq, item, internal_error(exc), exc)
            try:
                conn.send(("outcome", outcome))
            except OSError:  # the coordinator is gone: nobody to tell
                return
            except Exception as exc:  # an outcome that does not pickle
                conn.send(("outcome", failure(processor, seq, item, internal_error(exc))))

        loop.add_reader(conn.fileno(), receive)
        while (message := await inbox.get()) is not None:
            if message[0] == "item":
                task = asyncio.create_task(handle(message[1], message[2]))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            elif message[0] == "pause":
                limiter.pause_until(message[1][0])
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

"""The engine: decides what runs, and commits each finished article exactly once.

Per input: skip it if an earlier run ended it with the same input and configuration; stop
starting new ones once a budget is spent; else have it summarised (``Processor``, here in
this event loop or in worker processes, see ``pool.py``) and commit its ``Outcome``: one
state row, committed, then one appended line. One bad article never stops the others, and
every input ends as exactly one line: a bug while processing or committing it, or a worker
task that dies, fails that input with the reason instead of dropping it.

In this process, ``concurrency`` tasks share one input iterator, so inputs are read only as
fast as they are summarised and memory stays flat however long the batch. Ctrl-C cancels
the requests in flight (they rerun on resume) and the run ends cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import signal
from collections.abc import Callable, Iterable, Iterator

from .inputs import Item
from .job import Job
from .output import ResultsFile, error_line
from .processor import Outcome, Processor, light
from .progress import Reporter, Stats
from .state import Record, State, storable


class Engine:
    def __init__(
        self,
        job: Job,
        processor: Processor,
        state: State,
        results: ResultsFile,
        reporter: Reporter,
        stats: Stats,
        config_hash: str,
    ) -> None:
        self.job = job
        self.processor = processor
        self.state = state
        self.results = results
        self.reporter = reporter
        self.stats = stats
        self.config_hash = config_hash
        self.stopping = False
        self._seen: dict[str, str] = {}
        self._held: dict[int, tuple[int, Item]] = {}  # task slot -> the input it works on

    async def run(self, items: Iterable[tuple[int, Item]]) -> Stats:
        """Work through ``(seq, item)`` pairs in this process until done, out of budget, or
        interrupted."""
        iterator = iter(items)
        while True:
            progress = self.stats.seen
            tasks = [
                asyncio.create_task(self._worker(iterator, slot))
                for slot in range(self.job.concurrency)
            ]
            with on_interrupt(functools.partial(self.interrupt, tasks)):
                ended = await asyncio.gather(*tasks, return_exceptions=True)
            # A task that died must not take its input with it unseen (a cancelled one was
            # interrupted: its input reruns on resume), nor leave the rest undone.
            died = [(slot, end) for slot, end in enumerate(ended) if isinstance(end, Exception)]
            for slot, error in died:
                self.lost(slot, error)
            if not died or self.stopping or self.stats.seen == progress:
                return self.stats

    def interrupt(self, tasks: Iterable[asyncio.Task[None]] = ()) -> None:
        self.stats.stopped = "interrupted"
        self.stopping = True
        for task in tasks:
            task.cancel()

    def lost(self, slot: int, error: Exception) -> None:
        """A worker task died: fail the input it held with the reason, or say what died."""
        held = self._held.pop(slot, None)
        reason = internal_error(error)
        if held is None:
            self.fault(reason)
        else:
            self.record(self.failed(*held, reason, error))

    def fault(self, reason: str) -> None:
        """Something outside any one input went wrong: said now, and the run exits 1."""
        self.stats.faults.append(reason)
        self.reporter.note(f"batch: {reason}")

    async def _worker(self, items: Iterator[tuple[int, Item]], slot: int) -> None:
        # Tasks share one iterator: next() runs to completion between awaits.
        while (picked := self.next_to_run(items)) is not None:
            self._held[slot] = picked
            stored = self.store(await self.process(*picked))
            del self._held[slot]  # committed: from here on, a fault cannot lose it
            self.publish(stored)

    async def process(self, seq: int, item: Item) -> Outcome:
        """The processor's outcome; a bug in it fails this input alone, with the reason."""
        try:
            return await self.processor.process(seq, item)
        except Exception as exc:
            return self.failed(seq, item, internal_error(exc), exc)

    def next_to_run(self, items: Iterator[tuple[int, Item]]) -> tuple[int, Item] | None:
        """The next input that needs the model; records unreadable ones on the way."""
        while True:
            try:
                seq, given = next(items)
            except StopIteration:
                return None
            except Exception as exc:  # the input stream itself broke: what is left is lost
                self.fault(f"reading the inputs failed: {type(exc).__name__}: {exc}")
                return None
            if self.stopping:
                return None
            item = storable_item(given)
            try:
                item = self.unique(item)
                if self.done_before(item) or not self.may_start():
                    continue
            except Exception as exc:
                self.record(self.failed(seq, item, internal_error(exc), exc))
                continue
            if item.error is not None or item.text is None:
                self.record(self.failed(seq, item, item.error or "no text"))
                continue
            return seq, item

    def unique(self, item: Item) -> Item:
        """A repeated id would overwrite the first article's row: report it as its own error."""
        first = self._seen.setdefault(item.id, item.source)
        if first == item.source:
            return item
        return Item(
            f"{item.id}@{item.source}",
            item.source,
            item.input_hash,
            error=f"{item.source}: duplicate id {item.id!r} (first at {first}); ids must be unique",
        )

    def done_before(self, item: Item) -> bool:
        """True (and counted as skipped) when an earlier run ended this input as configured."""
        prior = self.state.prior(item.id)
        if (
            prior is None
            or prior.input_hash != item.input_hash
            or prior.config_hash != self.config_hash
            or (self.job.retry_failed and prior.status == "error")
        ):
            return False
        self.stats.skipped[prior.status] += 1
        self.reporter.update(self.stats)
        return True

    def may_start(self) -> bool:
        """False once a budget is spent: nothing new starts, the run ends resumable."""
        job, stats = self.job, self.stats
        spent = (job.max_tokens is not None and stats.usage["total_tokens"] >= job.max_tokens) or (
            job.max_cost is not None and stats.cost >= job.max_cost
        )
        if spent:
            self.stats.stopped = "budget"
            self.stopping = True
        return not spent

    def failed(
        self, seq: int, item: Item, message: str, error: BaseException | None = None
    ) -> Outcome:
        """The error outcome of an input, built even when the usual way to build it fails."""
        return failure(self.processor, seq, item, message, error)

    def record(self, outcome: Outcome) -> None:
        """Commit the article's row, then append its line. No await in here: a cancellation
        cannot come between the two, and a kill between them is repaired on the next run."""
        self.publish(self.store(outcome))

    def store(self, outcome: Outcome) -> Outcome | None:
        """Commit ``outcome``'s row; what was committed instead when that failed.

        Whatever goes wrong, the input still ends as one row: one that cannot be stored is
        replaced by an error row saying why. None (and counted failed, a fault) only when
        not even that can be stored.
        """
        problem = self._commit(outcome)
        if problem is None:
            return outcome
        reason = f"internal error: its result could not be recorded ({_brief(problem)})"
        fallback = self.failed(outcome.seq, storable_item(outcome.item), reason, problem)
        if self._commit(fallback) is None:
            return fallback
        self.stats.add("error", {})
        self.fault(f"{storable(outcome.item.id)}: {reason}")
        return None

    def publish(self, outcome: Outcome | None) -> None:
        """Append a committed outcome's line and count it. An append that fails is repaired
        when the file is rebuilt from the state at the end of the run."""
        if outcome is None:
            return
        try:
            self.results.append(outcome.line)
        except Exception as exc:
            self.reporter.note(f"results.jsonl not appended ({_brief(exc)}): rebuilt at the end")
        self.stats.add(outcome.status, outcome.meta)
        if outcome.error is not None:
            self.reporter.failure(storable(outcome.item.id), outcome.error)
        self.reporter.update(self.stats)

    def _commit(self, outcome: Outcome) -> Exception | None:
        meta, item = outcome.meta, outcome.item
        try:
            self.state.record(
                Record(
                    id=item.id,
                    seq=outcome.seq,
                    source=item.source,
                    input_hash=item.input_hash,
                    config_hash=self.config_hash,
                    status=outcome.status,
                    error=outcome.error,
                    usage=meta.get("usage") or {},
                    cost=meta.get("cost"),
                    attempts=int(meta.get("attempts") or 0),
                    seconds=float((meta.get("timings") or {}).get("total", 0.0)),
                    line=outcome.line,
                )
            )
        except Exception as exc:
            return exc
        return None


def failure(
    processor: Processor, seq: int, item: Item, message: str, error: BaseException | None = None
) -> Outcome:
    """``processor.failed``, or a bare error outcome when even that fails."""
    try:
        return processor.failed(seq, item, message, error)
    except Exception:  # only the reason is sure to be serialisable
        line = error_line(item, message, {})
        return Outcome(seq, light(item), "error", message, {}, line)


def internal_error(error: BaseException) -> str:
    """The reason an input failed on a bug (ours or a library's), for its error line."""
    return f"internal error: {_brief(error)}"


def _brief(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def storable_item(item: Item) -> Item:
    """``item`` with an id, source and error that SQLite and UTF-8 JSON can hold."""
    error = None if item.error is None else storable(item.error)
    clean = (storable(item.id), storable(item.source), error)
    if clean == (item.id, item.source, item.error):
        return item
    return dataclasses.replace(item, id=clean[0], source=clean[1], error=clean[2])


@contextlib.contextmanager
def on_interrupt(callback: Callable[[], None]) -> Iterator[None]:
    """Run ``callback`` on Ctrl-C for the length of the block (where the loop can)."""
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGINT, callback)
    except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGINT)

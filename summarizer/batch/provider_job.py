"""A provider batch's life: submit it, wait for it, collect it (``--via openai-batch``).

Submit writes each input not done yet as one Batch API request (``provider.plan``), uploads the
file, creates the batch, and keeps the inputs in the state database, so that ``--collect
BATCH_ID`` needs nothing but the output directory. Collect waits for the batch, streams its
output, and hands each answer to the live path as the answer to its own request
(``collect_answers``): what validates is committed at the batch price, what does not is re-asked
live; inputs with no answer (failed or expired requests, long articles) run live from the start.
``batch_file.py`` drives the same steps through a file instead of the provider's API.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable
from pathlib import Path
from typing import Any, TextIO, TypeVar

import httpx2
import openai
from openai.types import Batch
from rich.console import Console

from ..config import Settings
from ..errors import ConfigError, ProviderBatchFailed, SummarizerError
from ..llm.client import make_client
from ..llm.prefetch import Prefetched, prefetched
from ..llm.transport import describe
from .engine import Engine
from .inputs import Item, count_items, iter_items
from .job import Job
from .pricing import BATCH_DISCOUNT, Prices, load_prices
from .progress import Stats
from .provider import ENDPOINT, answer_for, check_supported, plan
from .runner import Session
from .state import FILENAME as STATE_FILE
from .state import State

T = TypeVar("T")
MAX_REQUESTS = 50_000  # the Batch API's limit per file; the rest go in the next submit
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
# Settings a batch is collected with, as it was submitted: they shape the request bodies.
SUBMITTED_SETTINGS = (
    "model",
    "mode",
    "temperature",
    "seed",
    "max_output_tokens",
    "max_input_tokens",
)


def submit_batch(
    paths: Iterable[str | Path],
    job: Job,
    settings: Settings,
    *,
    wait_for_it: bool = True,
    poll_interval: float = 30.0,
    prices: Prices | None = None,
    console: Console | None = None,
    transport: httpx2.AsyncBaseTransport | None = None,
) -> tuple[str | None, Stats]:
    """Submit every input not done yet; then, unless told not to, wait and collect."""
    check_supported(settings, job.lang)
    paths = list(paths)
    limit = settings.max_input_chars
    stats = Stats()

    async def work(session: Session) -> str | None:
        client = _client(settings, transport)
        async with session.engine() as engine:
            items = enumerate(iter_items(paths, exclude=job.out, max_chars=limit))
            batch_id = await submit(session, engine, client, items)
            if batch_id is None:
                return None
            session.reporter.note(
                f"submitted batch {batch_id}; collect it any time with: summarizer batch"
                f" --collect {batch_id} --out {job.out}"
            )
            if wait_for_it:
                batch = await wait(client, batch_id, poll_interval, session.reporter.note)
                await collect(session, engine, client, batch)
            return batch_id

    opened = Opened(
        job,
        settings,
        stats,
        prices,
        console,
        transport,
        wait_for_it,
        count_inputs=lambda: count_items(paths, exclude=job.out, max_chars=limit),
    )
    return opened.run(work), stats


def collect_batch(
    batch_id: str,
    job: Job,
    settings: Settings,
    *,
    poll_interval: float = 30.0,
    prices: Prices | None = None,
    console: Console | None = None,
    transport: httpx2.AsyncBaseTransport | None = None,
) -> Stats:
    """Wait for a batch submitted from ``job.out``, validate its answers, finish the rest."""
    job, settings, stats = as_submitted(job, settings, batch_id)

    async def work(session: Session) -> None:
        client = _client(settings, transport)
        batch = await wait(client, batch_id, poll_interval, session.reporter.note)
        async with session.engine() as engine:
            await collect(session, engine, client, batch)

    Opened(job, settings, stats, prices, console, transport).run(work)
    return stats


@dataclasses.dataclass(frozen=True)
class Opened:
    """A batch route's run: ``job.out`` opened as a ``Session``, one piece of async work in it."""

    job: Job
    settings: Settings
    stats: Stats
    prices: Prices | None = None
    console: Console | None = None
    transport: httpx2.AsyncBaseTransport | None = None
    summarise: bool = True  # False: nothing is summarised here, no worker processes
    count_inputs: Callable[[], int] | None = None  # counted once --out is held

    def run(self, work: Callable[[Session], Coroutine[Any, Any, T]]) -> T:
        console = self.console or Console(stderr=True)
        prices = self.prices or load_prices()
        args = (self.job, self.settings, prices, console, self.stats, self.transport)
        with Session(*args, self.summarise, count_inputs=self.count_inputs) as session:
            return asyncio.run(work(session))


async def write_requests(
    session: Session,
    engine: Engine,
    items: Iterable[tuple[int, Item]],
    file: TextIO,
    batch_id: str,
    prefix: str = "",
) -> tuple[int, int]:
    """Write a request line per input not done yet, and keep the inputs in the state under
    ``batch_id``; (inputs kept, lines written)."""
    job, settings, state = session.job, session.settings, session.state
    rows: list[tuple[str, int, Any]] = []
    skipped_in: set[str] = set()
    kept = lines = 0
    for seq, given in items:
        item = engine.unique(given)
        if engine.done_before(item):
            continue
        if item.error is not None or item.text is None:
            engine.record(engine.processor.failed(seq, item, item.error or "no text"))
            continue
        if (waiting := state.open_batch_of(item.id)) is not None:
            skipped_in.add(waiting)  # submitted before and not collected: not twice
            continue
        if kept == MAX_REQUESTS:
            session.reporter.note(f"{MAX_REQUESTS:,} requests per batch: submit again for more")
            break
        try:
            planned = await plan(settings, job.schema, job.lang, seq, item, prefix)
        except SummarizerError as exc:
            engine.record(engine.processor.failed(seq, item, str(exc), exc))
            continue
        if planned.line is not None:
            file.write(json.dumps(planned.line, ensure_ascii=False) + "\n")
            lines += 1
        if planned.note is not None:
            session.reporter.note(planned.note)
        rows.append((planned.custom_id, seq, dataclasses.asdict(item)))
        kept += 1
        if len(rows) >= 500:  # memory stays flat: the texts go to the state as we write
            state.save_provider_items(batch_id, rows)
            rows.clear()
    state.save_provider_items(batch_id, rows)
    for waiting in sorted(skipped_in):
        session.reporter.note(
            f"some inputs wait in batch {waiting}: collect it first (see {job.out})"
        )
    return kept, lines


def submitted_record(job: Job, settings: Settings, kept: int) -> dict[str, Any]:
    """What ``as_submitted`` needs to collect the batch as it was written."""
    record: dict[str, Any] = {"schema": job.schema, "lang": job.lang, "requests": kept}
    return record | {name: getattr(settings, name) for name in SUBMITTED_SETTINGS}


async def submit(
    session: Session,
    engine: Engine,
    client: openai.AsyncOpenAI,
    items: Iterable[tuple[int, Item]],
) -> str | None:
    """Write, upload and create the batch; its id, or None when nothing was left to do."""
    job, state = session.job, session.state
    provisional = f"pending-{time.time_ns()}"
    requests_path = job.out / f"openai-batch-{provisional}.jsonl"
    with requests_path.open("w", encoding="utf-8") as file:
        kept, lines = await write_requests(session, engine, items, file, provisional)
    if not lines:  # nothing for the provider: what is left (long articles) runs live now
        requests_path.unlink()
        await session.drive(engine, _items_of(state, provisional, set()))
        state.rename_provider_items(provisional, None)
        return None
    try:
        uploaded = await client.files.create(file=requests_path, purpose="batch")
        batch = await client.batches.create(
            input_file_id=_id_of(uploaded, "file upload"),
            endpoint=ENDPOINT,
            completion_window="24h",
            metadata={"created_by": "summarizer batch"},
        )
        batch_id = _id_of(batch, "batch creation")
    except BaseException as exc:
        state.rename_provider_items(provisional, None)  # nothing waits: a rerun sends them
        requests_path.unlink()
        if isinstance(exc, openai.APIError):
            raise ProviderBatchFailed(_refusal(exc)) from exc
        raise
    state.rename_provider_items(provisional, batch_id)
    state.open_batch(batch_id, submitted_record(job, session.settings, kept))
    return batch_id


def _id_of(answer: Any, what: str) -> str:
    """The id of what a batch endpoint answered; ``ProviderBatchFailed`` when the answer is
    not such an object (a web page, a chat completion: a server with no batch API)."""
    found = getattr(answer, "id", None)
    if isinstance(found, str) and found and getattr(answer, "object", None) in ("file", "batch"):
        return found
    shape = type(answer).__name__ if not isinstance(answer, str) else "text"
    raise ProviderBatchFailed(
        f"the server's answer to the {what} is not a batch API object ({shape}): it has no batch"
        " API; nothing was submitted: run without --via, or use --via batch-file"
    )


def _refusal(exc: openai.APIError) -> str:
    if isinstance(exc, openai.APIStatusError) and exc.status_code in (404, 405):
        where = exc.request.url.path if exc.request is not None else "its batch endpoints"
        return (
            f"the server has no batch API (HTTP {exc.status_code} on {where}); nothing was"
            " submitted: run without --via, or use --via batch-file for a self-hosted engine"
        )
    return f"the batch could not be submitted, nothing was: {describe(exc)}"


def as_submitted(job: Job, settings: Settings, batch_id: str) -> tuple[Job, Settings, Stats]:
    """The job and settings ``batch_id`` was written with, from ``job.out``'s state."""
    record = submitted(job.out, batch_id)
    job = dataclasses.replace(job, schema=record["schema"], lang=record["lang"])
    kept = {name: record[name] for name in SUBMITTED_SETTINGS if name in record}
    return job, settings.with_(**kept), Stats(total=record["requests"])


def submitted(out: Path, batch_id: str) -> dict[str, Any]:
    """The settings a batch was submitted with; ConfigError if it was not submitted to ``out``."""
    record = None
    if (out / STATE_FILE).exists():
        state = State(out)
        record = state.batch_settings(batch_id)
        state.close()
    if record is None:
        raise ConfigError(f"batch {batch_id} was not submitted from {out}")
    return record


async def wait(
    client: openai.AsyncOpenAI, batch_id: str, interval: float, note: Callable[[str], None]
) -> Batch:
    """Poll until the batch ends, saying so whenever its status or counts change."""
    last = ""
    while True:
        try:
            batch = await client.batches.retrieve(batch_id)
        except openai.APIError as exc:
            raise ProviderBatchFailed(
                f"batch {batch_id} could not be read: {describe(exc)}; collect it later with"
                f" --collect {batch_id}"
            ) from exc
        _id_of(batch, "batch status request")
        counts = batch.request_counts
        line = f"batch {batch_id}: {batch.status}"
        if counts is not None:
            line += f", {counts.completed + counts.failed}/{counts.total} answered"
        if line != last:
            note(line)
            last = line
        if batch.status in TERMINAL:
            return batch
        await asyncio.sleep(interval)


async def collect(
    session: Session,
    engine: Engine,
    client: openai.AsyncOpenAI,
    batch: Batch,
) -> None:
    """Stream the batch's output into ``collect_answers``."""
    if batch.status == "failed":
        found = batch.errors.data if batch.errors and batch.errors.data else []
        detail = "; ".join(e.message or e.code or "?" for e in found) or "no detail given"
        raise ProviderBatchFailed(f"batch {batch.id} failed: {detail}")

    async def entries() -> AsyncIterator[str]:
        if batch.output_file_id:
            stream = client.files.with_streaming_response.content(batch.output_file_id)
            try:
                async with stream as response:
                    async for raw in response.iter_lines():
                        yield raw
            except openai.APIError as exc:  # what was read is kept; the rest runs live
                session.reporter.note(f"batch {batch.id}: its output stopped: {describe(exc)}")

    await collect_answers(session, engine, batch.id, entries())


async def collect_answers(
    session: Session, engine: Engine, batch_id: str, raw_lines: AsyncIterator[str]
) -> None:
    """Summarise each answered input with its batch answer as the answer to its request
    (the live path validates it, and re-asks live when it fails); then the inputs without an
    answer, live. The batch is closed once every input has ended."""
    job, state, note = session.job, session.state, session.reporter.note
    handled: set[str] = set()
    gate = asyncio.Semaphore(job.concurrency)
    tasks: set[asyncio.Task[None]] = set()

    async def one(seq: int, item: Item, answer: Prefetched) -> None:
        # The batch price when the batch's answer was the article's only request; an article
        # re-asked live is priced in full (its batch request included: a small overstatement).
        try:
            with prefetched(answer):
                outcome = await engine.processor.process(
                    seq, item, discount=lambda: BATCH_DISCOUNT if answer.alone else 1.0
                )
            engine.record(outcome)
        finally:
            gate.release()

    async for raw in raw_lines:
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw)
        except json.JSONDecodeError:
            entry = None
        if not isinstance(entry, dict):
            note(f"batch {batch_id}: an output line is not a JSON object; its input runs live")
            continue
        custom_id = str(entry.get("custom_id"))
        found = state.provider_item(batch_id, custom_id)
        if found is None or custom_id in handled:
            continue
        seq, item = found[0], Item(**found[1])
        answer = answer_for(entry)
        if isinstance(answer, str):
            note(f"{item.id}: {answer}; asking live")
            continue
        handled.add(custom_id)
        if engine.done_before(item):
            continue
        await gate.acquire()
        task = asyncio.create_task(one(seq, item, answer))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*tasks)
    await session.drive(engine, _items_of(state, batch_id, handled))
    if session.stats.stopped is None:
        state.close_batch(batch_id)


def _items_of(state: State, batch_id: str, handled: set[str]) -> Iterable[tuple[int, Item]]:
    return (
        (seq, Item(**item))
        for custom_id, seq, item in state.provider_items(batch_id)
        if custom_id not in handled
    )


def _client(settings: Settings, transport: httpx2.AsyncBaseTransport | None) -> openai.AsyncOpenAI:
    # Files and batches calls are few and not rate-limited like completions: a plain client.
    http_client = openai.DefaultAsyncHttpxClient(transport=transport) if transport else None
    return make_client(settings, http_client)

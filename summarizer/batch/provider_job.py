"""A provider batch's life: submit it, wait for it, collect it (``--via openai-batch``).

Submit writes each input not done yet as one Batch API request (``provider.request_body``),
uploads the file, creates the batch, and keeps the inputs in the state database, so that
``--collect BATCH_ID`` needs nothing but the output directory. Collect waits for the batch,
streams its output, commits every answer that passes validation at the batch price, and sends
the rest (invalid answers, failed or expired requests) through the normal path, where
``asummarize`` asks again with its re-asks.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import httpx2
import openai
from openai.types import Batch
from rich.console import Console

from ..config import Settings
from ..errors import ConfigError, ProviderBatchFailed, SummarizerError
from ..llm.client import make_client
from .engine import Engine
from .inputs import Item, count_items, iter_items
from .job import Job
from .pricing import BATCH_DISCOUNT, Prices, load_prices
from .progress import Stats
from .provider import ENDPOINT, check_answer, check_supported, prepare, request_body, usage_of
from .runner import Session
from .state import FILENAME as STATE_FILE
from .state import State

MAX_REQUESTS = 50_000  # the Batch API's limit per file; the rest go in the next submit
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})


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
    stats = Stats(total=count_items(paths, exclude=job.out, max_chars=settings.max_input_chars))
    console = console or Console(stderr=True)
    table = prices or load_prices()
    with Session(job, settings, table, console, stats, transport, wait_for_it) as session:

        async def main() -> str | None:
            client = _client(settings, transport)
            async with session.engine() as engine:
                items = enumerate(
                    iter_items(paths, exclude=job.out, max_chars=settings.max_input_chars)
                )
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

        return asyncio.run(main()), stats


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
    record = submitted(job.out, batch_id)
    # Collect as submitted: same schema, language, model and sampling.
    job = dataclasses.replace(job, schema=record["schema"], lang=record["lang"])
    settings = settings.with_(
        model=record["model"],
        mode=record["mode"],
        temperature=record["temperature"],
        seed=record["seed"],
    )
    stats = Stats(total=record["requests"])
    console = console or Console(stderr=True)
    with Session(job, settings, prices or load_prices(), console, stats, transport) as session:

        async def main() -> None:
            client = _client(settings, transport)
            batch = await wait(client, batch_id, poll_interval, session.reporter.note)
            async with session.engine() as engine:
                await collect(session, engine, client, batch)

        asyncio.run(main())
    return stats


async def submit(
    session: Session,
    engine: Engine,
    client: openai.AsyncOpenAI,
    items: Iterable[tuple[int, Item]],
) -> str | None:
    """Write, upload and create the batch; its id, or None when nothing was left to do."""
    job, settings, state = session.job, session.settings, session.state
    provisional = f"pending-{time.time_ns()}"
    requests_path = job.out / f"openai-batch-{provisional}.jsonl"
    rows: list[tuple[str, int, Any]] = []
    skipped_in: set[str] = set()
    count = 0
    with requests_path.open("w", encoding="utf-8") as file:
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
            if count == MAX_REQUESTS:
                session.reporter.note(f"{MAX_REQUESTS:,} requests per batch: submit again for more")
                break
            try:
                body = request_body(
                    settings, job.schema, prepare(settings, job.schema, job.lang, item)
                )
            except SummarizerError as exc:
                engine.record(engine.processor.failed(seq, item, str(exc), exc))
                continue
            custom_id = str(seq)
            line = {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}
            file.write(json.dumps(line, ensure_ascii=False) + "\n")
            rows.append((custom_id, seq, dataclasses.asdict(item)))
            count += 1
            if len(rows) >= 500:  # memory stays flat: the texts go to the state as we write
                state.save_provider_items(provisional, rows)
                rows.clear()
    state.save_provider_items(provisional, rows)
    for waiting in sorted(skipped_in):
        session.reporter.note(
            f"some inputs wait in batch {waiting}: summarizer batch --collect {waiting}"
            f" --out {job.out}"
        )
    if not count:
        requests_path.unlink()
        return None
    try:
        uploaded = await client.files.create(file=requests_path, purpose="batch")
        batch = await client.batches.create(
            input_file_id=uploaded.id,
            endpoint=ENDPOINT,
            completion_window="24h",
            metadata={"created_by": "summarizer batch"},
        )
    except BaseException:
        state.rename_provider_items(provisional, None)
        raise
    state.rename_provider_items(provisional, batch.id)
    record = {"schema": job.schema, "lang": job.lang, "requests": count}
    record |= {"model": settings.model, "mode": settings.mode}
    record |= {"temperature": settings.temperature, "seed": settings.seed}
    state.open_batch(batch.id, record)
    return batch.id


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
        batch = await client.batches.retrieve(batch_id)
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
    """Validate and commit the batch's answers; everything else goes the normal way."""
    if batch.status == "failed":
        found = batch.errors.data if batch.errors and batch.errors.data else []
        detail = "; ".join(e.message or e.code or "?" for e in found) or "no detail given"
        raise ProviderBatchFailed(f"batch {batch.id} failed: {detail}")
    settings, job, state = session.settings, session.job, session.state
    accepted: set[str] = set()
    if batch.output_file_id:
        stream = client.files.with_streaming_response.content(batch.output_file_id)
        async with stream as response:
            async for raw in response.iter_lines():
                if not raw.strip():
                    continue
                entry = json.loads(raw)
                custom_id = str(entry.get("custom_id"))
                found_item = state.provider_item(batch.id, custom_id)
                if found_item is None:
                    continue
                seq, item = found_item[0], Item(**found_item[1])
                if engine.done_before(item):
                    accepted.add(custom_id)
                    continue
                try:
                    result = check_answer(settings, job.schema, job.lang, item, entry)
                except SummarizerError as exc:
                    usage = usage_of(entry)
                    cost = session.prices.cost(settings.model, usage, BATCH_DISCOUNT)
                    session.stats.spend(usage, cost)
                    session.reporter.note(f"{item.id}: {exc}; asking again")
                    continue
                engine.accept(seq, item, result, BATCH_DISCOUNT)
                accepted.add(custom_id)
    # Answers that failed, requests that failed or expired: the normal path, with re-asks.
    remaining = (
        (seq, Item(**item))
        for custom_id, seq, item in state.provider_items(batch.id)
        if custom_id not in accepted
    )
    await session.drive(engine, remaining)
    if session.stats.stopped is None:
        state.close_batch(batch.id)


def _client(settings: Settings, transport: httpx2.AsyncBaseTransport | None) -> openai.AsyncOpenAI:
    # Files and batches calls are few and not rate-limited like completions: a plain client.
    http_client = openai.DefaultAsyncHttpxClient(transport=transport) if transport else None
    return make_client(settings, http_client)

"""Batches through a file, for self-hosted engines (``--via batch-file``, ``--collect-file``).

``write_batch_file`` writes the requests in OpenAI's batch format, one
``{"custom_id", "method", "url", "body"}`` line per input (what ``vllm run-batch -i`` reads),
into the output directory, and keeps the inputs in its state. ``collect_file`` reads the
engine's output (OpenAI's batch output format) and goes the way a provider batch's output goes
(``provider_job.collect_answers``): each answer is validated by the live path as the answer to
its own request, failures are re-asked live, inputs without an answer run live.

A file's ``custom_id`` starts with its batch id (``file-NNN/``), so an output file names the
requests file it answers and nothing else is needed to collect it.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import ConfigError
from .inputs import count_items, iter_items
from .job import Job
from .progress import Stats
from .provider import check_supported
from .provider_job import Opened, as_submitted, collect_answers, submitted_record, write_requests
from .runner import Session

PREFIX = "file-"


def write_batch_file(
    paths: Iterable[str | Path],
    job: Job,
    settings: Settings,
    **options: Any,
) -> tuple[Path | None, Stats]:
    """Write the requests of every input not done yet; the file's path (None: nothing to do).

    ``options``: ``prices`` and ``console``, as ``provider_job.Opened`` takes them."""
    check_supported(settings, job.lang, provider=False)
    paths = list(paths)
    limit = settings.max_input_chars
    stats = Stats()
    batch_id = f"{PREFIX}{time.time_ns()}"
    path = job.out / f"{batch_id}.requests.jsonl"

    async def work(session: Session) -> Path | None:
        async with session.engine() as engine:
            items = enumerate(iter_items(paths, exclude=job.out, max_chars=limit))
            with path.open("w", encoding="utf-8") as file:
                kept, _ = await write_requests(
                    session, engine, items, file, batch_id, f"{batch_id}/"
                )
        if not kept:
            path.unlink()
            return None
        session.state.open_batch(batch_id, submitted_record(job, settings, kept))
        session.reporter.note(
            f"wrote the requests to {path}; run them (e.g. vllm run-batch -i {path} -o"
            f" OUTPUT.jsonl --model {settings.model}), then: summarizer batch --collect-file"
            f" OUTPUT.jsonl --out {job.out}"
        )
        return path

    opened = Opened(
        job,
        settings,
        stats,
        summarise=False,
        count_inputs=lambda: count_items(paths, exclude=job.out, max_chars=limit),
        **options,
    )
    return opened.run(work), stats


def collect_file(output: Path, job: Job, settings: Settings, **options: Any) -> Stats:
    """Validate an engine's output file against the inputs kept in ``job.out``; commit what
    passes, re-ask the rest live, run live what has no answer.

    ``options``: ``prices``, ``console`` and ``transport``, as ``provider_job.Opened`` takes
    them."""
    batch_id = _batch_of(output)
    job, settings, stats = as_submitted(job, settings, batch_id)

    async def work(session: Session) -> None:
        async with session.engine() as engine:
            await collect_answers(session, engine, batch_id, _lines(output))

    Opened(job, settings, stats, **options).run(work)
    return stats


def _batch_of(output: Path) -> str:
    """The batch id the output answers, from its first line that names one."""
    with output.open(encoding="utf-8", errors="replace") as file:
        for raw in file:
            try:
                custom_id = str(json.loads(raw).get("custom_id", ""))
            except (json.JSONDecodeError, AttributeError):
                continue
            if custom_id.startswith(PREFIX) and "/" in custom_id:
                return custom_id.split("/", 1)[0]
    raise ConfigError(f"{output}: no line answers a request written by --via batch-file")


async def _lines(output: Path) -> AsyncIterator[str]:
    with output.open(encoding="utf-8", errors="replace") as file:
        for raw in file:
            yield raw

"""One article in, one ``Outcome`` out: summarised through the API, briefings written, its
``results.jsonl`` line built. Runs wherever the summarising happens (the calling process or a
worker process); the ``Outcome`` travels back to whoever commits it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..api import Summarizer
from ..errors import SummarizerError
from ..prompts import prompt_version
from ..result import ArticleMeta, Meta, Result
from .inputs import Item
from .job import Job
from .limiter import CHARGE, Charge, Limiter
from .output import error_line, failure_meta, result_line, write_briefings
from .pricing import Prices


@dataclass(frozen=True)
class Outcome:
    """A finished article, ready to commit: small enough to send between processes."""

    seq: int
    item: Item  # without its text
    status: str  # ok | partial | no_event | error
    error: str | None
    meta: dict[str, Any]
    line: str


class Processor:
    def __init__(self, job: Job, summarizer: Summarizer, limiter: Limiter, prices: Prices) -> None:
        self.job = job
        self.summarizer = summarizer
        self.limiter = limiter
        self.prices = prices
        settings = summarizer.settings
        self._base_meta = Meta(
            model=settings.model,
            schema=job.schema,
            lang=job.lang,
            mode=settings.mode,
            prompt_version=prompt_version(),
            article=ArticleMeta(chars=0, sha256="", source_language="unknown"),
        )

    async def process(
        self, seq: int, item: Item, discount: Callable[[], float] = lambda: 1.0
    ) -> Outcome:
        """Summarise one readable article; every failure becomes an error outcome.

        ``discount`` prices the answer once it is made (a batch's answer costs less)."""
        assert item.text is not None
        charge = Charge()
        CHARGE.set(charge)  # each task has its own context: this counts this article only
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.job.timeout_per_article):
                result = await self.summarizer.asummarize(
                    item.text,
                    self.job.schema,
                    self.job.lang,
                    input_warnings=item.warnings,
                    **item.article_options(),
                )
        except SummarizerError as exc:
            self._settle(charge, exc.meta)
            return self.failed(seq, item, str(exc), exc, charge, time.perf_counter() - started)
        except TimeoutError as exc:
            message = f"timed out after {self.job.timeout_per_article}s (--timeout-per-article)"
            return self.failed(seq, item, message, exc, charge, time.perf_counter() - started)
        except Exception as exc:  # a bug must not take the other articles down with it
            message = f"internal error: {type(exc).__name__}: {exc}"
            return self.failed(seq, item, message, exc, charge, time.perf_counter() - started)
        self._settle(charge, result.meta)
        # Briefings render in a thread: a slow PDF or DOCX must not stall the other articles.
        return await asyncio.to_thread(self.accepted, seq, item, result, discount())

    def accepted(self, seq: int, item: Item, result: Result, discount: float = 1.0) -> Outcome:
        """A checked result (from the API, or a provider batch's validated answer).

        Blocking (it renders the briefings): off the event loop, call it in a thread."""
        assert result.meta is not None
        briefings = write_briefings(self.job.out, item, result, self.job.formats)
        cost = self._cost(result.meta, discount)
        line = result_line(item, result, cost, briefings)
        meta = {**result.meta.as_dict(), "cost": cost}
        return Outcome(seq, light(item), result.status, None, meta, line)

    def failed(
        self,
        seq: int,
        item: Item,
        message: str,
        error: BaseException | None = None,
        charge: Charge | None = None,
        seconds: float = 0.0,
    ) -> Outcome:
        meta = getattr(error, "meta", None)
        cost = self._cost(meta) if isinstance(meta, Meta) else None
        attempts = charge.requests if charge is not None else 0
        meta_dict = failure_meta(item, error, self._base_meta, attempts, cost, seconds)
        line = error_line(item, message, meta_dict)
        return Outcome(seq, light(item), "error", message, meta_dict, line)

    def _cost(self, meta: Meta, discount: float = 1.0) -> float | None:
        if meta.cached:
            return 0.0
        return self.prices.cost(meta.model, meta.usage, discount)

    def _settle(self, charge: Charge, meta: Any) -> None:
        usage = getattr(meta, "usage", None) or {}
        self.limiter.settle(charge, int(usage.get("total_tokens", 0)))


def light(item: Item) -> Item:
    """``item`` without its text: what travels in an ``Outcome``."""
    return dataclasses.replace(item, text=None) if item.text is not None else item

"""One limiter shared by every request of a batch: requests and tokens per minute, and 429s.

It sits in the HTTP client the batch hands to ``Summarizer`` (``LimitedClient.send``), so
it sees every request the API sends, transport retries and re-asks included, while the API's
own retry policy stays as it is. What it adds over per-request retries:
- ``--rpm``/``--tpm``: token buckets refilled continuously (a minute's allowance spread
  over the minute, at most a tenth of it at once), so the pool never bursts past a limit;
- a 429 slows the whole pool, not only the task that saw it: every new request waits out the
  server's ``Retry-After`` (or a doubling backoff when it gives none), and the number of
  requests in flight drops to three quarters of what the server just refused, then grows by
  one per window of answers without a 429 (additive increase, multiplicative decrease).

Tokens are estimated before a request (prompt characters per script, plus an allowance for
the answer) and settled against the usage the server reported once the article ends.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import httpx2
import openai

from ..llm.transport import retry_after_seconds
from ..script import has_arabic_letters

# What an answer costs before the server says: about a summary's worth of JSON.
COMPLETION_ALLOWANCE = 800
_BURST_SHARE = 0.1  # at most this share of a minute's allowance goes out at once
_MAX_BACKOFF = 30.0


@dataclass
class Charge:
    """Requests and estimated tokens one article's task has spent (set in a contextvar)."""

    requests: int = 0
    estimated_tokens: int = 0


CHARGE: contextvars.ContextVar[Charge | None] = contextvars.ContextVar("batch_charge", default=None)


class _Bucket:
    """A token bucket that lends: a reservation may drive it negative and says how long to
    wait, so waiters are served in order without polling."""

    def __init__(self, per_minute: float, clock: Callable[[], float]) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(per_minute * _BURST_SHARE, 1.0)
        self.level = self.capacity
        self._clock = clock
        self._at = clock()

    def reserve(self, amount: float) -> float:
        now = self._clock()
        self.level = min(self.capacity, self.level + (now - self._at) * self.rate)
        self._at = now
        self.level -= amount
        return max(0.0, -self.level / self.rate)

    def refund(self, amount: float) -> None:
        self.level = min(self.capacity, self.level + amount)


class Limiter:
    def __init__(
        self,
        concurrency: int,
        rpm: int | None = None,
        tpm: int | None = None,
        on_slowdown: Callable[[str, float], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_window = concurrency
        self.window = concurrency
        self.in_flight = 0
        self.slowdowns = 0
        self._requests = _Bucket(rpm, clock) if rpm else None
        self._tokens = _Bucket(tpm, clock) if tpm else None
        self._on_slowdown = on_slowdown
        self._clock = clock
        self._paused_until = 0.0
        self._backoff = 1.0
        self._last_cut = -1e9
        self._successes = 0
        self._cond = asyncio.Condition()

    @property
    def counts_tokens(self) -> bool:
        return self._tokens is not None

    @asynccontextmanager
    async def slot(self, estimated_tokens: int) -> AsyncIterator[None]:
        """Hold a place for one request: window, 429 pause, then request and token rates."""
        async with self._cond:
            await self._cond.wait_for(lambda: self.in_flight < self.window)
            self.in_flight += 1
        try:
            while (pause := self._paused_until - self._clock()) > 0:
                await asyncio.sleep(pause)
            wait = 0.0
            if self._requests is not None:
                wait = self._requests.reserve(1)
            if self._tokens is not None:
                wait = max(wait, self._tokens.reserve(estimated_tokens))
            if wait > 0:
                await asyncio.sleep(wait)
            yield
        finally:
            async with self._cond:
                self.in_flight -= 1
                self._cond.notify()

    def observe(self, status: int, retry_after: float | None) -> None:
        """Learn from an answer's status: a 429 slows everyone, a success widens the window."""
        now = self._clock()
        if status == 429:
            pause = retry_after if retry_after is not None else self._backoff
            self._backoff = min(self._backoff * 2, _MAX_BACKOFF)
            self._paused_until = max(self._paused_until, now + pause)
            self.slowdowns += 1
            if now - self._last_cut < 1.0:  # one cut (and one note) per burst of refusals
                return
            self._last_cut = now
            self.window = max(1, (min(self.window, self.in_flight) * 3) // 4)
            if self._on_slowdown is not None:
                message = (
                    f"server said 429: all requests wait {pause:.1f}s, at most"
                    f" {self.window} in flight for now"
                )
                self._on_slowdown(message, self._paused_until)
        elif status < 400:
            self._backoff = 1.0
            self._successes += 1
            if self.window < self.max_window and self._successes >= self.window:
                self.window += 1
                self._successes = 0

    def pause_until(self, deadline: float) -> None:
        """Hold new requests until ``deadline`` (``time.monotonic``, which on Linux every
        process shares): how a 429 seen by another worker process reaches this one."""
        self._paused_until = max(self._paused_until, deadline)

    def settle(self, charge: Charge, actual_tokens: int) -> None:
        """Put back (or take) the difference between the estimate and the reported usage."""
        if self._tokens is not None and charge.requests:
            self._tokens.refund(charge.estimated_tokens - actual_tokens)


def estimate_tokens(body: bytes) -> int:
    """Tokens a chat request will cost, before the server says: prompt text per script
    (Arabic runs about two characters a token, Latin text about four) plus an answer."""
    try:
        request = json.loads(body)
    except ValueError:
        return len(body) // 4 + COMPLETION_ALLOWANCE
    prompt = 0
    for message in request.get("messages", []) if isinstance(request, dict) else []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            prompt += len(content) // (2 if has_arabic_letters(content) else 4)
    tools = request.get("tools") if isinstance(request, dict) else None
    if tools:
        prompt += len(json.dumps(tools)) // 4
    return prompt + COMPLETION_ALLOWANCE


class LimitedClient(openai.DefaultAsyncHttpxClient):
    """The SDK's default HTTP client with the batch's limiter around every request.

    ``send`` is the one method every request passes (also through proxy mounts), so the
    limiter sees all of them and a failure without a response still frees its slot.
    """

    def __init__(self, limiter: Limiter, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.limiter = limiter

    async def send(self, request: httpx2.Request, **kwargs: Any) -> httpx2.Response:
        # Parsing the body costs a little on every request: only a token limit needs it.
        estimate = estimate_tokens(request.content) if self.limiter.counts_tokens else 0
        charge = CHARGE.get()
        if charge is not None:
            charge.requests += 1
            charge.estimated_tokens += estimate
        async with self.limiter.slot(estimate):
            response = await super().send(request, **kwargs)
            self.limiter.observe(response.status_code, _retry_after(response))
        return response


def _retry_after(response: httpx2.Response) -> float | None:
    if response.status_code != 429:
        return None
    # The API's retry policy reads Retry-After off an SDK error; read it the same way.
    return retry_after_seconds(SimpleNamespace(response=response))  # type: ignore[arg-type]

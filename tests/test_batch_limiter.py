"""The shared limiter: rates, token estimates, and a 429 that slows the whole pool."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import httpx2
import pytest

from summarizer.batch.limiter import COMPLETION_ALLOWANCE, Limiter, _Bucket, estimate_tokens

from .crafted import ARTICLE_000
from .stub import completion
from .test_batch import MARKER, Stub, good_meeting, run, write_articles


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_spreads_a_minute_and_lends_in_order() -> None:
    clock = Clock()
    bucket = _Bucket(60, clock)  # one a second, at most six at once
    waits = [bucket.reserve(1) for _ in range(8)]
    assert waits == [0, 0, 0, 0, 0, 0, 1, 2]
    clock.now = 10.0  # refilled, but never past its capacity
    assert [bucket.reserve(1) for _ in range(7)] == [0, 0, 0, 0, 0, 0, 1]


def test_settled_tokens_give_back_what_the_estimate_overcharged() -> None:
    clock = Clock()
    bucket = _Bucket(6000, clock)  # 100 a second, 600 at once
    assert bucket.reserve(600) == 0
    assert bucket.reserve(100) == pytest.approx(1.0)
    bucket.refund(700)  # the server reported far fewer tokens than estimated
    assert bucket.reserve(100) == 0


@pytest.mark.parametrize(
    ("text", "per_token"),
    [pytest.param(ARTICLE_000, 2, id="arabic"), pytest.param("word " * 800, 4, id="latin")],
)
def test_token_estimate_follows_the_script(text: str, per_token: int) -> None:
    body = json.dumps({"messages": [{"role": "user", "content": text}]}).encode()
    assert estimate_tokens(body) == len(text) // per_token + COMPLETION_ALLOWANCE


def test_a_429_cuts_the_window_and_successes_grow_it_back() -> None:
    notes: list[str] = []
    limiter = Limiter(concurrency=8, on_slowdown=lambda message, _: notes.append(message))
    limiter.in_flight = 8
    limiter.observe(429, 2.0)
    assert limiter.window == 6 and "wait 2.0s" in notes[0]
    limiter.observe(429, 2.0)  # the same burst: no second cut
    assert limiter.window == 6 and len(notes) == 1
    for _ in range(6):
        limiter.observe(200, None)
    assert limiter.window == 7


def test_a_429_makes_every_task_wait_not_only_the_one_that_saw_it(tmp_path: Path) -> None:
    """One article meets a 429 with Retry-After 0.6 s; the other tasks, each a request away
    from their next one, must not send anything in that time either."""
    sent: list[tuple[float, int]] = []
    refused_at: list[float] = []

    class Busy(Stub):
        async def __call__(self, request: httpx2.Request) -> httpx2.Response:
            body = json.loads(request.content)
            n = int(MARKER.search(json.dumps(body["messages"])).group(1))  # type: ignore[union-attr]
            now = time.monotonic()
            sent.append((now, n))
            self.per_article[n] += 1
            if n == 2 and self.per_article[n] == 1:
                refused_at.append(now)
                return httpx2.Response(429, headers={"retry-after-ms": "600"}, json={})
            await asyncio.sleep(0.05)
            return httpx2.Response(200, json=completion(body, good_meeting(), len(sent)))

    paths = write_articles(tmp_path / "in", range(16))
    stats = run(paths, tmp_path / "out", Busy(), concurrency=4)
    assert stats.done["ok"] == 16
    (t429,) = refused_at
    # Requests already on the wire when the 429 arrived (sent < 1 ms after it) are not ours
    # to stop; every later one waits out the pause.
    during = [n for t, n in sent if t429 + 0.01 < t < t429 + 0.55]
    assert during == [], f"requests sent during the pause: {during}"
    assert any(t >= t429 + 0.6 for t, _ in sent)


def test_rpm_spreads_the_pools_requests_over_the_minute(tmp_path: Path) -> None:
    sent: list[float] = []

    class Clocked(Stub):
        async def __call__(self, request: httpx2.Request) -> httpx2.Response:
            sent.append(time.monotonic())
            return await super().__call__(request)

    paths = write_articles(tmp_path / "in", range(14))
    # 120 a minute: two a second, at most twelve (a tenth of the minute) at once.
    stats = run(paths, tmp_path / "out", Clocked(), concurrency=14, rpm=120)
    assert stats.done["ok"] == 14
    sent.sort()
    assert sent[11] - sent[0] < 0.3
    assert sent[12] - sent[0] == pytest.approx(0.5, abs=0.2)
    assert sent[13] - sent[0] == pytest.approx(1.0, abs=0.2)

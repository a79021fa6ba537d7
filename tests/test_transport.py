"""Transport faults are retried below instructor, counted, never shown to the model."""

from __future__ import annotations

import asyncio
import email.utils
import time
from typing import Any

import httpx2
import openai
import pytest

from summarizer import ModelUnreachable, RequestRejected, Summarizer
from summarizer.config import Settings
from summarizer.llm.transport import (
    RetryPolicy,
    is_transient,
    retry_after_seconds,
    send_with_retries,
)

from .crafted import ARTICLE_000, good_meeting
from .slow_server import serve_slowly
from .stub import Step, StubServer

FAST = RetryPolicy(max_attempts=4, initial_wait=0.001, max_wait=0.002, max_retry_after=0.01)
URL = "https://example.test/v1/chat/completions"


def run(steps: list[Step], policy: RetryPolicy = FAST) -> tuple[StubServer, Any]:
    server = StubServer(steps)
    settings = Settings(model="test-model", api_key="test", retry=policy)
    summarizer = Summarizer(settings=settings, http_client=server.client())
    return server, summarizer.summarize(ARTICLE_000)


def status(code: int, body: str = "{}", **headers: str) -> httpx2.Response:
    return httpx2.Response(code, text=body, headers={"content-type": "application/json", **headers})


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(status(429, **{"retry-after": "0"}), id="429-retry-after"),
        pytest.param(status(500), id="500"),
        pytest.param(status(503), id="503"),
        pytest.param(status(408), id="408"),
        pytest.param(status(409), id="409"),
        pytest.param(httpx2.ReadTimeout("timed out"), id="timeout"),
        pytest.param(httpx2.ConnectError("connection refused"), id="connect-error"),
        pytest.param(httpx2.RemoteProtocolError("connection reset by peer"), id="connection-reset"),
    ],
)
def test_transient_fault_is_retried_and_counted(fault: Step) -> None:
    server, result = run([fault, good_meeting()])
    assert len(server.requests) == 2
    assert result.meta.attempts == 2
    assert result.meta.reasks == 0  # a transport retry is not a re-ask
    assert len(server.requests[1]["messages"]) == 2  # the model never saw the fault


def test_429_then_500_then_answer_counts_three_attempts() -> None:
    server, result = run([status(429, **{"retry-after": "0"}), status(500), good_meeting()])
    assert result.meta.attempts == 3 and len(server.requests) == 3


def test_persistent_fault_raises_unreachable_after_bounded_attempts() -> None:
    server = StubServer([status(503)])
    summarizer = Summarizer(
        settings=Settings(model="m", api_key="k", retry=FAST), http_client=server.client()
    )
    with pytest.raises(ModelUnreachable) as caught:
        summarizer.summarize(ARTICLE_000)
    assert len(server.requests) == FAST.max_attempts
    assert caught.value.attempts == FAST.max_attempts
    assert "HTTP 503" in str(caught.value)


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(status(400, '{"error": {"message": "bad request"}}'), id="400"),
        pytest.param(status(401, '{"error": {"message": "invalid key"}}'), id="401"),
        pytest.param(
            # llama-cpp-python's answer to a response_format it does not take
            status(500, '{"error": {"message": "1 validation error for ResponseFormat"}}'),
            id="500-request-validation",
        ),
    ],
)
def test_rejected_request_is_not_retried(fault: Step) -> None:
    server = StubServer([fault])
    summarizer = Summarizer(
        settings=Settings(model="m", api_key="k", retry=FAST), http_client=server.client()
    )
    with pytest.raises(RequestRejected):
        summarizer.summarize(ARTICLE_000)
    assert len(server.requests) == 1


def test_non_network_connection_error_fails_at_once() -> None:
    """A fault raised by the client itself (like an unrecorded cassette request) is no outage."""
    server = StubServer([RuntimeError("no cassette holds this request")])
    summarizer = Summarizer(
        settings=Settings(model="m", api_key="k", retry=FAST), http_client=server.client()
    )
    with pytest.raises(ModelUnreachable, match="no cassette holds this request"):
        summarizer.summarize(ARTICLE_000)
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param({"retry-after": "3"}, 3.0, id="seconds"),
        pytest.param({"retry-after": "1.5"}, 1.5, id="fraction"),
        pytest.param({"retry-after-ms": "250"}, 0.25, id="milliseconds"),
        pytest.param(
            {"retry-after": email.utils.formatdate(1_000_010, usegmt=True)}, 10.0, id="date"
        ),
        pytest.param({"retry-after": "soon"}, None, id="unreadable"),
        pytest.param({}, None, id="absent"),
    ],
)
def test_retry_after_is_read(headers: dict[str, str], expected: float | None) -> None:
    request = httpx2.Request("POST", URL)
    error = openai.RateLimitError(
        "slow down", response=httpx2.Response(429, headers=headers, request=request), body=None
    )
    assert retry_after_seconds(error, now=1_000_000) == expected


def _rate_limited(retry_after: str) -> openai.RateLimitError:
    request = httpx2.Request("POST", URL)
    response = httpx2.Response(429, headers={"retry-after": retry_after}, request=request)
    return openai.RateLimitError("slow down", response=response, body=None)


def test_backoff_honours_retry_after_up_to_the_cap() -> None:
    slept: list[float] = []
    calls = 0

    async def send() -> str:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise _rate_limited("2")
        if calls == 2:
            raise _rate_limited("100")  # within the 180 s bound: waited, at most the cap
        return "answer"

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    policy = RetryPolicy(max_retry_after=60.0)
    assert asyncio.run(send_with_retries(send, policy, lambda: None, sleep=sleep)) == "answer"
    assert slept == [2.0, 60.0]


def test_backoff_grows_with_jitter_without_retry_after() -> None:
    slept: list[float] = []

    async def send() -> str:
        raise openai.APITimeoutError(request=httpx2.Request("POST", URL))

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    policy = RetryPolicy(max_attempts=5, initial_wait=1.0, max_wait=8.0)
    with pytest.raises(ModelUnreachable):
        asyncio.run(send_with_retries(send, policy, lambda: None, sleep=sleep))
    assert len(slept) == 4 and all(0 <= s <= 8.0 for s in slept)


def test_total_time_is_bounded() -> None:
    async def send() -> str:
        await asyncio.sleep(0.05)
        raise openai.APITimeoutError(request=httpx2.Request("POST", URL))

    policy = RetryPolicy(
        max_attempts=1000, initial_wait=0.001, max_wait=0.001, max_total_seconds=0.2
    )
    started = time.monotonic()
    with pytest.raises(ModelUnreachable):
        asyncio.run(send_with_retries(send, policy, lambda: None))
    assert time.monotonic() - started < 5


def test_classification() -> None:
    request = httpx2.Request("POST", URL)
    assert is_transient(openai.APITimeoutError(request=request))
    assert not is_transient(ValueError("not a transport fault"))


def test_retry_after_past_the_bound_fails_at_once_saying_what_was_asked() -> None:
    slept: list[float] = []
    calls = 0

    async def send() -> str:
        nonlocal calls
        calls += 1
        raise _rate_limited("86400")

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    started = time.monotonic()
    with pytest.raises(ModelUnreachable) as caught:
        asyncio.run(send_with_retries(send, RetryPolicy(), lambda: None, sleep=sleep))
    assert calls == 1 and slept == []
    assert time.monotonic() - started < 1
    assert "the server asked to retry after 86400 s, past the 180 s limit" in str(caught.value)


def test_a_wait_that_would_end_past_the_bound_is_not_begun() -> None:
    calls = 0

    async def send() -> str:
        nonlocal calls
        calls += 1
        raise _rate_limited("0.4")

    policy = RetryPolicy(max_attempts=10, max_total_seconds=1.0)
    started = time.monotonic()
    with pytest.raises(ModelUnreachable, match=r"asked to retry after 0\.4 s, past the 1 s limit"):
        asyncio.run(send_with_retries(send, policy, lambda: None))
    # Requests at 0, 0.4 and 0.8 s; a third wait would end at 1.2 s, so it is not begun.
    assert calls == 3
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize(
    ("interval", "timeout", "policy", "says", "bound"),
    [
        pytest.param(
            0.2,  # a byte every 0.2 s: no read ever waits long, the body takes 90 s
            1.0,
            RetryPolicy(max_attempts=2, initial_wait=0.01, max_wait=0.01),
            r"no answer within 1 s \(2 attempt",
            5.0,  # without a deadline: 90 s
            id="body-dribbles",
        ),
        pytest.param(
            None,  # headers, then silence
            3.0,
            RetryPolicy(max_attempts=100, initial_wait=0.01, max_wait=0.01, max_total_seconds=1.0),
            r"no answer within the 1 s limit for one answer",
            2.5,  # without the bound on one answer: 3 s
            id="hangs-after-headers",
        ),
    ],
)
def test_deadlines_bound_a_real_slow_server(
    interval: float | None, timeout: float, policy: RetryPolicy, says: str, bound: float
) -> None:
    with serve_slowly(interval) as server:
        summarizer = Summarizer(
            model="m", base_url=server.url, api_key="k", timeout=timeout, retry=policy
        )
        started = time.monotonic()
        with pytest.raises(ModelUnreachable, match=says) as caught:
            summarizer.summarize(ARTICLE_000)
        elapsed = time.monotonic() - started
    assert elapsed < bound
    assert "unreachable" not in str(caught.value)  # it answered, too slowly


def test_a_request_given_up_is_closed_so_the_server_can_stop() -> None:
    """A server that is never told the client left goes on generating for nobody."""
    with serve_slowly(0.02) as server:
        summarizer = Summarizer(
            model="m",
            base_url=server.url,
            api_key="k",
            timeout=0.3,
            retry=RetryPolicy(max_attempts=1),
        )
        with pytest.raises(ModelUnreachable, match="no answer within"):
            summarizer.summarize(ARTICLE_000)
        assert server.abandoned.wait(5), "the server never saw the connection close"

"""Transport retries: one tenacity policy for every request sent to the model.

Retried: 408, 409, 429, 5xx, deadlines and real connection faults, with exponential backoff
and jitter, honouring ``Retry-After`` (seconds or an HTTP date), bounded in attempts and in
total time. Not retried: a request the server refused as such (other 4xx, or a 500 whose body
is a request-validation message, as llama-cpp-python answers an unsupported
``response_format``), an answer that is not a chat completion at all (a web page: see
``shape.py``), and a connection error that did not come from the network (a test's unrecorded
request, a bug), which must surface at once.

Time is bounded by deadlines, not by read timeouts (a server that sends its headers and then
one byte a second never trips a read timeout):

- each request has ``RetryPolicy.request_timeout`` seconds (``Settings.timeout``,
  ``--timeout``) from connecting to its last byte;
- one answer, all its retries and waits included, has ``RetryPolicy.max_total_seconds``
  (180 s): each request's deadline is cut to what remains, and a wait that would end past it
  is not begun. A ``Retry-After`` longer than what remains fails at once, saying what the
  server asked for.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx2
import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_any,
    wait_random_exponential,
)
from tenacity.stop import stop_base

from ..errors import ModelUnreachable, RequestRejected, UnexpectedResponse
from .shape import problem_of

T = TypeVar("T")

RETRYABLE_STATUS = frozenset({408, 409, 429})
# A 500 with such a body is the server rejecting our request, not failing to serve it.
_REJECTION_BODY = re.compile(
    r"validation error|input should be|field required|extra inputs|unrecognized|not supported"
    r"|unsupported|invalid request",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RetryPolicy:
    """How long and how often one answer is asked for over the wire.

    ``request_timeout`` bounds each request from connecting to its last byte (``Settings``
    sets it from ``Settings.timeout``); ``max_total_seconds`` bounds one answer, every request
    and wait included. A ``Retry-After`` is waited as asked, at most ``max_retry_after``
    seconds at a time; one that would end past ``max_total_seconds`` fails at once.
    """

    max_attempts: int = 6
    max_total_seconds: float = 180.0
    initial_wait: float = 1.0
    max_wait: float = 30.0
    max_retry_after: float = 60.0
    request_timeout: float = 120.0


class _NoAnswerInTime(Exception):
    """A request's deadline passed before its last byte arrived."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no answer within {_seconds(seconds)} s")
        self.seconds = seconds


def is_rejection(exc: BaseException) -> bool:
    if not isinstance(exc, openai.APIStatusError):
        return False
    if exc.status_code >= 500:
        return bool(_REJECTION_BODY.search(_body_text(exc)))
    return exc.status_code not in RETRYABLE_STATUS


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, _NoAnswerInTime | openai.APITimeoutError):
        return True
    if isinstance(exc, openai.APIConnectionError):
        return _caused_by_network(exc)
    if isinstance(exc, openai.APIStatusError):
        retryable = exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500
        return retryable and not is_rejection(exc)
    return False


def retry_after_seconds(exc: BaseException, now: float | None = None) -> float | None:
    """The server's ``Retry-After`` (or ``retry-after-ms``) in seconds, when it sent one."""
    response = getattr(exc, "response", None)
    if response is None:
        return None
    headers = response.headers
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(float(ms) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(parsed.timestamp() - (now if now is not None else time.time()), 0.0)


async def send_with_retries(
    send: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    on_attempt: Callable[[], None],
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> T:
    """Call ``send`` until it answers, a fault is not transient, or the policy is spent.

    ``on_attempt`` runs before every request, so the caller counts requests sent.
    Each call of ``send`` has ``policy.request_timeout`` seconds, cut to what remains of
    ``policy.max_total_seconds``. Raises ``ModelUnreachable`` (no answer in time),
    ``RequestRejected`` or ``UnexpectedResponse``, chained to the last fault.
    """
    jitter = wait_random_exponential(multiplier=policy.initial_wait, max=policy.max_wait)
    deadline = time.monotonic() + policy.max_total_seconds

    def remaining() -> float:
        return deadline - time.monotonic()

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        hinted = retry_after_seconds(exc) if exc is not None else None
        return min(hinted, policy.max_retry_after) if hinted is not None else jitter(state)

    extra = {"sleep": sleep} if sleep is not None else {}
    retrying = AsyncRetrying(
        stop=stop_any(stop_after_attempt(policy.max_attempts), _OutOfTime(remaining)),
        wait=wait,
        retry=retry_if_exception(is_transient),
        reraise=True,
        **extra,  # type: ignore[arg-type]
    )
    attempts = 0
    try:
        async for attempt in retrying:
            with attempt:
                attempts += 1
                on_attempt()
                return await _within(send, min(policy.request_timeout, remaining()))
    except (openai.APIResponseValidationError, json.JSONDecodeError) as exc:
        # The SDK could not read the body as JSON, or as the completion it expected.
        body = exc.doc if isinstance(exc, json.JSONDecodeError) else exc.response.text
        problem = problem_of(body) or "something that is not a chat completion"
        raise UnexpectedResponse(f"the server answered with {problem}") from exc
    except (_NoAnswerInTime, openai.APITimeoutError) as exc:
        seconds = getattr(exc, "seconds", policy.request_timeout)
        if seconds < policy.request_timeout:  # cut short by the bound on one answer
            within = f"the {_seconds(policy.max_total_seconds)} s limit for one answer"
        else:
            within = f"{_seconds(seconds)} s"
        raise ModelUnreachable(
            f"no answer within {within} ({attempts} attempt(s)): the server is slow or stalled"
        ) from exc
    except openai.APIConnectionError as exc:
        if not _caused_by_network(exc):
            raise ModelUnreachable(
                f"request failed before reaching the server: {exc.__cause__}"
            ) from exc
        raise ModelUnreachable(
            f"model server unreachable after {attempts} attempt(s): {describe(exc)}"
        ) from exc
    except openai.APIError as exc:
        hinted = retry_after_seconds(exc)
        if is_transient(exc) and hinted is not None and hinted >= remaining():
            raise ModelUnreachable(
                f"the server asked to retry after {_seconds(hinted)} s, past the "
                f"{_seconds(policy.max_total_seconds)} s limit for one answer ({describe(exc)})"
            ) from exc
        if is_transient(exc):
            raise ModelUnreachable(
                f"model server unreachable after {attempts} attempt(s): {describe(exc)}"
            ) from exc
        raise RequestRejected(f"model server refused the request: {describe(exc)}") from exc
    raise AssertionError("unreachable: tenacity either returns or raises")


class _OutOfTime(stop_base):
    """Stop before a wait that would end past the deadline, or one the server asked for."""

    def __init__(self, remaining: Callable[[], float]) -> None:
        self.remaining = remaining

    def __call__(self, state: RetryCallState) -> bool:
        # Called after the wait is chosen (tenacity sets ``upcoming_sleep`` first).
        exc = state.outcome.exception() if state.outcome else None
        hinted = retry_after_seconds(exc) if exc is not None else None
        return max(state.upcoming_sleep, hinted or 0.0) >= self.remaining()


async def _within(send: Callable[[], Awaitable[T]], seconds: float) -> T:
    """``send()`` with a deadline on the whole request, connect to last byte."""
    if seconds <= 0:
        raise _NoAnswerInTime(0.0)
    try:
        async with asyncio.timeout(seconds):
            return await send()
    except TimeoutError as exc:
        raise _NoAnswerInTime(seconds) from exc


def _seconds(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".removesuffix(".0")


def describe(exc: BaseException) -> str:
    """One line for a transport fault, without the request (it may hold a key in a URL)."""
    if isinstance(exc, openai.APIStatusError):
        detail = " ".join(_body_text(exc).split())[:200]
        return f"HTTP {exc.status_code}" + (f": {detail}" if detail else "")
    if isinstance(exc, openai.APITimeoutError):
        return "no answer in time (request timed out)"
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__
        return f"connection failed ({type(cause).__name__ if cause else 'no detail'})"
    return type(exc).__name__


def _body_text(exc: openai.APIStatusError) -> str:
    try:
        return exc.response.text
    except Exception:  # a streamed or closed body has no text to show
        return str(exc.body or "")


def _caused_by_network(exc: BaseException) -> bool:
    seen: BaseException | None = exc.__cause__ or exc.__context__
    while seen is not None:
        if isinstance(seen, httpx2.TransportError | OSError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False

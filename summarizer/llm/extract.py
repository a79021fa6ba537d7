"""One structured extraction: instructor's re-ask loop over a transport-retried request.

Two loops, kept apart:
- below instructor, ``transport.send_with_retries`` retries faults of the wire; the model never
  sees them and instructor never counts them;
- instructor re-asks when validation fails (``max_retries`` = re-asks), pasting only the
  validation reasons into the next request.
Every request sent is counted in ``Ledger.attempts`` and its tokens summed in ``Ledger.usage``,
failed attempts included. A token budget stops re-asks once spent.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from pydantic import BaseModel, ValidationError

from ..answer import ValidationContext
from ..config import Settings
from ..errors import BudgetExceeded, InvalidAnswer, ModelError
from ..usage import Usage
from .prefetch import take as take_prefetched
from .request import ask
from .shape import check_completion
from .transport import send_with_retries

# instructor logs every failed attempt at ERROR; with no handler configured, Python prints such
# records on stderr. A library leaves logging to the application: a handler the application
# sets (on the root logger, say) still receives them; nothing reaches stderr on its own.
logging.getLogger("instructor").addHandler(logging.NullHandler())


@dataclass
class Ledger:
    """What one extraction cost: requests sent, model calls made, tokens."""

    attempts: int = 0  # requests sent, transport retries included
    calls: int = 0  # answers asked for, every extraction of the article: first ones and re-asks
    reasks: int = 0  # answers asked for again because the one before failed validation
    usage: Usage = field(default_factory=Usage)
    model_seconds: float = 0.0  # time spent waiting on the server, backoff included
    # Why each answer that failed validation was sent back: one list of reasons per answer.
    rejected: list[list[str]] = field(default_factory=list)


class _BudgetSpent(Exception):
    """Raised inside instructor's loop to stop it; turned into BudgetExceeded outside."""


async def extract(
    client: openai.AsyncOpenAI,
    settings: Settings,
    answer_model: type[BaseModel],
    messages: list[dict[str, str]],
    context: ValidationContext,
    ledger: Ledger,
) -> Any:
    """Ask for one ``answer_model`` (e.g. ``answer.MeetingAnswer``) until it validates.

    Raises ``InvalidAnswer`` (re-asks spent), ``BudgetExceeded``, ``ModelUnreachable`` or
    ``RequestRejected``; each carries the ledger's attempts and usage.
    """
    budget = settings.max_tokens_per_article
    asked = 0  # answers asked for in this extraction: the first one, then the re-asks

    async def create(**kwargs: Any) -> Any:
        nonlocal asked
        if budget is not None and ledger.calls and ledger.usage.total_tokens >= budget:
            raise _BudgetSpent
        ledger.calls += 1
        asked += 1
        if asked > 1:
            ledger.reasks += 1

        def count() -> None:
            ledger.attempts += 1

        started = time.perf_counter()
        try:
            response = take_prefetched(kwargs)  # a batch's answer to this very request
            if response is None:
                response = await send_with_retries(
                    lambda: client.chat.completions.create(**kwargs), settings.retry, count
                )
            else:
                count()
        finally:
            ledger.model_seconds += time.perf_counter() - started
        check_completion(response)  # a web page or an empty answer is not the model's fault
        ledger.usage.add(getattr(response, "usage", None))
        return response

    hooks = Hooks()
    hooks.on("parse:error", lambda error: ledger.rejected.append(reasons_of(error)))
    try:
        return await ask(settings, answer_model, messages, context, create, hooks)
    except InstructorRetryException as exc:
        raise _typed_error(exc, ledger, asked) from exc
    except IncompleteOutputException as exc:
        # finish_reason "length": the server stopped the answer mid-way; asking again the
        # same way would stop it again, so this is final for the article.
        raise InvalidAnswer(
            "answer cut off at the server's output token limit (finish_reason=length): raise "
            "--max-output-tokens or the server's context",
            reasons=["the answer was cut off before it ended"],
            last_answer=raw_answer(getattr(exc, "last_completion", None)),
            attempts=ledger.attempts,
            usage=ledger.usage,
        ) from exc


def _typed_error(exc: Any, ledger: Ledger, asked: int) -> ModelError:
    cause = exc.__cause__
    if isinstance(cause, ModelError):
        cause.attempts, cause.usage = ledger.attempts, ledger.usage
        return cause
    failed = list(getattr(exc, "failed_attempts", None) or [])
    last_error = failed[-1].exception if failed else cause
    reasons = reasons_of(last_error) if last_error is not None else [str(exc)]
    last_answer = raw_answer(getattr(exc, "last_completion", None))
    if isinstance(cause, _BudgetSpent):
        return BudgetExceeded(
            f"token budget spent ({ledger.usage.total_tokens} tokens) before a valid answer",
            reasons=reasons,
            last_answer=last_answer,
            attempts=ledger.attempts,
            usage=ledger.usage,
        )
    return InvalidAnswer(
        f"answer still invalid after {max(asked - 1, 0)} re-ask(s): " + "; ".join(reasons)[:500],
        reasons=reasons,
        last_answer=last_answer,
        attempts=ledger.attempts,
        usage=ledger.usage,
    )


def reasons_of(error: BaseException) -> list[str]:
    """One line per failing item, as the re-ask named it."""
    if isinstance(error, ValidationError):
        reasons: list[str] = []
        for item in error.errors(include_url=False):
            if item["type"] == "summary_check":
                reasons += [line.removeprefix("- ") for line in item["msg"].splitlines()]
            else:
                where = ".".join(str(part) for part in item["loc"])
                reasons.append(f"{where}: {item['msg']}" if where else item["msg"])
        return reasons
    if isinstance(error, json.JSONDecodeError):
        return [f"{error.msg} (line {error.lineno}, column {error.colno})"]
    return [str(error)]


def raw_answer(completion: Any) -> Any:
    """The model's last answer as it wrote it: tool arguments or message text, parsed if JSON."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    calls = getattr(message, "tool_calls", None) or []
    text = calls[0].function.arguments if calls else message.content
    try:
        return json.loads(text, strict=False) if isinstance(text, str) else text
    except json.JSONDecodeError:
        return text

"""One structured extraction: a request, then repairs until the answer passes every check.

Two loops, kept apart:
- below, ``transport.send_with_retries`` retries faults of the wire; the model never sees them;
- here, an answer that fails is re-asked (``settings.reasks`` times at most): a well-formed
  answer whose items fail checks gets a *repair* (``repair.py``: only the failing items, each
  with its segment, answered as a patch); an answer that cannot be read as the schema gets a
  whole re-ask naming what was wrong. An answer identical to the one before ends the re-asks
  at once: asking again would bring it again. Each re-ask moves the sampling a little
  (``request.moved``), recorded in ``Ledger.sampling``.
Every request sent is counted in ``Ledger.attempts`` and its tokens summed in ``Ledger.usage``,
failed attempts included. A token budget stops re-asks once spent.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import openai
from pydantic import BaseModel, ValidationError

from ..answer import CONTEXT_KEY, ValidationContext, loads_lenient, read_model_shape
from ..checks import CheckContext, check_summary
from ..config import Settings
from ..errors import AnswerCutOff, BudgetExceeded, InvalidAnswer, ModelError
from ..prompts import render_template
from ..repair import RepairRequest, apply_repair, repair_request
from ..usage import Usage
from .prefetch import take as take_prefetched
from .request import build_body, output_budget
from .shape import check_completion
from .transport import send_with_retries


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
    # The temperature and seed of each call, in order.
    sampling: list[dict[str, float | int | None]] = field(default_factory=list)


async def extract(
    client: openai.AsyncOpenAI,
    settings: Settings,
    answer_model: type[BaseModel],
    messages: list[dict[str, str]],
    context: ValidationContext,
    ledger: Ledger,
) -> Any:
    """Ask for one ``answer_model`` (e.g. ``answer.MeetingAnswer``) until it validates.

    Raises ``InvalidAnswer`` (re-asks spent, or the model repeated itself),
    ``BudgetExceeded``, ``ModelUnreachable`` or ``RequestRejected``; each carries the
    ledger's attempts and usage.
    """
    try:
        return await _extract(client, settings, answer_model, messages, context, ledger)
    except ModelError as exc:  # what the whole extraction cost, not the last request alone
        exc.attempts, exc.usage = ledger.attempts, ledger.usage
        raise


async def _extract(
    client: openai.AsyncOpenAI,
    settings: Settings,
    answer_model: type[BaseModel],
    messages: list[dict[str, str]],
    context: ValidationContext,
    ledger: Ledger,
) -> Any:
    conversation, request_model = messages, answer_model
    max_tokens = output_budget(answer_model)
    repair: RepairRequest | None = None
    previous: Any = None  # the last answer read (a repair applied), to spot a repeat
    reasons: list[str] = []
    for reask in range(settings.reasks + 1):
        if reask:
            _check_budget(settings, ledger, reasons, previous)
            ledger.reasks += 1
        body = build_body(settings, request_model, conversation, reask=reask, max_tokens=max_tokens)
        text = await _answer_text(client, settings, body, ledger)
        candidate = _read(answer_model, text, repair, previous)
        if reask and candidate is not None and _same(answer_model, candidate, previous):
            reasons = [*reasons, "the re-ask brought back the same answer"]
            break
        if candidate is not None:
            previous = candidate
        try:
            return answer_model.model_validate_json(
                json.dumps(previous) if candidate is not None else text, context=context
            )
        except (ValidationError, ValueError) as error:  # JSONDecodeError is a ValueError
            reasons = reasons_of(error)
            ledger.rejected.append(reasons)
        repair = _repair_for(answer_model, previous, context)
        follow_up = repair.message if repair else render_template("reask.j2", reasons=reasons)
        shown = json.dumps(previous, ensure_ascii=False) if previous is not None else text
        conversation = [
            *messages,
            {"role": "assistant", "content": shown},
            {"role": "user", "content": follow_up},
        ]
        request_model = repair.model if repair else answer_model
        max_tokens = repair.max_tokens if repair else output_budget(answer_model)
    raise InvalidAnswer(
        f"answer still invalid after {reask} re-ask(s): " + "; ".join(reasons)[:500],
        reasons=reasons,
        last_answer=previous if previous is not None else text,
        attempts=ledger.attempts,
        usage=ledger.usage,
    )


async def _answer_text(
    client: openai.AsyncOpenAI, settings: Settings, body: dict[str, Any], ledger: Ledger
) -> str:
    """Send one request (or take a batch's answer to it); the answer's text."""
    ledger.calls += 1
    ledger.sampling.append({"temperature": body["temperature"], "seed": body.get("seed")})

    def count() -> None:
        ledger.attempts += 1

    started = time.perf_counter()
    try:
        response = take_prefetched(body)  # a batch's answer to this very request
        if response is None:
            response = await send_with_retries(
                lambda: client.chat.completions.create(**body), settings.retry, count
            )
        else:
            count()
    finally:
        ledger.model_seconds += time.perf_counter() - started
    check_completion(response)  # a web page or an empty answer is not the model's fault
    ledger.usage.add(getattr(response, "usage", None))
    choice = response.choices[0]  # type: ignore[union-attr]  # check_completion saw it
    if choice.finish_reason == "length":
        # The server stopped the answer mid-way; asking again the same way would stop it
        # again, so this is final for the article.
        raise AnswerCutOff(
            "answer cut off at the output token limit (finish_reason=length): raise "
            "--max-output-tokens or the server's context",
            reasons=["the answer was cut off before it ended"],
            last_answer=raw_answer(response),
            attempts=ledger.attempts,
            usage=ledger.usage,
        )
    calls = getattr(choice.message, "tool_calls", None) or []
    text = calls[0].function.arguments if calls else choice.message.content
    return text if isinstance(text, str) else ""


def _read(
    answer_model: type[BaseModel], text: str, repair: RepairRequest | None, previous: Any
) -> Any:
    """The answer a response stands for: a whole answer, or the previous one with a repair
    applied; None when it cannot be read (its errors are then the re-ask's)."""
    try:
        data = loads_lenient(text)
    except ValueError:
        return None
    if repair is not None and _patch(data, repair):
        data = read_model_shape(data)
    else:  # a model asked for a repair may still answer in whole
        envelope = getattr(answer_model, "envelope", None)
        return envelope(data) if envelope is not None else data
    try:
        patch = repair.model.model_validate(data)
    except ValidationError:
        return None
    return apply_repair(previous, repair.keys, patch)


def _patch(data: Any, repair: RepairRequest) -> bool:
    """An answer to a repair, not a whole answer: only keys the repair asked for (a patch of
    ``headline`` and ``summary`` is no bare summary, though it has their names)."""
    return isinstance(data, dict) and bool(data) and set(data) <= set(repair.keys)


def _same(answer_model: type[BaseModel], one: Any, other: Any) -> bool:
    """Two answers that say the same: equal once read by the schema (a patch spells out
    defaults a whole answer leaves out), or equal as written when either does not read."""
    try:
        return bool(
            answer_model.model_validate(one).model_dump()
            == answer_model.model_validate(other).model_dump()
        )
    except ValidationError:
        return bool(one == other)


def _repair_for(
    answer_model: type[BaseModel], answer: Any, context: ValidationContext
) -> RepairRequest | None:
    """A repair of ``answer``'s failing items; None when a whole re-ask is needed instead."""
    summary_type = getattr(answer_model, "summary_type", None)
    ctx = context.get(CONTEXT_KEY)
    if summary_type is None or not isinstance(ctx, CheckContext) or not isinstance(answer, dict):
        return None
    try:
        parsed = answer_model.model_validate(answer)  # the schema alone: no context, no checks
    except ValidationError:
        return None
    summary = getattr(parsed, "summary", None)
    if summary is None:
        return None
    failures = check_summary(summary, ctx).failures
    if not failures:
        return None
    return repair_request(summary_type, answer, failures, ctx.index)


def _check_budget(settings: Settings, ledger: Ledger, reasons: list[str], last: Any) -> None:
    budget = settings.max_tokens_per_article
    if budget is not None and ledger.usage.total_tokens >= budget:
        raise BudgetExceeded(
            f"token budget spent ({ledger.usage.total_tokens} tokens) before a valid answer",
            reasons=reasons,
            last_answer=last,
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

"""The chat-completion request for one answer, built one way for live calls and batch files.

instructor builds the body (messages, tools or response_format as the mode wants); this module
adds the sampling settings and the mode's own touches, and hands the finished body to a
``send`` function. A live call sends it (``extract.extract``); a batch captures it
(``first_body``) instead of sending. Both go through ``ask``, so the body a batch file holds is
the body the live path would send first, by construction.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

import instructor
from instructor.core.exceptions import InstructorRetryException
from instructor.core.hooks import Hooks
from pydantic import BaseModel

from ..config import Settings

INSTRUCTOR_MODES = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}

Send = Callable[..., Awaitable[Any]]


@functools.cache
def prepared_model(answer_model: type[BaseModel]) -> type[BaseModel]:
    """instructor's wrapper class for a response model, made once.

    instructor wraps a plain model in a new class on every call (about 5 ms, and a class
    cache that fills); a model that is already wrapped is used as it is.
    """
    prepared: type[BaseModel] = instructor.response_schema(answer_model)
    return prepared


def sampling(settings: Settings) -> dict[str, Any]:
    """Model and sampling fields of every request; ``max_tokens`` only when set."""
    fields: dict[str, Any] = {"model": settings.model, "temperature": settings.temperature}
    if settings.seed is not None:
        fields["seed"] = settings.seed
    if settings.max_output_tokens is not None:
        fields["max_tokens"] = settings.max_output_tokens
    return fields


def ask(
    settings: Settings,
    answer_model: type[BaseModel],
    messages: list[dict[str, str]],
    context: dict[str, Any],
    send: Send,
    hooks: Hooks | None = None,
) -> Awaitable[Any]:
    """instructor's re-ask loop for one answer; every request body goes to ``send(**body)``."""

    async def create(**kwargs: Any) -> Any:
        if settings.mode == "json":
            # llama-cpp-python constrains its output by a schema attached to json_object.
            kwargs["response_format"] = {
                "type": "json_object",
                "schema": answer_model.model_json_schema(),
            }
        return await send(**kwargs)

    patched: Any = instructor.patch(create=create, mode=INSTRUCTOR_MODES[settings.mode])
    answer: Awaitable[Any] = patched(
        response_model=prepared_model(answer_model),
        messages=[dict(m) for m in messages],  # instructor appends re-asks to its copy
        max_retries=settings.reasks,
        context=context,
        strict=False,
        hooks=hooks,
        **sampling(settings),
    )
    return answer


class _Captured(Exception):
    """Stops instructor's loop once the first body is built; nothing is sent."""


async def first_body(
    settings: Settings,
    answer_model: type[BaseModel],
    messages: list[dict[str, str]],
    context: dict[str, Any],
) -> dict[str, Any]:
    """The body the live path sends first for these messages, built and not sent."""
    captured: list[dict[str, Any]] = []

    async def capture(**body: Any) -> Any:
        captured.append(body)
        raise _Captured

    try:
        await ask(settings, answer_model, messages, context, capture)
    except InstructorRetryException:
        if not captured:
            raise
    return captured[0]


def body_key(body: dict[str, Any]) -> str:
    """A short fingerprint of a request body: a batch answer is used only for its own body."""
    material = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(material.encode()).hexdigest()[:16]

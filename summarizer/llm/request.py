"""The chat-completion body for one answer, the same for live calls and batch files.

Each mode carries the answer's schema exactly once:
- ``tools``: as the one function's parameters, which ``tool_choice`` forces;
- ``json_schema``: as ``response_format.json_schema`` (OpenAI, vLLM, Ollama, llama-server);
- ``json``: as the schema of ``response_format`` ``json_object``, which llama-cpp-python's
  server compiles into a grammar (a server that ignores it should use ``md_json``);
- ``md_json``: in the prompt, for servers that constrain nothing.
The schema is the lean one (``lean.lean_schema``); the rules live in the prompt. How to answer
goes at the end of the last user message, so that the system prompt and the article stay a
byte-identical prefix across an article's requests (a local server reuses its cache for them).

This body is built by the library rather than by instructor: the repair loop
(``llm.extract``) sends requests instructor's re-ask loop cannot (only the failing items, with
another response model), and a mode must never carry the schema twice.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel

from ..config import Settings
from ..lean import lean_schema
from ..prompts import render_template

MODES = ("tools", "json_schema", "json", "md_json")


def sampling(settings: Settings, reask: int = 0) -> dict[str, Any]:
    """Model and sampling fields of a request; ``reask`` (from 1) moves them (``moved``)."""
    temperature, seed = moved(settings.temperature, settings.seed, reask)
    fields: dict[str, Any] = {"model": settings.model, "temperature": temperature}
    if seed is not None:
        fields["seed"] = seed
    return fields


# How far a re-ask moves the temperature: at temperature 0 a model asked the same thing
# answers the same way; a little randomness lets it find another reading of the article.
REASK_TEMPERATURE_STEP = 0.3
MAX_REASK_TEMPERATURE = 1.0


def moved(temperature: float, seed: int | None, reask: int) -> tuple[float, int | None]:
    """The temperature and seed of re-ask number ``reask`` (0: the first request).

    >>> moved(0.0, None, 0), moved(0.0, 7, 2)
    ((0.0, None), (0.6, 9))
    """
    if reask == 0:
        return temperature, seed
    warmer = min(MAX_REASK_TEMPERATURE, temperature + REASK_TEMPERATURE_STEP * reask)
    return round(max(temperature, warmer), 3), None if seed is None else seed + reask


def build_body(
    settings: Settings,
    answer_model: type[BaseModel],
    messages: list[dict[str, str]],
    *,
    reask: int = 0,
    max_tokens: int | None = None,
) -> dict[str, Any]:
    """The request body asking for one ``answer_model`` after ``messages``."""
    name = answer_model.__name__
    schema = lean_schema(answer_model.model_json_schema())
    compact = json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
    how = render_template("answer_format.j2", mode=settings.mode, function=name, schema=compact)
    body_messages = [dict(message) for message in messages]
    last = body_messages[-1]
    last["content"] = f"{last['content']}\n\n{how}"
    body: dict[str, Any] = {"messages": body_messages, **sampling(settings, reask)}
    limit = settings.max_output_tokens or max_tokens
    if limit is not None:
        body["max_tokens"] = limit
    if settings.mode == "tools":
        body["tools"] = [{"type": "function", "function": {"name": name, "parameters": schema}}]
        body["tool_choice"] = {"type": "function", "function": {"name": name}}
    elif settings.mode == "json_schema":
        body["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": name, "schema": schema},
        }
    elif settings.mode == "json":
        body["response_format"] = {"type": "json_object", "schema": schema}
    return body


def first_body(
    settings: Settings, answer_model: type[BaseModel], messages: list[dict[str, str]]
) -> dict[str, Any]:
    """The body the live path sends first for these messages (what a batch file holds)."""
    return build_body(settings, answer_model, messages, max_tokens=output_budget(answer_model))


def output_budget(answer_model: type[BaseModel]) -> int | None:
    """``max_tokens`` sized to what an answer of this model needs, unless the user set one:
    a server that is never told a limit may generate long after the client gave up."""
    budget: int | None = getattr(answer_model, "OUTPUT_TOKENS", None)
    return budget


def body_key(body: dict[str, Any]) -> str:
    """A short fingerprint of a request body: a batch answer is used only for its own body."""
    material = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(material.encode()).hexdigest()[:16]

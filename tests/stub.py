"""An in-process OpenAI-compatible server for tests: crafted answers in the exact wire format.

A script is a list of steps, one per request: a dict (the answer object, sent as tool-call
arguments or message content, as the request asked), a str (raw arguments, e.g. malformed
JSON), an ``httpx2.Response`` (an HTTP fault), or an exception (a transport fault).
A callable step computes the answer from the request body. The last step repeats once the
script runs out.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2

Step = (
    dict[str, Any] | str | httpx2.Response | Exception | Callable[[dict[str, Any]], dict[str, Any]]
)


def completion(
    request_body: dict[str, Any], answer: dict[str, Any] | str, index: int = 0
) -> dict[str, Any]:
    """An OpenAI chat completion carrying ``answer`` the way the request asked for it."""
    arguments = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
    message: dict[str, Any] = {"role": "assistant", "content": None, "refusal": None}
    tool_choice = request_body.get("tool_choice")
    if isinstance(tool_choice, dict):
        message["tool_calls"] = [
            {
                "id": f"call_{index:04d}",
                "type": "function",
                "function": {"name": tool_choice["function"]["name"], "arguments": arguments},
            }
        ]
        finish = "tool_calls"
    else:
        message["content"] = arguments
        finish = "stop"
    prompt_tokens = len(json.dumps(request_body["messages"], ensure_ascii=False)) // 4
    completion_tokens = len(arguments) // 4
    return {
        "id": f"chatcmpl-handwritten-{index:04d}",
        "object": "chat.completion",
        "created": 1_732_000_000,
        "model": request_body["model"],
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
        "system_fingerprint": "handwritten",
    }


class StubServer:
    """Serves a script of steps; ``requests`` keeps every request body it received."""

    def __init__(self, steps: list[Step]) -> None:
        self.steps = list(steps)
        self.requests: list[dict[str, Any]] = []

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(json.loads(request.content))
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx2.Response):
            return step
        if callable(step):  # an answer computed from the request, e.g. per part of an article
            step = step(self.requests[-1])
        return httpx2.Response(200, json=completion(self.requests[-1], step, len(self.requests)))

    def client(self) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(transport=httpx2.MockTransport(self.handle))

    def reask_texts(self) -> list[str]:
        """What each re-ask told the model: the text after the first answer, per request."""
        texts = []
        for body in self.requests[1:]:
            last = body["messages"][-1]
            texts.append(last.get("content") or "")
        return texts


def stub_client(answers: list[Step]) -> httpx2.AsyncClient:
    return StubServer(answers).client()

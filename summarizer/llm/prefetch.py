"""Answers that came back from a batch, handed to the live path as its first response.

A batch answer is validated by the very path a live answer takes: the article is summarised
as usual, and the request whose body matches the batch request (``request.body_key``) takes
the batch's answer instead of going to the server. An answer that fails validation is then
re-asked live, with the same re-ask messages a live answer gets. A body that does not match
(settings changed since the batch was written) is simply sent live.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pydantic
from openai.types.chat import ChatCompletion

from .request import body_key


@dataclass
class Prefetched:
    """One batch answer (an OpenAI chat completion object) for the request ``key``."""

    key: str
    completion: dict[str, Any]
    served: bool = False  # the answer was handed to its request
    live: int = 0  # requests of the same article that went to the server instead

    @property
    def alone(self) -> bool:
        """True when the batch's answer was the article's only request."""
        return self.served and not self.live


_CURRENT: contextvars.ContextVar[Prefetched | None] = contextvars.ContextVar(
    "prefetched_answer", default=None
)


@contextmanager
def prefetched(answer: Prefetched) -> Iterator[Prefetched]:
    """Offer ``answer`` to the requests made inside the block (this task only)."""
    token = _CURRENT.set(answer)
    try:
        yield answer
    finally:
        _CURRENT.reset(token)


def take(body: dict[str, Any]) -> ChatCompletion | None:
    """The batch answer for this request body, once; None: send it live."""
    answer = _CURRENT.get()
    if answer is None:
        return None
    completion = None
    if not answer.served and body_key(body) == answer.key:
        try:
            completion = ChatCompletion.model_validate(answer.completion)
        except pydantic.ValidationError:
            pass  # not a completion: the live path asks the server instead
    if completion is None:
        answer.live += 1
        return None
    answer.served = True
    return completion

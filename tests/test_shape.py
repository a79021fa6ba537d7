"""Answers that are not chat completions fail at once, saying what came back; never re-asked."""

from __future__ import annotations

import json

import httpx2
import pytest

from summarizer import Summarizer
from summarizer.config import Settings
from summarizer.errors import InvalidAnswer, UnexpectedResponse
from summarizer.llm.transport import RetryPolicy

from .crafted import ARTICLE_000
from .stub import StubServer


def _completion(**changes: object) -> str:
    body = {"id": "x", "object": "chat.completion", "created": 1, "model": "m", **changes}
    return json.dumps(body)


def _page(body: str, content_type: str = "application/json") -> httpx2.Response:
    return httpx2.Response(200, text=body, headers={"content-type": content_type})


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        pytest.param(
            _page(_completion(choices=[{"index": 0, "message": None, "finish_reason": "stop"}])),
            "a chat completion whose message is null",
            id="null-message",
        ),
        pytest.param(
            _page(_completion(choices=[])), "a chat completion with no choices", id="no-choices"
        ),
        pytest.param(
            _page("<!DOCTYPE html><html><body>Welcome to nginx!</body></html>", "text/html"),
            "an HTML page, not a chat completion: is the base URL right (…/v1)?",
            id="html-page",
        ),
        pytest.param(
            _page("<html><head><title>Sign in</title></head></html>"),
            "an HTML page, not a chat completion",
            id="html-labelled-json",
        ),
        pytest.param(_page("[1, 2, 3]"), "a JSON array, not a chat completion", id="json-array"),
        pytest.param(_page('"ok"'), "text, not a chat completion ('ok')", id="json-string"),
    ],
)
def test_a_non_completion_is_named_and_not_reasked(answer: httpx2.Response, says: str) -> None:
    server = StubServer([answer])
    settings = Settings(
        model="m", api_key="k", reasks=2, retry=RetryPolicy(max_attempts=3, initial_wait=0.001)
    )
    summarizer = Summarizer(settings=settings, http_client=server.client())
    with pytest.raises(UnexpectedResponse) as caught:
        summarizer.summarize(ARTICLE_000)
    assert not isinstance(caught.value, InvalidAnswer)  # not blamed on the model
    assert len(server.requests) == 1  # neither re-asked nor retried
    assert says in str(caught.value)

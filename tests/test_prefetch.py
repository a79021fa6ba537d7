"""A batch's answer goes through the live path: validated, re-asked, counted, as a live one."""

from __future__ import annotations

from typing import Any

import pytest

from summarizer import InvalidAnswer, Summarizer
from summarizer.answer import ANSWERS
from summarizer.config import Settings
from summarizer.llm.prefetch import Prefetched, prefetched
from summarizer.llm.request import body_key, first_body
from summarizer.pipeline import part_requests
from summarizer.prepare import prepare

from .crafted import ARTICLE_000, NOT_IN_ARTICLE, good_meeting
from .stub import StubServer, completion


def ungrounded() -> dict[str, Any]:
    answer = good_meeting()
    answer["summary"]["topics"][0]["evidence"]["quote"] = NOT_IN_ARTICLE
    return answer


def batch_answer(settings: Settings, answer: dict[str, Any]) -> Prefetched:
    (request,) = part_requests(settings, prepare(ARTICLE_000, settings), "meeting", "en")
    body = first_body(settings, ANSWERS["meeting"], request.messages)
    return Prefetched(body_key(body), completion(body, answer))


def summarize(settings: Settings, server: StubServer, answer: Prefetched) -> Any:
    with prefetched(answer):
        return Summarizer(settings=settings, http_client=server.client()).summarize(ARTICLE_000)


SETTINGS = Settings(model="m", api_key="k", use_cache=False)


def test_a_valid_batch_answer_is_used_and_nothing_is_sent() -> None:
    server = StubServer([good_meeting()])
    answer = batch_answer(SETTINGS, good_meeting())
    result = summarize(SETTINGS, server, answer)
    assert server.requests == [] and answer.alone
    assert result.meta.attempts == 1 and result.meta.reasks == 0
    assert result.meta.usage["total_tokens"] > 0  # the batch's tokens are accounted
    ev = result.summary.topics[0].evidence
    assert ARTICLE_000[ev.start : ev.end] == ev.quote  # offsets filled by the library


def test_a_failing_batch_answer_is_reasked_live_naming_what_failed() -> None:
    server = StubServer([good_meeting()])
    answer = batch_answer(SETTINGS, ungrounded())
    result = summarize(SETTINGS, server, answer)
    assert len(server.requests) == 1 and not answer.alone
    assert NOT_IN_ARTICLE in str(server.requests[0]["messages"][2:])
    assert result.meta.attempts == 2 and result.meta.reasks == 1


def test_a_batch_answer_still_invalid_is_a_typed_error_with_its_last_answer() -> None:
    settings = SETTINGS.with_(reasks=0)
    server = StubServer([good_meeting()])
    with pytest.raises(InvalidAnswer) as caught:
        summarize(settings, server, batch_answer(settings, ungrounded()))
    assert server.requests == []
    assert caught.value.last_answer == ungrounded()
    assert any(NOT_IN_ARTICLE in reason for reason in caught.value.reasons)


def test_an_answer_to_another_body_is_not_used() -> None:
    """Settings changed since the batch was written: the request goes live."""
    server = StubServer([good_meeting()])
    answer = batch_answer(SETTINGS.with_(max_output_tokens=50), ungrounded())
    result = summarize(SETTINGS, server, answer)
    assert len(server.requests) == 1 and not answer.served
    assert result.meta.reasks == 0

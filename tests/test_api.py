"""The Python API's many-article form: order, failures as Results, nothing lost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from summarizer import Summarizer
from summarizer.config import Settings

from .crafted import ARTICLE_000, good_meeting
from .stub import StubServer


def many(server: StubServer) -> Summarizer:
    return Summarizer(
        settings=Settings(model="m", api_key="k", use_cache=False), http_client=server.client()
    )


def test_results_come_in_input_order_with_failures_in_place() -> None:
    server = StubServer([good_meeting()])
    texts = [ARTICLE_000, "   ", ARTICLE_000]
    results = list(many(server).summarize_many(texts, concurrency=2))
    assert [r.ok for r in results] == [True, False, True]
    assert "empty" in str(results[1].error)


def test_a_failed_article_keeps_what_it_cost() -> None:
    server = StubServer([{"summary": None, "no_event": None}])
    settings = Settings(model="m", api_key="k", use_cache=False, reasks=0)
    s = Summarizer(settings=settings, http_client=server.client())
    (result,) = s.summarize_many([ARTICLE_000])
    assert result.error is not None and result.meta is not None
    assert result.meta.attempts == 1 and result.meta.usage["total_tokens"] > 0


def test_an_unexpected_error_is_a_failed_result_not_a_lost_one() -> None:
    server = StubServer([good_meeting()])
    results = list(many(server).summarize_many([ARTICLE_000] * 3, unknown_option=True))
    assert len(results) == 3 and all("internal error" in str(r.error) for r in results)


def test_an_input_that_raises_reaches_the_caller() -> None:
    def texts() -> Iterator[str]:
        yield ARTICLE_000
        raise OSError("the input file went away")

    server = StubServer([good_meeting()])
    with pytest.raises(OSError, match="went away"):
        list(many(server).summarize_many(texts()))

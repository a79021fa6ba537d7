"""The model calls behind one summary: parts, synopsis, localisation, and how they are counted."""

from __future__ import annotations

import json
from typing import Any

import pytest

from summarizer import Summarizer
from summarizer.config import Settings
from summarizer.pipeline import extraction_language, part_requests
from summarizer.prepare import prepare
from summarizer.segments import numbered, segment

from .crafted import ARTICLE_000, NOT_IN_ARTICLE, good_meeting_ar
from .stub import StubServer
from .test_chunking import LONG_ARTICLE, per_part

SMALL = Settings(model="local-small-model", api_key="k", use_cache=False)


def test_a_long_article_is_one_request_per_part_labelled_with_the_lead() -> None:
    requests = part_requests(SMALL, prepare(LONG_ARTICLE, SMALL), "meeting", "en")
    assert len(requests) > 1
    for index, request in enumerate(requests):
        user = request.messages[-1]["content"]
        assert numbered(segment(request.part.text)) in user
        assert f"{index + 1} of {len(requests)}" in user
    assert [r.part.start for r in requests] == sorted(r.part.start for r in requests)
    (short,) = part_requests(SMALL, prepare(ARTICLE_000, SMALL), "meeting", "en")
    assert short.part.text == ARTICLE_000


def test_both_languages_extract_in_the_articles_own_first() -> None:
    article = prepare(ARTICLE_000, SMALL)
    assert extraction_language(article, "both") == "ar"
    assert extraction_language(article, "en") == "en"


def once_ungrounded(first_part_answers: list[int]) -> Any:
    """``per_part``, but the first answer for part 1 quotes what the article does not say."""

    def answer(body: dict[str, Any]) -> dict[str, Any]:
        good = per_part(body)
        if "Part 1 " in json.dumps(body["messages"], ensure_ascii=False) and not (
            first_part_answers
        ):
            first_part_answers.append(1)
            good["summary"]["topics"][0]["evidence"]["quote"] = NOT_IN_ARTICLE
        return good

    return answer


@pytest.mark.parametrize("reasks", [0, 1], ids=["no-reask", "one-reask"])
def test_reasks_count_reasks_only_not_parts_or_synopsis(reasks: int) -> None:
    step = once_ungrounded([]) if reasks else per_part
    server = StubServer([step])
    result = Summarizer(settings=SMALL, http_client=server.client()).summarize(LONG_ARTICLE)
    parts = result.meta.parts
    assert parts > 1
    assert result.meta.calls == parts + 1 + reasks  # each part, the synopsis, the re-ask
    assert result.meta.reasks == reasks


def test_the_localisation_call_is_not_a_reask() -> None:
    def answer(body: dict[str, Any]) -> dict[str, Any]:
        if body["tools"][0]["function"]["name"] == "Translation":
            request = body["messages"][-1]["content"].rsplit("\n\nAnswer by calling", 1)[0]
            items = json.loads(request)["items"]
            return {"items": [{"id": i["id"], "text": "English text"} for i in items]}
        return good_meeting_ar()

    server = StubServer([answer])
    result = Summarizer(settings=SMALL, http_client=server.client()).summarize(
        ARTICLE_000, lang="both"
    )
    assert result.meta is not None and isinstance(result.summary, dict)
    assert result.meta.calls == 2 and result.meta.reasks == 0
    assert set(result.summary) == {"en", "ar"}

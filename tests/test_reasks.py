"""Each re-ask path on crafted answers: what is sent back, how many requests, what comes out."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from typing import Any

import httpx2
import pytest

from summarizer import BudgetExceeded, InvalidAnswer, Summarizer
from summarizer.config import Settings

from .conftest import ROOT
from .crafted import ARTICLE_000, NOT_IN_ARTICLE, good_meeting, good_meeting_ar
from .stub import Step, StubServer


def run(steps: list[Step], **settings: Any) -> tuple[StubServer, Any]:
    server = StubServer(steps)
    s = Summarizer(
        settings=Settings(model="test-model", api_key="test", **settings),
        http_client=server.client(),
    )
    return server, s.summarize(ARTICLE_000, "meeting", "en")


def ungrounded() -> dict[str, Any]:
    answer = good_meeting()
    answer["summary"]["topics"][0]["evidence"]["quote"] = NOT_IN_ARTICLE
    return answer


def wrong_date() -> dict[str, Any]:
    answer = good_meeting()
    answer["summary"]["date"] = "2023-10-25"
    return answer


def arabic_in_english() -> dict[str, Any]:
    answer = good_meeting()
    answer["summary"]["headline"] = "لقاء وزيري الدفاع السعودي والغيني"
    return answer


def bad_enum() -> dict[str, Any]:
    answer = good_meeting()
    answer["summary"]["meeting_type"] = "summit"
    return answer


def invented_name_source() -> dict[str, Any]:
    answer = good_meeting()
    answer["summary"]["participants"][1]["name_source"] = "محمد علي"
    return answer


@pytest.mark.parametrize(
    ("broken", "named"),
    [
        pytest.param(ungrounded(), NOT_IN_ARTICLE, id="ungrounded-quote"),
        pytest.param(wrong_date(), "2023-10-25", id="date-against-date_text"),
        pytest.param(arabic_in_english(), "headline", id="wrong-script"),
        pytest.param(bad_enum(), "meeting_type", id="schema-violation"),
        pytest.param(invented_name_source(), "محمد علي", id="name_source-not-in-article"),
        pytest.param('{"summary": {"headline": "x", ', "not valid JSON", id="malformed-json"),
    ],
)
def test_one_reask_names_the_failing_item_then_accepts(broken: Step, named: str) -> None:
    server, result = run([broken, good_meeting()])
    assert len(server.requests) == 2
    assert result.meta.attempts == 2 and result.meta.reasks == 1
    (reask,) = server.reask_texts()
    assert named in reask
    assert result.summary.headline == good_meeting()["summary"]["headline"]


def test_reask_names_only_the_failing_items() -> None:
    server, _ = run([ungrounded(), good_meeting()])
    (reask,) = server.reask_texts()
    assert "topics[0]" in reask and "not in the article" in reask
    assert "participants" not in reask and "date" not in reask


def test_offsets_point_into_the_article_after_a_reask() -> None:
    _, result = run([ungrounded(), good_meeting()])
    for item in [*result.summary.participants, *result.summary.topics]:
        ev = item.evidence
        assert ARTICLE_000[ev.start : ev.end] == ev.quote.strip()
        assert ev.match == "exact"


def reworded(answer: dict[str, Any], n: int) -> dict[str, Any]:
    answer["summary"]["headline"] += f" ({n})"
    return answer


def test_reasks_spent_raise_typed_error_with_reasons_and_last_answer() -> None:
    server, result = None, None
    answers = [ungrounded(), reworded(ungrounded(), 1), reworded(ungrounded(), 2)]
    with pytest.raises(InvalidAnswer) as caught:
        server, result = run(answers, reasks=2)
    error = caught.value
    assert error.attempts == 3  # the first answer and two re-asks
    assert any(NOT_IN_ARTICLE in reason for reason in error.reasons)
    assert error.last_answer["summary"]["topics"][0]["evidence"]["quote"] == NOT_IN_ARTICLE
    assert error.usage.total_tokens > 0


def test_usage_sums_every_attempt() -> None:
    server, result = run([ungrounded(), good_meeting()])
    assert (
        result.meta.usage["total_tokens"]
        == sum(
            len(json.dumps(body["messages"], ensure_ascii=False)) // 4 for body in server.requests
        )
        + result.meta.usage["completion_tokens"]
    )


def test_token_budget_stops_reasks() -> None:
    with pytest.raises(BudgetExceeded) as caught:
        run([ungrounded()], reasks=5, max_tokens_per_article=100)
    assert caught.value.attempts == 1
    assert "budget" in str(caught.value)


def test_each_call_builds_its_own_messages() -> None:
    server = StubServer([ungrounded(), good_meeting(), good_meeting()])
    settings = Settings(model="test-model", api_key="test", use_cache=False)
    s = Summarizer(settings=settings, http_client=server.client())
    s.summarize(ARTICLE_000)
    s.summarize(ARTICLE_000)
    first_call_first_request, third_request = server.requests[0], server.requests[2]
    assert len(third_request["messages"]) == len(first_call_first_request["messages"])


def test_no_event_answer_costs_one_call() -> None:
    server, result = run([{"summary": None, "no_event": "A list of headlines, no meeting."}])
    assert len(server.requests) == 1
    assert result.summary is None
    assert result.meta.no_event == "A list of headlines, no meeting."


def test_no_event_written_as_none_is_null_and_the_summary_stands() -> None:
    answer = good_meeting()
    answer["no_event"] = "None"
    server, result = run([answer])
    assert len(server.requests) == 1 and result.summary is not None


def test_a_reason_given_beside_a_summary_says_there_is_no_event() -> None:
    """The model is sent a summary that cannot be null, so a reason is how it says none."""
    answer = good_meeting()
    answer["no_event"] = "a list of headlines"
    _, result = run([answer])
    assert result.summary is None and result.meta.no_event == "a list of headlines"


def test_neither_summary_nor_reason_is_reasked() -> None:
    server, result = run([{"summary": None, "no_event": None}, good_meeting()])
    assert "exactly one" in server.reask_texts()[0]
    assert result.summary is not None


def test_relative_date_resolves_from_published_date() -> None:
    answer = good_meeting()
    answer["summary"]["date_text"] = "اليوم الثلاثاء"
    server = StubServer([answer])
    s = Summarizer(
        settings=Settings(model="test-model", api_key="test"), http_client=server.client()
    )
    result = s.summarize(ARTICLE_000, published=dt.date(2023, 10, 24))
    assert result.summary.date == dt.date(2023, 10, 24)
    assert "2023-10-24" in server.requests[0]["messages"][0]["content"]


def test_both_reasks_a_translation_with_arabic_left_in() -> None:
    from summarizer.fields import text_slots
    from summarizer.schemas import MeetingSummary

    slots = text_slots(MeetingSummary.model_validate(good_meeting_ar()["summary"]))
    good = {"items": [{"id": i, "text": f"English text {i}"} for i in range(len(slots))]}
    bad = {"items": [*good["items"][:-1], {"id": len(slots) - 1, "text": "نص عربي لم يترجم"}]}
    missing = {"items": good["items"][1:]}
    server = StubServer([good_meeting_ar(), bad, missing, good])
    s = Summarizer(settings=Settings(model="m", api_key="k", reasks=2), http_client=server.client())
    result = s.summarize(ARTICLE_000, lang="both")
    assert len(server.requests) == 4 and result.meta.calls == 4
    first_reask, second_reask = server.reask_texts()[1:]
    assert f"item {len(slots) - 1} is not in English" in first_reask
    assert "items missing: [0]" in second_reask
    assert result.summary["en"].headline == "English text 0"
    assert result.summary["ar"].headline.startswith("وزيرا")


def test_arabic_summary_in_english_prose_is_reasked() -> None:
    english_prose = good_meeting_ar()
    english_prose["summary"]["summary"] = "The Saudi defence minister met his Guinean counterpart."
    server = StubServer([english_prose, good_meeting_ar()])
    s = Summarizer(settings=Settings(model="m", api_key="k"), http_client=server.client())
    result = s.summarize(ARTICLE_000, lang="ar")
    assert 'summary "The Saudi defence minister' in server.reask_texts()[0]
    assert "is not in Arabic" in server.reask_texts()[0]
    assert result.summary.output_language == "ar"


def test_meta_keeps_why_each_answer_was_sent_back() -> None:
    _, result = run([ungrounded(), wrong_date(), good_meeting()])
    first, second = result.meta.rejected
    assert any(NOT_IN_ARTICLE in reason for reason in first)
    assert any("2023-10-25" in reason for reason in second)


def test_answer_cut_off_at_the_token_limit_is_a_typed_error() -> None:
    server = StubServer([lambda body: {"summary": None, "no_event": None}])

    # The stub answers, but the server reports it stopped at its length limit.
    def cut(request: httpx2.Request) -> httpx2.Response:
        response = server.handle(request)
        data = response.json()
        data["choices"][0]["finish_reason"] = "length"
        return httpx2.Response(200, json=data)

    client = httpx2.AsyncClient(transport=httpx2.MockTransport(cut))
    s = Summarizer(
        settings=Settings(model="m", api_key="k", max_output_tokens=50), http_client=client
    )
    with pytest.raises(InvalidAnswer, match="cut off"):
        s.summarize(ARTICLE_000)
    assert server.requests[0]["max_tokens"] == 50 and len(server.requests) == 1


def test_the_library_writes_nothing_to_stderr_when_an_answer_fails() -> None:
    """instructor logs each failed attempt; a library must leave stderr to the application."""
    script = (
        "import pytest\n"
        "from summarizer import InvalidAnswer\n"
        "from tests.test_reasks import run, ungrounded\n"
        "with pytest.raises(InvalidAnswer):\n"
        "    run([ungrounded()], reasks=1)\n"
    )
    env = {**os.environ, "SUMMARIZER_CACHE_DIR": tempfile.mkdtemp()}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_a_repair_sends_back_only_the_failing_item_and_its_segment() -> None:
    answer = ungrounded()
    answer["summary"]["topics"][0]["evidence"] = {"segment": 99}
    server, _ = run([answer, good_meeting()])
    repair = server.requests[1]
    assert list(repair["tools"][0]["function"]["parameters"]["properties"]) == ["topics[0]"]
    asked = repair["messages"][-1]["content"]
    assert "topics[0]" in asked and "segment 99, which does not exist" in asked
    assert "participants[0] =" not in asked and "date =" not in asked


def test_a_patch_answer_replaces_the_item_and_null_leaves_it_out() -> None:
    good_topic = good_meeting()["summary"]["topics"][0]
    server, result = run([ungrounded(), {"topics[0]": good_topic}])
    assert result.summary.topics[0].evidence.quote == good_topic["evidence"]["quote"]
    assert result.meta.reasks == 1 and len(server.requests) == 2
    _, dropped = run([ungrounded(), {"topics[0]": None}], use_cache=False)
    assert dropped.summary.topics == [] and dropped.summary.participants  # the rest stands


def test_a_patch_that_rewrites_the_summary_text_is_still_a_patch() -> None:
    # The prose field `summary` shares its name with the whole answer's `summary` object: a
    # patch {"headline": ..., "summary": "..."} is a patch, not a whole answer missing fields.
    answer = good_meeting()
    answer["summary"]["headline"] = answer["summary"]["summary"] = "لقاء وزيري الدفاع"
    fixed = {k: good_meeting()["summary"][k] for k in ("headline", "summary")}
    server, result = run([answer, fixed])
    assert result.summary.headline == fixed["headline"] and len(server.requests) == 2
    assert len(result.summary.participants) == len(answer["summary"]["participants"])


def test_an_identical_answer_ends_the_reasks_at_once() -> None:
    with pytest.raises(InvalidAnswer) as caught:
        run([ungrounded()], reasks=5)
    assert caught.value.attempts == 2  # the answer and one re-ask, not six requests
    assert any("same answer" in reason for reason in caught.value.reasons)


def test_an_unchanged_repair_patch_also_ends_the_reasks() -> None:
    same = {"topics[0]": ungrounded()["summary"]["topics"][0]}
    with pytest.raises(InvalidAnswer) as caught:
        run([ungrounded(), same], reasks=5)
    assert caught.value.attempts == 2


def test_sampling_moves_on_a_reask_and_is_recorded() -> None:
    server, result = run([ungrounded(), good_meeting()], seed=7)
    assert [body["temperature"] for body in server.requests] == [0.0, 0.3]
    assert [body["seed"] for body in server.requests] == [7, 8]
    assert result.meta.sampling == [
        {"temperature": 0.0, "seed": 7},
        {"temperature": 0.3, "seed": 8},
    ]


def test_a_borrowed_date_text_is_asked_for_without_moving_the_date() -> None:
    answer = good_meeting()
    answer["summary"]["date"], answer["summary"]["date_text"] = "2023-10-23", "on Monday"
    server, _ = run([answer, good_meeting()])
    asked = server.requests[1]["messages"][-1]["content"]
    assert '"on Monday" is not in the article' in asked
    assert "disagrees" not in asked and "must be null" not in asked

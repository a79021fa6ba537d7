"""Partial results: when the re-asks are spent, what passed the checks comes back, marked so.

The stub answers every extraction request with the same broken answer (so the re-asks are
spent) and the synopsis request with a fixed headline and summary.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from summarizer import InvalidAnswer, Summarizer
from summarizer.cache import answer_key
from summarizer.config import Settings
from summarizer.errors import AnswerCutOff
from summarizer.schemas import MeetingSummary

from .crafted import ARTICLE_000, NOT_IN_ARTICLE, good_meeting
from .stub import StubServer

SYNOPSIS = {
    "headline": "Saudi defence minister meets a Guinean delegation",
    "summary": "The two sides reviewed bilateral relations in Riyadh.",
}
ABSENT_PERSON = "وزير الخارجية الفرنسي"


def is_synopsis(body: dict[str, Any]) -> bool:
    return bool(body.get("tool_choice", {}).get("function", {}).get("name") == "Synopsis")


def serve(answer: dict[str, Any] | str) -> StubServer:
    """Every extraction gets ``answer``; the synopsis call gets ``SYNOPSIS``."""

    def step(body: dict[str, Any]) -> Any:
        return SYNOPSIS if is_synopsis(body) else answer

    return StubServer([step])


def summarize(server: StubServer, **call: Any) -> Any:
    s = Summarizer(
        settings=Settings(model="test-model", api_key="test", use_cache=False),
        http_client=server.client(),
    )
    return s.summarize(ARTICLE_000, "meeting", "en", **call)


def broken(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    answer = good_meeting()
    change(answer["summary"])
    return answer


def ungrounded_topic_and_participant(s: dict[str, Any]) -> None:
    s["topics"].append(
        {
            "title": "A joint naval base",
            "category": "maritime_security",
            "details": None,
            "evidence": {"quote": NOT_IN_ARTICLE},
        }
    )
    s["participants"][1]["evidence"]["quote"] = ABSENT_PERSON


def assert_grounded(summary: MeetingSummary) -> None:
    """Every kept evidence has the library's offsets, pointing at its quote."""
    items = [*summary.participants, *summary.topics, *summary.outcomes, *summary.other_events]
    assert items
    for item in items:
        ev = item.evidence
        assert ev.start is not None and ev.end is not None and ev.match is not None
        assert ARTICLE_000[ev.start : ev.end] == ev.quote.strip()


def test_ungrounded_items_are_dropped_and_the_prose_rewritten() -> None:
    server = serve(broken(ungrounded_topic_and_participant))
    result = summarize(server, partial=True)
    summary = result.summary
    assert [t.title for t in summary.topics] == ["Bilateral relations"]
    assert [p.name for p in summary.participants] == ["Khalid bin Salman bin Abdulaziz"]
    assert_grounded(summary)
    # the synopsis step wrote the prose from the kept facts, and saw no dropped item
    assert is_synopsis(server.requests[-1])
    assert "were left out" in server.requests[-1]["messages"][0]["content"]
    synopsis_request = str(server.requests[-1]["messages"])
    assert NOT_IN_ARTICLE not in synopsis_request and ABSENT_PERSON not in synopsis_request
    assert (summary.headline, summary.summary) == (SYNOPSIS["headline"], SYNOPSIS["summary"])
    assert result.meta.complete is False
    assert [d["path"] for d in result.meta.dropped] == ["participants[1]", "topics[1]"]
    assert ABSENT_PERSON in result.meta.dropped[0]["reason"]
    assert "not in the article" in result.meta.dropped[1]["reason"]
    # the model repeated its answer to the first re-ask, which ended the re-asks
    assert result.meta.reasks == 1


@pytest.mark.parametrize(
    ("change", "paths", "expect"),
    [
        pytest.param(
            lambda s: s.update(date="2023-10-25"),
            ["date"],
            {"date": None, "date_text": good_meeting()["summary"]["date_text"]},
            id="wrong-date-nulled-its-grounded-text-kept",
        ),
        pytest.param(
            lambda s: s.update(date="2023-03-05", date_text="في الخامس من مارس"),
            ["date", "date_text"],
            {"date": None, "date_text": None},
            id="date-text-not-in-article-both-nulled",
        ),
        pytest.param(
            lambda s: s["participants"][1].update(name_source="محمد علي"),
            ["participants[1].name_source"],
            {"participant_names": ["Khalid bin Salman bin Abdulaziz", "Abubakar Sidiki Camara"]},
            id="name-source-nulled-on-a-grounded-participant",
        ),
        pytest.param(
            lambda s: s["participants"][1].update(
                name_source="محمد علي", evidence={"quote": ABSENT_PERSON}
            ),
            ["participants[1]"],
            {"participant_names": ["Khalid bin Salman bin Abdulaziz"]},
            id="name-source-and-evidence-participant-dropped",
        ),
        pytest.param(
            lambda s: s.update(background=["خلفية بالعربية", "Kept in English."]),
            ["background[0]"],
            {"background": ["Kept in English."]},
            id="prose-item-in-wrong-script-dropped",
        ),
        pytest.param(
            lambda s: s["location"].update(city="الرياض"),
            ["location.city"],
            {"city": None},
            id="location-field-in-wrong-script-nulled",
        ),
        pytest.param(
            lambda s: s.update(headline="لقاء وزيري الدفاع"),
            ["headline"],
            {"headline": SYNOPSIS["headline"]},
            id="headline-in-wrong-script-rewritten",
        ),
    ],
)
def test_each_failed_check_is_dropped_or_nulled(
    change: Callable[[dict[str, Any]], None], paths: list[str], expect: dict[str, Any]
) -> None:
    result = summarize(serve(broken(change)), partial=True)
    summary = result.summary
    assert [d["path"] for d in result.meta.dropped] == paths
    assert all(d["reason"] for d in result.meta.dropped)
    seen = {
        "date": summary.date,
        "date_text": summary.date_text,
        "participant_names": [p.name for p in summary.participants],
        "background": summary.background,
        "city": summary.location.city,
        "headline": summary.headline,
    }
    assert {k: seen[k] for k in expect} == expect
    if "participants[1].name_source" in paths:
        assert summary.participants[1].name_source is None
    assert_grounded(summary)


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param('{"summary": {"headline": "x", ', id="malformed-json"),
        pytest.param(
            broken(lambda s: s.update(meeting_type="summit", date="2023-10-25")),
            id="not-schema-valid",
        ),
        pytest.param(
            broken(
                lambda s: (
                    [p["evidence"].update(quote=ABSENT_PERSON) for p in s["participants"]],
                    s["topics"][0]["evidence"].update(quote=NOT_IN_ARTICLE),
                )
            ),
            id="no-participant-and-no-topic-left",
        ),
    ],
)
def test_unsalvageable_answers_keep_the_typed_error(answer: dict[str, Any] | str) -> None:
    server = serve(answer)
    with pytest.raises(InvalidAnswer):
        summarize(server, partial=True)
    assert not any(is_synopsis(body) for body in server.requests)


def test_without_partial_the_typed_error_stands() -> None:
    server = serve(broken(ungrounded_topic_and_participant))
    with pytest.raises(InvalidAnswer) as caught:
        summarize(server)
    assert any(NOT_IN_ARTICLE in reason for reason in caught.value.reasons)
    # the answer, then one re-ask that brought back the same answer and ended the re-asks
    assert len(server.requests) == 2 and not any(is_synopsis(b) for b in server.requests)
    assert caught.value.meta.complete is False  # a failure is never "complete"


def test_the_note_stays_one_short_line_however_much_was_dropped() -> None:
    from summarizer.partial import note

    dropped = [{"path": f"topics[{i}]", "reason": "not found"} for i in range(40)]
    line = note(dropped)
    assert line.startswith("partial: 40 item(s)") and line.endswith("topics[4] and 35 more")


def test_partial_is_also_a_setting() -> None:
    server = serve(broken(ungrounded_topic_and_participant))
    s = Summarizer(
        settings=Settings(model="test-model", api_key="test", use_cache=False, partial=True),
        http_client=server.client(),
    )
    assert s.summarize(ARTICLE_000).meta.complete is False
    with pytest.raises(InvalidAnswer):  # the keyword overrides the setting
        s.summarize(ARTICLE_000, partial=False)


def test_a_complete_result_says_so() -> None:
    result = summarize(serve(good_meeting()), partial=True)
    assert result.meta.complete is True and result.meta.dropped == []
    assert result.to_dict()["meta"]["complete"] is True


def test_nothing_still_failing_is_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks run again on what is left: an item the drop missed keeps the error."""
    from summarizer import partial

    monkeypatch.setattr(partial, "_drop", lambda summary, failures, ctx: [])
    server = serve(broken(ungrounded_topic_and_participant))
    with pytest.raises(InvalidAnswer):
        summarize(server, partial=True)


def test_partial_is_part_of_the_cache_key() -> None:
    settings = Settings(model="m", api_key="k")
    assert answer_key(settings, "meeting", "en") != answer_key(
        settings.with_(partial=True), "meeting", "en"
    )


def test_a_cached_partial_answer_is_never_served_without_partial() -> None:
    server = serve(broken(ungrounded_topic_and_participant))
    s = Summarizer(settings=Settings(model="m", api_key="k"), http_client=server.client())
    first = s.summarize(ARTICLE_000, partial=True)
    again = s.summarize(ARTICLE_000, partial=True)
    assert again.meta.cached and again.meta.complete is False
    assert again.meta.dropped == first.meta.dropped
    asked = len(server.requests)
    with pytest.raises(InvalidAnswer):
        s.summarize(ARTICLE_000)
    assert len(server.requests) > asked


def cooperation_answer() -> dict[str, Any]:
    evidence = "استعراض العلاقات الثنائية المشتركة بين المملكة العربية السعودية وغينيا"
    return {
        "summary": {
            "headline": "Saudi-Guinean defence cooperation",
            "summary": "The two countries discussed defence cooperation.",
            "framework": None,
            "parties": [
                {
                    "name": "Guinea",
                    "kind": "country",
                    "role": None,
                    "evidence": {"quote": evidence},
                },
                {
                    "name": "France",
                    "kind": "country",
                    "role": None,
                    "evidence": {"quote": ABSENT_PERSON},
                },
            ],
            "areas": [
                {
                    "category": "political_relations",
                    "description": "Bilateral relations",
                    "evidence": {"quote": evidence},
                },
                {
                    "category": "maritime_security",
                    "description": "A joint naval base",
                    "evidence": {"quote": NOT_IN_ARTICLE},
                },
            ],
            "mechanisms": [],
            "challenges": [],
            "outlook": [],
            "background": [],
        },
        "no_event": None,
    }


def test_cooperation_drops_ungrounded_parties_and_areas() -> None:
    server = serve(cooperation_answer())
    s = Summarizer(
        settings=Settings(model="test-model", api_key="test", use_cache=False),
        http_client=server.client(),
    )
    result = s.summarize(ARTICLE_000, "cooperation", "en", partial=True)
    assert [p.name for p in result.summary.parties] == ["Guinea"]
    assert [a.description for a in result.summary.areas] == ["Bilateral relations"]
    assert [d["path"] for d in result.meta.dropped] == ["parties[1]", "areas[1]"]
    assert is_synopsis(server.requests[-1])


def test_a_long_articles_part_is_salvaged_and_named() -> None:
    from .test_chunking import LONG_ARTICLE, per_part

    def answer(body: dict[str, Any]) -> dict[str, Any]:
        good = per_part(body)
        if "Part 2 " in str(body["messages"]) and not is_synopsis(body):
            good["summary"]["topics"].append(
                {
                    "title": "A joint naval base",
                    "category": "maritime_security",
                    "evidence": {"quote": NOT_IN_ARTICLE},
                }
            )
        return good

    server = StubServer([answer])
    settings = Settings(model="local-small-model", api_key="k", use_cache=False, partial=True)
    result = Summarizer(settings=settings, http_client=server.client()).summarize(LONG_ARTICLE)
    assert result.meta.parts > 2 and result.meta.complete is False
    assert result.meta.dropped == [
        {
            "path": "topics[1]",
            "reason": f'evidence.quote "{NOT_IN_ARTICLE}" is not in the article',
            "part": "2",
        }
    ]
    assert all(t.title != "A joint naval base" for t in result.summary.topics)
    for topic in result.summary.topics:  # offsets into the whole article, not the part
        ev = topic.evidence
        assert LONG_ARTICLE[ev.start : ev.end] == ev.quote.strip()
    synopses = [body for body in server.requests if is_synopsis(body)]
    assert len(synopses) == 1 and "were left out" in synopses[0]["messages"][0]["content"]


def _cut_off(server: StubServer, keep: int) -> httpx2.AsyncClient:
    """A server whose extraction answers stop after ``keep`` characters, "length" reported
    (the synopsis call answers in full)."""

    def handle(request: httpx2.Request) -> httpx2.Response:
        response = server.handle(request)
        if is_synopsis(server.requests[-1]):
            return response
        data = response.json()
        call = data["choices"][0]["message"]["tool_calls"][0]["function"]
        call["arguments"] = call["arguments"][:keep]
        data["choices"][0]["finish_reason"] = "length"
        return httpx2.Response(200, json=data)

    return httpx2.AsyncClient(transport=httpx2.MockTransport(handle))


def test_an_answer_cut_off_keeps_its_whole_part_as_a_partial_result() -> None:
    answer = good_meeting()
    text = json.dumps(answer, ensure_ascii=False)
    keep = text.index('"topics"') + 40  # cut inside the first topic
    server = serve(answer)
    s = Summarizer(
        settings=Settings(model="test-model", api_key="test", use_cache=False, partial=True),
        http_client=_cut_off(server, keep),
    )
    result = s.summarize(ARTICLE_000, "meeting", "en")
    assert result.status == "partial" and result.meta.complete is False
    assert result.summary.topics == [] and result.summary.outcomes == []  # never written
    assert len(result.summary.participants) == len(answer["summary"]["participants"])
    assert result.summary.headline == SYNOPSIS["headline"]  # rewritten from the kept facts
    assert result.meta.dropped[-1]["path"] == "(the rest)"
    assert "cut off" in result.meta.dropped[-1]["reason"]
    assert_grounded(result.summary)
    # without --partial the typed error stands
    plain = Summarizer(
        settings=Settings(model="test-model", api_key="test", use_cache=False),
        http_client=_cut_off(serve(answer), keep),
    )
    with pytest.raises(AnswerCutOff):
        plain.summarize(ARTICLE_000, "meeting", "en")


def test_an_answer_cut_off_before_anything_whole_is_still_an_error() -> None:
    server = serve(good_meeting())
    s = Summarizer(
        settings=Settings(model="test-model", api_key="test", use_cache=False, partial=True),
        http_client=_cut_off(server, 30),
    )
    with pytest.raises(AnswerCutOff):
        s.summarize(ARTICLE_000, "meeting", "en")

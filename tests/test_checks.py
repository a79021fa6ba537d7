"""What validation guarantees, checked on one summary against its article (checks.py).

Each row breaks one thing in an answer that passes every check, and names what the re-ask
must say. The guarantees with no other guard live here too: a ``date_text`` must be in the
article even when ``date`` agrees with it, and offsets are the library's, never the model's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from summarizer.checks import CheckContext, check_summary
from summarizer.grounding import ArticleIndex
from summarizer.schemas import CooperationSummary, MeetingSummary

from .crafted import ARTICLE_000, BILATERAL, NOT_IN_ARTICLE, good_meeting

INDEX = ArticleIndex(ARTICLE_000)
Edit = Callable[[dict[str, Any]], None]


def meeting(edit: Edit | None = None) -> MeetingSummary:
    data = good_meeting()["summary"]
    if edit is not None:
        edit(data)
    return MeetingSummary.model_validate(data)


def check(summary: MeetingSummary | CooperationSummary, lang: str = "en", **ctx: Any) -> Any:
    return check_summary(summary, CheckContext(INDEX, lang, **ctx))  # type: ignore[arg-type]


def _set(path: str, value: Any) -> Edit:
    """An edit that sets one field, addressed as 'participants.1.name_source'."""

    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value

    return edit


def test_a_good_answer_passes_and_gets_offsets_into_the_article() -> None:
    summary = meeting()
    findings = check(summary)
    assert findings.problems == []
    evidence = summary.topics[0].evidence
    assert evidence.start is not None and evidence.end is not None
    assert ARTICLE_000[evidence.start : evidence.end] == BILATERAL
    assert evidence.match == "exact"


@pytest.mark.parametrize(
    ("edit", "named", "path"),
    [
        pytest.param(
            _set("topics.0.evidence.quote", NOT_IN_ARTICLE),
            NOT_IN_ARTICLE,
            "topics[0].evidence.quote",
            id="quote-not-found",
        ),
        pytest.param(
            _set("participants.1.name_source", "محمد علي"),
            "participants[1].name_source",
            "participants[1].name_source",
            id="name_source-not-found",
        ),
        # The date agrees with the invented text: only grounding the text catches it.
        pytest.param(
            lambda d: d.update(date="2023-10-25", date_text="الأربعاء 25 أكتوبر 2023"),
            "date_text",
            "date_text",
            id="invented-date_text-with-matching-date",
        ),
        pytest.param(_set("date", "2023-10-25"), "disagrees", "date", id="date-against-date_text"),
        pytest.param(
            _set("headline", "لقاء وزيري الدفاع"),
            "headline",
            "headline",
            id="arabic-in-english-prose",
        ),
        pytest.param(
            _set("background", ["يشرح المقال"]),
            "background[0]",
            "background[0]",
            id="arabic-in-english-list",
        ),
    ],
)
def test_each_broken_item_is_named(edit: Edit, named: str, path: str) -> None:
    findings = check(meeting(edit))
    assert len(findings.problems) == 1, findings.problems
    assert named in findings.problems[0]
    # the structured finding (what a partial result drops) names the same field
    (failure,) = findings.failures
    assert failure.path == path and failure.message == findings.problems[0]
    assert failure.reason and failure.reason in failure.message


@pytest.mark.parametrize("date_text", ["Tuesday, October 24, 2023", None])
def test_a_right_date_in_the_models_own_words_is_grounded_by_the_articles(
    date_text: str | None,
) -> None:
    # A small model writes the day in the output language, or not at all; the article's own
    # words for that day then stand as date_text, and the warning says so.
    summary = meeting(lambda d: d.update(date="2023-10-24", date_text=date_text))
    findings = check(summary, published=dt.date(2023, 10, 24))
    assert findings.problems == []
    assert summary.date_text is not None and summary.date_text in ARTICLE_000
    assert "2023" in summary.date_text  # the date written out, not "today"
    assert any(summary.date_text in w and "2023-10-24" in w for w in findings.warnings)


def test_a_date_the_article_never_writes_is_not_grounded_by_other_words() -> None:
    summary = meeting(lambda d: d.update(date="2023-10-21", date_text="Saturday 21 October"))
    findings = check(summary, published=dt.date(2023, 10, 24))
    assert [f.path for f in findings.failures] == ["date_text"]
    assert summary.date_text == "Saturday 21 October"


def test_offsets_the_model_sends_are_replaced_by_the_librarys() -> None:
    def forged(data: dict[str, Any]) -> None:
        data["topics"][0]["evidence"].update(start=0, end=5, match="exact")
        data["participants"][0]["evidence"].update(start=999_999, end=1_000_000)

    summary = meeting(forged)
    assert check(summary).problems == []
    for evidence in (summary.topics[0].evidence, summary.participants[0].evidence):
        assert evidence.start is not None and evidence.end is not None
        assert ARTICLE_000[evidence.start : evidence.end] == evidence.quote.strip()


def test_an_ungrounded_quote_keeps_no_offsets_from_the_model() -> None:
    summary = meeting(
        lambda d: d["topics"][0]["evidence"].update(quote=NOT_IN_ARTICLE, start=3, end=9)
    )
    check(summary)
    evidence = summary.topics[0].evidence
    assert (evidence.start, evidence.end, evidence.match) == (None, None, None)


def test_arabic_output_must_be_mostly_arabic() -> None:
    findings = check(meeting(), lang="ar")
    assert any(p.startswith("headline") and "not in Arabic" in p for p in findings.problems)


def test_a_relative_date_is_counted_from_the_publication_date() -> None:
    def relative(data: dict[str, Any]) -> None:
        data.update(date="2023-10-24", date_text="اليوم")

    assert check(meeting(relative), published=dt.date(2023, 10, 24)).problems == []
    problems = check(meeting(relative)).problems  # no publication date: must be null
    assert len(problems) == 1 and "relative" in problems[0]


def test_a_hijri_date_a_day_off_is_a_warning_not_a_problem() -> None:
    article = "اجتمع الوزيران يوم 9 ربيع الآخر 1445 في الرياض."
    data = good_meeting()["summary"]
    data.update(date="2023-10-25", date_text="9 ربيع الآخر 1445", participants=[], topics=[])
    summary = MeetingSummary.model_validate(data)
    findings = check_summary(summary, CheckContext(ArticleIndex(article), "en"))
    assert findings.problems == []
    assert len(findings.warnings) == 1 and "moon sighting" in findings.warnings[0]


def test_cooperation_evidence_is_grounded_too() -> None:
    summary = CooperationSummary.model_validate(
        {
            "headline": "Saudi-Guinean defence cooperation",
            "summary": "The two countries discussed defence cooperation.",
            "framework": None,
            "parties": [
                {
                    "name": "Guinea",
                    "kind": "country",
                    "role": None,
                    "evidence": {"quote": NOT_IN_ARTICLE},
                }
            ],
            "areas": [
                {
                    "category": "political_relations",
                    "description": "Bilateral relations",
                    "evidence": {"quote": BILATERAL},
                }
            ],
        }
    )
    findings = check(summary)
    assert len(findings.problems) == 1 and "parties[0].evidence.quote" in findings.problems[0]
    assert summary.areas[0].evidence.start is not None

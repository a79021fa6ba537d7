"""Evidence a small model can give: a segment number, a quote, or both (SPEC, Evidence).

The library always takes the span from the article; a cited segment that exists grounds the
item, a segment that does not exist fails, and a ``name_source`` must stand inside its own
participant's evidence. A ``date_text`` that is not in the article is asked for again without
the ``date`` being judged against it.
"""

from __future__ import annotations

from typing import Any

from summarizer.checks import CheckContext, check_summary
from summarizer.grounding import ArticleIndex
from summarizer.schemas import MeetingSummary

from .crafted import ARTICLE_000, BILATERAL, NOT_IN_ARTICLE, good_meeting

INDEX = ArticleIndex(ARTICLE_000)
BILATERAL_SEGMENT = next(s for s in INDEX.segments if BILATERAL in s.text)
FIRST = INDEX.segments[0]


def checked(**topic_evidence: Any) -> tuple[MeetingSummary, Any]:
    data = good_meeting()["summary"]
    data["topics"][0]["evidence"] = topic_evidence
    summary = MeetingSummary.model_validate(data)
    return summary, check_summary(summary, CheckContext(INDEX, "en"))


def test_a_segment_alone_is_its_text_with_the_librarys_offsets() -> None:
    summary, findings = checked(segment=BILATERAL_SEGMENT.number)
    evidence = summary.topics[0].evidence
    assert not findings.failures
    assert evidence.match == "segment" and evidence.quote == BILATERAL_SEGMENT.text
    assert ARTICLE_000[evidence.start : evidence.end] == BILATERAL_SEGMENT.text


def test_a_quote_inside_its_segment_is_the_span() -> None:
    summary, findings = checked(segment=BILATERAL_SEGMENT.number, quote=BILATERAL)
    evidence = summary.topics[0].evidence
    assert not findings.failures and not findings.warnings
    assert evidence.match == "exact" and ARTICLE_000[evidence.start : evidence.end] == BILATERAL


def test_a_quote_found_in_another_segment_moves_the_citation_there() -> None:
    summary, findings = checked(segment=FIRST.number, quote=BILATERAL)
    assert not findings.failures
    assert summary.topics[0].evidence.segment == BILATERAL_SEGMENT.number
    assert any("stands in segment" in w for w in findings.warnings)


def test_a_translated_quote_gives_way_to_the_cited_segment() -> None:
    summary, findings = checked(segment=BILATERAL_SEGMENT.number, quote="They reviewed relations")
    evidence = summary.topics[0].evidence
    assert not findings.failures
    assert evidence.match == "segment" and evidence.quote == BILATERAL_SEGMENT.text
    assert any("not in the article" in w for w in findings.warnings)


def test_a_segment_that_does_not_exist_fails_whatever_the_quote() -> None:
    _, findings = checked(segment=len(INDEX.segments) + 1, quote=BILATERAL)
    (failure,) = findings.failures
    assert failure.path == "topics[0].evidence.segment" and "does not exist" in failure.reason


def test_no_segment_and_a_quote_not_in_the_article_fails() -> None:
    _, findings = checked(quote=NOT_IN_ARTICLE)
    (failure,) = findings.failures
    assert failure.path == "topics[0].evidence.quote"


def test_evidence_that_cites_nothing_fails() -> None:
    _, findings = checked()
    (failure,) = findings.failures
    assert failure.path == "topics[0].evidence" and "cites nothing" in failure.reason


def _with_participant(**changes: Any) -> Any:
    data = good_meeting()["summary"]
    data["participants"][1].update(changes)
    return check_summary(MeetingSummary.model_validate(data), CheckContext(INDEX, "en"))


def test_a_name_source_outside_its_participants_evidence_fails() -> None:
    # the host's name is in the article, but not in the segment the guest's evidence cites
    other = INDEX.segments[2]
    findings = _with_participant(name_source="خالد بن سلمان", evidence={"segment": other.number})
    (failure,) = findings.failures
    assert failure.path == "participants[1].name_source"
    assert "not in this participant's evidence" in failure.reason


def test_a_dateline_is_not_a_name() -> None:
    findings = _with_participant(name_source="24 من شهر أكتوبر 2023")
    (failure,) = findings.failures
    assert failure.path == "participants[1].name_source" and "is not a name" in failure.reason


def test_a_name_source_is_not_checked_against_evidence_that_failed() -> None:
    findings = _with_participant(evidence={"quote": NOT_IN_ARTICLE})
    assert [f.path for f in findings.failures] == ["participants[1].evidence.quote"]


def test_a_date_text_not_in_the_article_is_asked_for_and_the_date_left_alone() -> None:
    data = good_meeting()["summary"]
    # a borrowed text, and a date the article never writes (the article's own words for a
    # right date would stand in for the text: test_checks)
    data["date"], data["date_text"] = "2023-10-23", "on Monday"
    findings = check_summary(MeetingSummary.model_validate(data), CheckContext(INDEX, "en"))
    (failure,) = findings.failures
    assert failure.path == "date_text" and "not in the article" in failure.reason

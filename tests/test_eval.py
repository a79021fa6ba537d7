"""Scoring against gold: each field's rule, the aggregate, and the eval command."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from summarizer.cli import main
from summarizer.evaluation.score import RunScore, aggregate, score_run

from .crafted import good_meeting

GOLD: dict[str, Any] = {
    "meeting": {
        "meeting_type": ["bilateral"],
        "date": "2023-10-24",
        "location": {"city": {"en": ["Riyadh"]}, "country": {"en": ["Saudi Arabia"]}},
        "participants": [
            {"name": {"en": ["Khalid bin Salman"]}, "name_source_contains": "خالد بن سلمان"},
            {"name": {"en": ["Camara", "Kamara"]}, "name_source_contains": "كمارا"},
        ],
        "participants_forbidden": {"en": ["Stoltenberg"]},
        "topic_categories_required": ["political_relations"],
        "topic_categories_forbidden": ["cybersecurity"],
        "outcomes_count": 0,
    }
}


def summary(**changes: Any) -> dict[str, Any]:
    s = good_meeting()["summary"]
    s.update(changes)
    return s


def test_a_summary_matching_gold_scores_one_everywhere() -> None:
    fields, leaked, forbidden = score_run(summary(), GOLD, "meeting", "en")
    assert all(v == 1.0 for v in fields.values() if v is not None)
    assert (leaked, forbidden) == (0, 0)


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        pytest.param({"date": "2023-10-25"}, "date", 0.0, id="wrong-date"),
        pytest.param({"date": None}, "date", 0.0, id="missing-date"),
        pytest.param({"meeting_type": "conference"}, "meeting_type", 0.0, id="wrong-type"),
        pytest.param(
            {"location": {"city": "Jeddah", "country": "Saudi Arabia"}},
            "location",
            0.5,
            id="wrong-city",
        ),
        pytest.param(
            {"outcomes": [{"description": "x", "kind": "mou", "evidence": {"quote": "q"}}]},
            "outcomes",
            0.0,
            id="invented-outcome",
        ),
    ],
)
def test_each_field_rule(changes: dict[str, Any], field: str, expected: float) -> None:
    fields, _, _ = score_run(summary(**changes), GOLD, "meeting", "en")
    assert fields[field] == expected


def test_participants_precision_and_recall_with_aliases() -> None:
    people = summary()["participants"]
    fields, _, _ = score_run(summary(participants=people[:1]), GOLD, "meeting", "en")
    assert (fields["participants_precision"], fields["participants_recall"]) == (1.0, 0.5)
    intruder = {**people[0], "name": "Jens Stoltenberg", "name_source": "ستولتنبرغ"}
    fields, leaked, _ = score_run(summary(participants=[*people, intruder]), GOLD, "meeting", "en")
    assert fields["participants_precision"] == pytest.approx(2 / 3) and leaked == 1


@pytest.mark.parametrize(
    ("name", "right"),
    [
        ("Khaled ibn Salman", True),  # another transliteration of an alias
        ("Prince Khalid Bin Salman Al Saud", True),
        ("خالد بن سلمان", True),
        ("Khalid bin Fahd", False),  # one word of two is not the name
        ("Salman", False),  # a one-word alias is matched as written, never by skeleton
    ],
)
def test_a_participant_in_another_spelling_is_the_gold_participant(name: str, right: bool) -> None:
    people = summary()["participants"]
    person = {**people[0], "name": name, "name_source": None}
    fields, _, _ = score_run(summary(participants=[person]), GOLD, "meeting", "en")
    assert fields["participants_precision"] == float(right)


def test_background_reported_as_topic_is_counted() -> None:
    topics = [
        *summary()["topics"],
        {"title": "Cyber", "category": "cybersecurity", "evidence": {"quote": "q"}},
    ]
    fields, _, forbidden = score_run(summary(topics=topics), GOLD, "meeting", "en")
    assert forbidden == 1 and fields["topics_precision"] == 0.5


def test_aggregate_no_event_precision_recall() -> None:
    runs = [
        RunScore("a", "meeting", "en", "no_event", gold_no_event=True),
        RunScore("b", "meeting", "en", "no_event", gold_no_event=False),
        RunScore("c", "meeting", "en", "ok", gold_no_event=True),
    ]
    figures = aggregate(runs)
    assert figures["no_event_precision"] == 0.5 and figures["no_event_recall"] == 0.5


def test_eval_on_recorded_responses_then_compare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run.json"
    monkeypatch.setattr(sys, "argv", ["summarizer", "eval", "--out", str(out)])
    main()
    printed = capsys.readouterr().out
    assert "participants_recall" in printed and "no_event_recall" in printed
    report = json.loads(out.read_text(encoding="utf-8"))
    statuses = {run["status"] for run in report["runs"]}
    assert "error" not in statuses and "ok" in statuses and "no_event" in statuses
    worse = json.loads(out.read_text(encoding="utf-8"))
    worse["summary"]["fields"]["date"] = 0.5
    other = tmp_path / "worse.json"
    other.write_text(json.dumps(worse), encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["summarizer", "eval", "--compare", str(out), str(other)])
    main()
    comparison = capsys.readouterr().out
    assert "run.json" in comparison and "worse.json" in comparison and "date" in comparison


def test_office_only_participant_must_have_no_name() -> None:
    gold = {"meeting": {"participants": [{"name": None, "title": {"en": ["Chief of Staff"]}}]}}
    person = {**good_meeting()["summary"]["participants"][0], "title": "Chief of Staff"}
    named = summary(participants=[{**person, "name": "Chief of Staff Ali"}])
    unnamed = summary(participants=[{**person, "name": None, "name_source": None}])
    assert score_run(named, gold, "meeting", "en")[0]["participants_recall"] == 0.0
    assert score_run(unnamed, gold, "meeting", "en")[0]["participants_recall"] == 1.0


def test_party_spellings_and_accents() -> None:
    from summarizer.schemas import CooperationSummary

    gold = {
        "cooperation": {
            "parties_any_of": {"en": [["Turkey", "Turkiye"]]},
            "parties_contains": {"en": ["Aydin"]},
        }
    }
    coop = CooperationSummary.model_validate(
        {
            "headline": "h",
            "summary": "s",
            "framework": None,
            "parties": [
                {"name": "Türkiye", "kind": "country", "evidence": {"quote": "q"}},
                {"name": "Aydın Group", "kind": "organization", "evidence": {"quote": "q"}},
            ],
        }
    ).model_dump(mode="json")
    assert score_run(coop, gold, "cooperation", "en")[0]["parties_recall"] == 1.0

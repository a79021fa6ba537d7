"""Events across articles: the gold groups resolved offline from recorded answers, the rules
that keep look-alike events apart, and the guarantees of ``summarizer events`` (deterministic,
incremental, every input line accounted for, bad input one line and an exit code)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from summarizer.evaluation.events import bcubed, load_gold, run_gold, score_events
from summarizer.events import compatible, group, load_events, report_from, resolve, update
from summarizer.events.reports import Report

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "fixtures" / "events"
CASSETTES = ROOT / "fixtures" / "cassettes" / "events"


@pytest.fixture(scope="module")
def gold_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    work = tmp_path_factory.mktemp("events")
    return work, run_gold(GOLD, CASSETTES, work)


def test_the_gold_groups_are_found(gold_run: tuple[Path, list[dict[str, Any]]]) -> None:
    _, events = gold_run
    score = score_events(events, load_gold(GOLD))
    assert score.precision >= 0.95 and score.recall >= 0.95, score
    assert score.apart_kept == score.apart_total and score.apart_total >= 4, score.missed
    assert score.conflicts_shown == score.conflicts_total and score.conflicts_total >= 3


def test_every_merged_fact_names_its_reports_and_their_evidence(
    gold_run: tuple[Path, list[dict[str, Any]]],
) -> None:
    _, events = gold_run
    (three,) = [e for e in events if len(e["reports"]) == 3]
    ids = {r["id"] for r in three["reports"]}
    assert {p["id"] for p in three["parties"]} == {"KW", "PK"}
    for person in three["participants"]:
        assert set(person["reports"]) <= ids and person["evidence"]
        for evidence in person["evidence"]:
            assert evidence["report"] in ids and evidence["start"] < evidence["end"]
    article = json.loads((GOLD / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0])
    quoted = next(
        e for p in three["participants"] for e in p["evidence"] if e["report"] == article["id"]
    )
    assert article["text"][quoted["start"] : quoted["end"]] == quoted["quote"]
    (date,) = [c for c in three["conflicts"] if c["field"] == "date"]
    assert {v["value"]: v["reports"] for v in date["values"]} == {
        "2025-02-10": ["e01_kuna_ar", "e02_gulfdaily_en"],
        "2025-02-09": ["e03_observer_en"],
    }
    assert three["date"] == "2025-02-10"  # what most reports give; the conflict stays beside it
    assert three["reports"][0] == {
        "run": "run", "id": "e01_kuna_ar", "outlet": "KUNA",
        "url": "https://example.org/kuna/e01", "lang": "ar", "published": "2025-02-10",
    }  # fmt: skip


def test_the_same_reports_in_any_order_make_the_same_events(
    gold_run: tuple[Path, list[dict[str, Any]]],
) -> None:
    work, events = gold_run
    reports = _kept(work)
    shuffled = reports[:]
    random.Random(7).shuffle(shuffled)
    # Ids come from the report seen first: the same first-seen order, the same ids.
    assert resolve(reports) == events
    assert _membership(group(shuffled)) == _membership(group(reports))


def test_a_new_run_adds_its_reports_and_keeps_the_events_ids(tmp_path: Path) -> None:
    rows = (GOLD / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    first, second = tmp_path / "monday.jsonl", tmp_path / "tuesday.jsonl"
    first.write_text("\n".join(rows[::2]) + "\n", encoding="utf-8")
    second.write_text("\n".join(rows[1::2]) + "\n", encoding="utf-8")
    shutil.copytree(GOLD / "answers", tmp_path / "answers")
    (tmp_path / "groups.json").write_text((GOLD / "groups.json").read_text("utf-8"), "utf-8")
    (tmp_path / "articles.jsonl").write_bytes(first.read_bytes())
    before = run_gold(tmp_path, CASSETTES, tmp_path / "a")
    (tmp_path / "articles.jsonl").write_bytes(second.read_bytes())
    run_gold(tmp_path, CASSETTES, tmp_path / "b")
    # the second run added to the first's events directory
    done = update(tmp_path / "a" / "events", [tmp_path / "b" / "run"])
    after = load_events(tmp_path / "a" / "events")
    assert done.read == 5 and done.reports == 10 and done.events == 7
    assert score_events(after, load_gold(GOLD)).recall == 1.0
    kept_ids = {e["id"] for e in before} & {e["id"] for e in after}
    grown = [
        e
        for e in before
        if len(e["reports"]) < len(_event_of(after, e["reports"][0]["id"])["reports"])
    ]
    assert grown and all(e["id"] in kept_ids for e in grown)


def _event_of(events: list[dict[str, Any]], report: str) -> dict[str, Any]:
    return next(e for e in events if any(r["id"] == report for r in e["reports"]))


def _kept(work: Path) -> list[Report]:
    from summarizer.events import load_reports

    return load_reports(work / "events")


def _membership(groups: list[list[Report]]) -> set[frozenset[str]]:
    return {frozenset(r.id for r in g) for g in groups}


def person(name: str, country: str) -> dict[str, Any]:
    return {"name": name, "name_source": name, "country": country, "role": "host",
            "evidence": {"segment": 1}}  # fmt: skip


def report(ident: str, **summary: Any) -> Report:
    """A checked meeting report made of ``summary``'s fields."""
    base: dict[str, Any] = {
        "headline": "h", "summary": "s", "meeting_type": "bilateral", "date": "2025-02-10",
        "date_text": None, "location": {"city": "Kuwait City", "country": "Kuwait"},
        "parties": ["Kuwait", "Pakistan"],
        "participants": [person("Salem Al-Enezi", "Kuwait"), person("Farhan Qureshi", "Pakistan")],
    }  # fmt: skip
    article = {"published": summary.pop("published", None)}
    meta = {"schema": "meeting", "article": article}
    line = {"id": ident, "status": "ok", "summary": {**base, **summary}, "meta": meta}
    made = report_from(line, "run")
    assert made is not None
    return made


@pytest.mark.parametrize(
    ("other", "together"),
    [
        pytest.param({}, True, id="same-meeting"),
        pytest.param({"participants": []}, True, id="no-people-same-sides"),
        pytest.param({"date": "2025-02-11"}, True, id="a-day-apart-same-people"),
        pytest.param({"date": "2025-02-13"}, False, id="three-days-apart"),
        pytest.param({"meeting_type": "call"}, False, id="a-call-is-not-a-meeting"),
        pytest.param(
            {"meeting_type": "conference", "parties": ["GCC", "Kuwait", "Pakistan", "Oman"]},
            False,
            id="a-summit-is-not-its-sidelines",
        ),
        pytest.param(
            {"location": {"city": "Islamabad", "country": "Pakistan"}}, False, id="another-country"
        ),
        pytest.param(
            {"participants": [person("Khalid Al-Sabah", "Kuwait")]},
            False,
            id="other-people-same-sides",
        ),
        pytest.param({"parties": ["Oman", "Jordan"], "participants": []}, False, id="other-sides"),
    ],
)
def test_what_makes_two_reports_one_event(other: dict[str, Any], together: bool) -> None:
    assert compatible(report("a"), report("b", **other)) is together


def test_one_day_apart_needs_a_loose_date_or_the_same_people() -> None:
    nobody = {"participants": []}
    assert not compatible(report("a", **nobody), report("b", date="2025-02-11", **nobody))
    relative = {"date_text": "yesterday", "published": "2025-02-11", **nobody}
    assert compatible(report("a", **nobody), report("b", date="2025-02-11", **relative))


def test_a_chain_of_look_alikes_is_not_one_event() -> None:
    # Monday's meeting, a report of it dated Tuesday, Wednesday's second meeting: the middle
    # report may join either, never both into one.
    monday, tuesday, wednesday = (
        report("a", date="2025-02-10"),
        report("b", date="2025-02-11"),
        report("c", date="2025-02-12"),
    )
    assert compatible(monday, tuesday) and compatible(tuesday, wednesday)
    assert not compatible(monday, wednesday)
    assert len(group([monday, tuesday, wednesday])) == 2


def test_only_checked_meetings_are_reports() -> None:
    summary = {
        "headline": "h",
        "summary": "s",
        "meeting_type": "call",
        "date": None,
        "date_text": None,
    }
    assert report_from({"id": "x", "status": "error", "summary": summary}, "r") is None
    assert report_from({"id": "x", "status": "no_event", "summary": None}, "r") is None
    cooperation = {"schema": "cooperation"}
    assert (
        report_from({"id": "x", "status": "ok", "summary": summary, "meta": cooperation}, "r")
        is None
    )
    partial = report_from({"id": "x", "status": "partial", "summary": summary}, "r")
    assert partial is not None and partial.call
    both = report_from({"id": "x", "status": "ok", "summary": {"ar": summary, "en": summary}}, "r")
    assert both is not None


def test_bcubed_counts_a_wrong_merge_by_the_reports_it_touches() -> None:
    assert bcubed([["a"], ["b"], ["c"]], [["a"], ["b"], ["c"]]) == (1.0, 1.0)
    precision, recall = bcubed([["a", "b", "c"]], [["a"], ["b"], ["c"]])
    assert recall == 1.0 and precision == pytest.approx(1 / 3)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "summarizer.entry", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_the_command_writes_events_and_says_how_many(
    gold_run: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    work, events = gold_run
    done = _cli("events", str(work / "run"), "--out", str(tmp_path / "ev"))
    assert done.returncode == 0, done.stderr
    assert "10 report(s) read, 10 kept, 7 event(s)" in done.stdout
    assert load_events(tmp_path / "ev") == [
        {**e, "reports": [{**r, "run": "run"} for r in e["reports"]]} for e in events
    ]


def test_bad_input_is_one_line_and_an_exit_code(tmp_path: Path) -> None:
    missing = _cli("events", str(tmp_path / "nowhere"), "--out", str(tmp_path / "ev"))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    run = tmp_path / "run"
    run.mkdir()
    (run / "results.jsonl").write_text('{"id": "a", "status": "ok"}\nnot json\n', "utf-8")
    broken = _cli("events", str(run), "--out", str(tmp_path / "ev"))
    assert broken.returncode == 1 and "results.jsonl:2" in broken.stderr
    assert broken.stderr.count("\n") == 1 and "Traceback" not in broken.stderr


def test_eval_scores_the_event_gold_set() -> None:
    done = _cli("eval", "--events")
    assert done.returncode == 0, done.stderr
    assert "precision 1.000, recall 1.000" in done.stdout
    assert "kept apart 4/4" in done.stdout and "conflicts shown 3/3" in done.stdout

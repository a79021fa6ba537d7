"""Real pages: relative dates from the publication date, other events, pages with no event."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from summarizer import Summarizer
from summarizer.cli import main
from summarizer.config import Settings

from .loopback import serve
from .stub import StubServer

TODAY_ARTICLE = (
    "Riyadh, Saudi Press Agency - Saudi Minister of Defence Prince Khalid bin Salman received "
    "today the visiting Pakistani Chief of Army Staff, General Asim Munir, in Riyadh. The two "
    "sides reviewed military cooperation between the two countries. Later in the week, the "
    "minister also met the Omani Minister of Defence, Sayyid Shihab bin Tariq, in Muscat."
)


# The same report, dated by day and month only.
MARCH_ARTICLE = TODAY_ARTICLE.replace("received today", "received on 12 March")


def meeting(date: str | None, date_text: str | None, **extra: Any) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "headline": "Saudi defence minister receives Pakistan's army chief",
        "summary": "Prince Khalid bin Salman received General Asim Munir in Riyadh.",
        "meeting_type": "bilateral",
        "date": date,
        "date_text": date_text,
        "location": {"city": "Riyadh", "country": "Saudi Arabia", "venue": None},
        "participants": [
            {
                "name": "Asim Munir",
                "name_source": "General Asim Munir",
                "title": "Chief of Army Staff",
                "country": "Pakistan",
                "role": "guest",
                "evidence": {"quote": "the visiting Pakistani Chief of Army Staff"},
            }
        ],
        "topics": [
            {
                "title": "Military cooperation",
                "category": "military_cooperation",
                "evidence": {"quote": "reviewed military cooperation between the two countries"},
            }
        ],
        **extra,
    }
    return {"summary": summary, "no_event": None}


def run(steps: list[Any], text: str = TODAY_ARTICLE, **metadata: Any) -> tuple[StubServer, Any]:
    server = StubServer(steps)
    s = Summarizer(settings=Settings(model="m", api_key="k"), http_client=server.client())
    return server, s.summarize(text, **metadata)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "today.txt"
    path.write_text(TODAY_ARTICLE, encoding="utf-8")
    return path


def cli_json(
    args: list[str],
    steps: list[Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[dict[str, Any], Any]:
    with serve(steps) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setattr(sys, "argv", ["summarizer", "summarize", *args, "--format", "json"])
        main()
    return json.loads(capsys.readouterr().out), server


def test_done_when_today_with_published_gives_that_day(
    article: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    output, server = cli_json(
        [str(article), "--published", "2021-06-14"],
        [meeting("2021-06-14", "today")],
        monkeypatch,
        capsys,
    )
    assert output["summary"]["date"] == "2021-06-14"
    assert output["meta"]["article"]["published"] == "2021-06-14"
    assert "2021-06-14" in server.requests[0]["messages"][0]["content"]


def test_done_when_today_without_published_gives_null(
    article: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A model that guesses a date for "today" is re-asked; the null answer is kept.
    output, server = cli_json(
        [str(article)],
        [meeting("2021-06-14", "today"), meeting(None, "today")],
        monkeypatch,
        capsys,
    )
    assert output["summary"]["date"] is None
    assert len(server.requests) == 2
    assert "publication date" in server.requests[1]["messages"][-1]["content"]


def test_done_when_a_year_from_nowhere_is_reasked_naming_it() -> None:
    steps = [meeting("2019-03-12", "12 March"), meeting("2021-03-12", "12 March")]
    server, result = run(steps, MARCH_ARTICLE, published="2021-06-14")
    assert "2019" in server.reask_texts()[0]
    assert result.summary.date.isoformat() == "2021-03-12"


def test_day_and_month_take_the_publication_year_not_a_guess() -> None:
    server, result = run([meeting("2021-03-12", "12 March")], MARCH_ARTICLE, published="2021-06-14")
    assert result.summary.date.isoformat() == "2021-03-12" and len(server.requests) == 1


def test_other_events_are_grounded_and_kept_apart() -> None:
    other = [
        {
            "description": "Meeting with the Omani defence minister in Muscat",
            "evidence": {"quote": "the minister also met the Omani Minister of Defence"},
        }
    ]
    _, result = run([meeting("2021-06-14", "today", other_events=other)], published="2021-06-14")
    (event,) = result.summary.other_events
    assert TODAY_ARTICLE[event.evidence.start : event.evidence.end] == event.evidence.quote
    assert [p.name for p in result.summary.participants] == ["Asim Munir"]


def test_other_event_quote_must_be_in_the_article() -> None:
    invented = [
        {"description": "A call", "evidence": {"quote": "a phone call with Egypt's minister"}}
    ]
    fixed = [
        {
            "description": "Meeting in Muscat",
            "evidence": {"quote": "met the Omani Minister of Defence"},
        }
    ]
    server, _ = run(
        [
            meeting("2021-06-14", "today", other_events=invented),
            meeting("2021-06-14", "today", other_events=fixed),
        ],
        published="2021-06-14",
    )
    assert "other_events[0].evidence.quote" in server.reask_texts()[0]


def test_done_when_headline_page_is_no_event_after_one_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "headlines.txt"
    page.write_text(
        "Most read\n- Oil prices rise\n- Football: Al Hilal wins\n- Weather: rain in Jeddah\n",
        encoding="utf-8",
    )
    reason = "The page is a list of headlines and reports no meeting."
    output, server = cli_json(
        [str(page)], [{"summary": None, "no_event": reason}], monkeypatch, capsys
    )
    assert output == {"summary": None, "meta": output["meta"]}
    assert output["meta"]["no_event"] == reason
    assert len(server.requests) == 1 and output["meta"]["attempts"] == 1

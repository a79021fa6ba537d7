"""News pages: reduced to the article's main text, offsets into that text, metadata kept."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from summarizer import InputError, Summarizer
from summarizer.cli import main
from summarizer.config import Settings
from summarizer.document import extract_page

from .loopback import serve
from .stub import StubServer

PAGE = (Path(__file__).parent / "page_jordan.html").read_text(encoding="utf-8")


def answer() -> dict[str, Any]:
    quote = "استقبل وزير الدفاع اليوم الثلاثاء في الرياض نظيره الأردني"
    return {
        "summary": {
            "headline": "Saudi defence minister receives his Jordanian counterpart in Riyadh",
            "summary": "The defence minister received his Jordanian counterpart in Riyadh.",
            "meeting_type": "bilateral",
            "date": "2024-03-05",
            "date_text": "اليوم الثلاثاء",
            "location": {"city": "Riyadh", "country": "Saudi Arabia", "venue": None},
            "participants": [
                {
                    "name": None,
                    "name_source": None,
                    "title": "Minister of Defence",
                    "role": "host",
                    "country": "Saudi Arabia",
                    "evidence": {"quote": quote},
                },
            ],
            "parties": ["Saudi Arabia", "Jordan"],
            "topics": [
                {
                    "title": "Military cooperation",
                    "category": "military_cooperation",
                    "evidence": {"quote": "سبل تعزيز التعاون العسكري بين البلدين الشقيقين"},
                }
            ],
        },
        "no_event": None,
    }


def test_page_furniture_is_left_out() -> None:
    page = extract_page(PAGE)
    assert "استقبل وزير الدفاع" in page.text
    for furniture in (
        "الأكثر قراءة",
        "الهلال يفوز",
        "جمادى الأولى",
        "شارك",
        "الرئيسية",
        "جميع الحقوق",
    ):
        assert furniture not in page.text
    assert page.title == "وزير الدفاع يستقبل نظيره الأردني"
    assert page.published == "2024-03-05"  # from the page's metadata, not its date widget


def test_html_gives_the_same_summary_as_its_extracted_text() -> None:
    settings = Settings(model="m", api_key="k", use_cache=False)
    from_html = Summarizer(settings=settings, http_client=StubServer([answer()]).client())
    from_text = Summarizer(settings=settings, http_client=StubServer([answer()]).client())
    html_result = from_html.summarize(PAGE, input_format="html")
    text_result = from_text.summarize(extract_page(PAGE).text, published="2024-03-05")
    assert html_result.summary == text_result.summary
    assert html_result.article == extract_page(PAGE).text
    ev = html_result.summary.participants[0].evidence
    assert html_result.article[ev.start : ev.end] == ev.quote
    assert html_result.meta.article.published == "2024-03-05"  # found on the page
    assert html_result.meta.article.input_format == "html"


def test_relative_date_uses_the_page_publication_date() -> None:
    server = StubServer([answer()])
    Summarizer(settings=Settings(model="m", api_key="k"), http_client=server.client()).summarize(
        PAGE, input_format="html"
    )
    assert "published on 2024-03-05" in server.requests[0]["messages"][0]["content"]


def test_the_callers_publication_date_wins_over_the_pages_own() -> None:
    """The caller knows when the article ran (a feed, an archive); the page's metadata may be
    its last edit. "اليوم" then counts from the caller's date."""
    given = answer()
    given["summary"]["date"] = "2024-03-06"
    server = StubServer([given])
    result = Summarizer(
        settings=Settings(model="m", api_key="k", reasks=0), http_client=server.client()
    ).summarize(PAGE, input_format="html", published="2024-03-06")
    assert result.meta.article.published == "2024-03-06"
    assert "published on 2024-03-06" in server.requests[0]["messages"][0]["content"]
    assert result.summary.date.isoformat() == "2024-03-06"


def test_page_without_article_is_one_clear_error() -> None:
    empty = "<html><body><nav><a href='/'>Home</a></nav><footer>©</footer></body></html>"
    s = Summarizer(settings=Settings(model="m", api_key="k"))
    with pytest.raises(InputError, match="no article text"):
        s.summarize(empty, input_format="html")


def test_cli_html_output_carries_the_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    with serve([answer()]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setattr(sys, "argv", ["summarizer", "summarize", str(page)])
        main()
    output = json.loads(capsys.readouterr().out)
    assert set(output) == {"summary", "meta", "article"}
    ev = output["summary"]["topics"][0]["evidence"]
    assert output["article"][ev["start"] : ev["end"]] == ev["quote"]

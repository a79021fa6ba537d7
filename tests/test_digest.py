"""``summarizer digest``: the period's events, each paragraph checked against its merged facts,
every fact linked to its quotes, conflicts in plain words, text neutralised in every format."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx2
import pytest

from summarizer.config import Settings
from summarizer.digest import build_digest, render_digest
from summarizer.digest.check import Allowed, outside_facts
from summarizer.digest.paragraph import allowed_of
from summarizer.evaluation.events import RECORDED_MODEL, run_gold
from summarizer.events.store import load_events, load_reports
from summarizer.replay import ReplayTransport

from .cli_run import run_cli
from .loopback import serve
from .stub import StubServer

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "fixtures" / "events"
CASSETTES = ROOT / "fixtures" / "cassettes" / "digest"
WRITTEN = json.loads((GOLD / "paragraphs.json").read_text(encoding="utf-8"))
FIRST_EVENT = "e01_kuna_ar"  # Kuwait and Pakistan, 10 February 2025, three reports
FEB_10 = dt.date(2025, 2, 10)  # that event's day, and no other's


@pytest.fixture(scope="module")
def events_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("digest")
    run_gold(GOLD, ROOT / "fixtures" / "cassettes" / "events", work)
    return work / "events"


def _settings(**changes: Any) -> Settings:
    return Settings(**{"model": RECORDED_MODEL, "api_key": "replay-no-key", "use_cache": False,
                       **changes})  # fmt: skip


def _replayed(events_dir: Path, lang: str, **kwargs: Any) -> Any:
    client = httpx2.AsyncClient(transport=ReplayTransport(sorted(CASSETTES.glob("*.yaml"))))
    return build_digest(events_dir, lang, settings=_settings(), http_client=client, **kwargs)


def _facts(events_dir: Path, first_report: str = FIRST_EVENT) -> tuple[dict[str, Any], Any]:
    summaries = {r.id: r.summary for r in load_reports(events_dir)}
    event = next(e for e in load_events(events_dir) if e["reports"][0]["id"] == first_report)
    return event, allowed_of(event, summaries)


# The check -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_hand_written_paragraph_passes_the_check(events_dir: Path, lang: str) -> None:
    for event in load_events(events_dir):
        first = event["reports"][0]["id"]
        _, allowed = _facts(events_dir, first)
        assert outside_facts(WRITTEN[first][lang], allowed, lang) == [], first


@pytest.mark.parametrize(
    ("paragraph", "reason"),
    [
        ("On 10 February 2025 Salem Al-Enezi met John Smith in Kuwait City.", '"John"'),
        ("On 12 February 2025 Salem Al-Enezi met Farhan Qureshi.", "12 February 2025"),
        ("Salem Al-Enezi first met Farhan Qureshi in 2019.", "year 2019"),
        ("Salem Al-Enezi and Farhan Qureshi discussed Iran.", '"Iran"'),
        ("On 10 February 2025 Kuwait and Pakistan met Saudi Arabia.", '"Saudi Arabia"'),
        ("في 10 فبراير 2025 التقى سالم العنزي وزير الدفاع الإيراني.", "الإيراني"),
        ("في 14 فبراير 2025 التقى سالم العنزي فرحان قريشي.", "14 فبراير 2025"),
        ("في 10 فبراير 2025 التقى الجانبان في عام 2019.", "2019"),
        ("Salem Al-Enezi met Farhan Qureshi and the UAE delegation.", '"UAE"'),
        ("Salem Al-Enezi met Lt. Gen. Smith.", '"Smith"'),
        ("On Tuesday Salem Al-Enezi met Farhan Qureshi.", '"Tuesday"'),
    ],
)
def test_the_check_names_what_is_outside_the_facts(
    events_dir: Path, paragraph: str, reason: str
) -> None:
    _, allowed = _facts(events_dir)
    lang = "en" if paragraph.isascii() else "ar"
    problems = outside_facts(paragraph, allowed, lang)
    assert any(reason in p for p in problems), problems


@pytest.mark.parametrize(
    "paragraph",
    [
        "في 11 شعبان 1446 استقبل سالم العنزي فرحان قريشي.",  # 10 February 2025, in Hijri
        "On Monday, 10 February 2025, Salem Al-Enezi received Farhan Qureshi.",
        "Lt. Gen. Salem Al-Enezi received Admiral Farhan Qureshi.",
    ],
)
def test_the_check_accepts_what_the_facts_hold_written_another_way(
    events_dir: Path, paragraph: str
) -> None:
    _, allowed = _facts(events_dir)
    lang = "en" if paragraph.isascii() else "ar"
    assert outside_facts(paragraph, allowed, lang) == []


def test_a_country_is_refused_unless_it_is_a_word_of_a_name_in_the_facts(
    events_dir: Path,
) -> None:
    _, allowed = _facts(events_dir, "e06_qna_en")  # the GCC meeting: Faisal bin Turki
    assert outside_facts("Prince Faisal bin Turki attended.", allowed, "en") == []
    problems = outside_facts("Turkey also sent a delegation.", allowed, "en")
    assert any('"Turkey"' in p for p in problems), problems


def test_a_person_called_another_partys_is_refused(events_dir: Path) -> None:
    # What a real 1.5B model wrote of the GCC meeting: Al Marri is Qatar's, not the UAE's.
    _, allowed = _facts(events_dir, "e06_qna_en")
    wrong = "The UAE's Minister of State for Defence Affairs, Hamad bin Ali Al Marri, hosted it."
    assert any('"The UAE\'s"' in p for p in outside_facts(wrong, allowed, "en"))
    right = ("Qatar's Minister of State for Defence Affairs Hamad bin Ali Al Marri hosted"
             " Prince Faisal bin Turki of Saudi Arabia and Kuwait's Mishaal Al-Jaber.")  # fmt: skip
    assert outside_facts(right, allowed, "en") == []


def test_a_paragraph_in_the_other_language_is_refused(events_dir: Path) -> None:
    _, allowed = _facts(events_dir)
    problems = outside_facts(WRITTEN[FIRST_EVENT]["en"], allowed, "ar")
    assert problems == ["the paragraph is not in Arabic"]


def test_the_place_written_omans_way_may_be_amman() -> None:
    # "عمان" is Oman and Amman: a meeting of Jordan and Kuwait in Amman names no Oman.
    allowed = Allowed.of({dt.date(2025, 3, 20)}, {"JO", "KW"}, [], [])
    assert outside_facts("في 20 مارس 2025 التقى الجانبان في عمان.", allowed, "ar") == []
    elsewhere = Allowed.of({dt.date(2025, 3, 20)}, {"SA", "KW"}, [], [])
    assert outside_facts("في 20 مارس 2025 التقى الجانبان في عمان.", elsewhere, "ar")


# The model's paragraphs ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_replayed_digest_carries_each_events_recorded_paragraph(
    events_dir: Path, lang: str
) -> None:
    digest = _replayed(events_dir, lang)
    assert digest.written.failed == 0 and digest.written.asked == 7 == digest.event_count
    firsts = {e["id"]: e["reports"][0]["id"] for e in load_events(events_dir)}
    for event in digest.sections[0].events:
        assert event.paragraph.text == WRITTEN[firsts[event.id]][lang]


def test_a_paragraph_naming_what_the_facts_do_not_is_asked_again(events_dir: Path) -> None:
    good = WRITTEN[FIRST_EVENT]["en"]
    stub = StubServer([{"paragraph": "Kuwait's army chief met Iran's navy chief."},
                       {"paragraph": good}])  # fmt: skip
    digest = build_digest(events_dir, "en", since=FEB_10, until=FEB_10,
                          settings=_settings(), http_client=stub.client())  # fmt: skip
    assert digest.sections[0].events[0].paragraph.text == good
    assert len(stub.requests) == 2 and '"Iran"' in stub.reask_texts()[0]


def test_a_paragraph_still_wrong_after_the_reasks_is_left_out_saying_why(
    events_dir: Path,
) -> None:
    stub = StubServer([{"paragraph": "Salem Al-Enezi met Iran's navy chief in 2019."}])
    digest = build_digest(events_dir, "en", since=FEB_10, until=FEB_10,
                          settings=_settings(reasks=1), http_client=stub.client())  # fmt: skip
    event = digest.sections[0].events[0]
    assert event.paragraph.text is None and digest.written.failed == 1
    markdown = render_digest(digest, "md")
    assert "No paragraph" in markdown and "Iran" in markdown
    assert "Salem Al-Enezi met Iran" not in markdown  # the unchecked prose is never printed


def test_paragraphs_come_from_the_cache_the_second_time(events_dir: Path, tmp_path: Path) -> None:
    settings = _settings(use_cache=True, cache_dir=tmp_path / "cache")
    for expected_asked, expected_cached in ((7, 0), (0, 7)):
        client = httpx2.AsyncClient(transport=ReplayTransport(sorted(CASSETTES.glob("*.yaml"))))
        digest = build_digest(events_dir, "en", settings=settings, http_client=client)
        assert (digest.written.asked, digest.written.cached) == (expected_asked, expected_cached)


def test_a_kept_paragraph_the_check_now_refuses_is_asked_again(
    events_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarizer.digest import paragraph

    settings = _settings(use_cache=True, cache_dir=tmp_path / "cache")
    stub = StubServer([{"paragraph": WRITTEN[FIRST_EVENT]["en"]}])
    build_digest(events_dir, "en", since=FEB_10, until=FEB_10, settings=settings,
                 http_client=stub.client())  # fmt: skip
    monkeypatch.setattr(paragraph, "outside_facts", lambda *_: ["a stricter check"])
    again = build_digest(events_dir, "en", since=FEB_10, until=FEB_10, settings=settings,
                         http_client=stub.client())  # fmt: skip
    assert (again.written.cached, again.written.asked, again.written.failed) == (0, 1, 1)


# What the digest shows ---------------------------------------------------------------------


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if tag == "a" and (found.get("href") or "").startswith("#"):
            self.links.append((found["href"] or "")[1:])
        self.scripts += tag == "script"


def test_every_fact_in_the_html_links_to_its_quotes_and_back(events_dir: Path) -> None:
    digest = _replayed(events_dir, "both")
    page = _Anchors()
    page.feed(str(render_digest(digest, "html")))
    assert page.links and set(page.links) <= page.ids
    for section in digest.sections:
        for fact in section.facts:
            assert fact.quotes, fact
            assert section.quote_anchor(fact) in page.links
            assert section.fact_anchor(fact) in page.links
    assert '<article class="briefing digest" lang="ar" dir="rtl">' in str(
        render_digest(digest, "html")
    )


def test_every_fact_in_the_markdown_links_to_its_quotes(events_dir: Path) -> None:
    markdown = str(render_digest(_replayed(events_dir, "both"), "md"))
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', markdown))
    links = re.findall(r"\]\(#([^)]+)\)", markdown)
    assert links and set(links) <= anchors
    assert {a for a in anchors if "-fact-" in a} == {a for a in links if "-fact-" in a}


def test_conflicts_are_told_in_plain_words_naming_the_outlets(events_dir: Path) -> None:
    digest = _replayed(events_dir, "both")
    english, arabic = str(render_digest(digest, "md")).split("\n---\n")
    assert (
        "Reports differ on the date: 10 February 2025 (KUNA and Gulf Daily);"
        " 9 February 2025 (Regional Observer)." in english
    )
    assert (
        "memorandum of understanding: reported by KUNA and Gulf Daily, not by Regional" in english
    )
    assert "تختلف التقارير في التاريخ" in arabic and "Regional Observer" in arabic


def test_one_outcome_two_outlets_is_one_fact_with_both_quotes(events_dir: Path) -> None:
    event = _replayed(events_dir, "en").sections[0].events[0]
    outcomes = [f for f in event.facts if f.kind == "outcome"]
    assert len(outcomes) == 1
    assert {q.outlet for q in outcomes[0].quotes} == {"KUNA", "Gulf Daily"}


def test_events_are_grouped_by_their_parties_in_date_order(events_dir: Path) -> None:
    section = _replayed(events_dir, "en").sections[0]
    labels = [g.label for g in section.groups]
    assert labels[:2] == ["Kuwait – Pakistan", "Jordan – Oman"]
    jordan_oman = section.groups[1].events
    assert [e.day for e in jordan_oman] == ["3 March 2025", "20 March 2025"]
    assert len({e.id for e in section.events}) == 7  # the look-alike meetings stay apart


def test_the_period_keeps_only_its_events(events_dir: Path) -> None:
    digest = build_digest(events_dir, "en", since=dt.date(2025, 4, 1), until=dt.date(2025, 4, 30),
                          paragraphs=False)  # fmt: skip
    assert [e.day for e in digest.sections[0].events] == ["15 April 2025"] * 2
    assert digest.reports == 3 and digest.written is None
    assert "Digest of meetings: 1 April 2025 to 30 April 2025" in str(render_digest(digest, "md"))


def test_arabic_markdown_marks_its_lines_right_to_left_but_not_its_table_rows(
    events_dir: Path,
) -> None:
    arabic = str(render_digest(_replayed(events_dir, "ar"), "md"))
    rows = [line for line in arabic.splitlines() if "|" in line]
    assert rows and all(line.startswith("|") for line in rows)
    assert '<div dir="rtl" lang="ar">' in arabic
    assert "\u200f" in arabic  # the right-to-left mark on its text lines


def test_the_docx_digest_opens_with_its_paragraphs_right_to_left_in_arabic(
    events_dir: Path,
) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document(io.BytesIO(render_digest(_replayed(events_dir, "ar"), "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert WRITTEN[FIRST_EVENT]["ar"] in text
    paragraph = next(p for p in document.paragraphs if p.text == WRITTEN[FIRST_EVENT]["ar"])
    assert paragraph._p.pPr.find(docx.oxml.ns.qn("w:bidi")) is not None
    assert document.tables  # who met whom, the areas


def test_model_and_report_text_is_inert_in_every_format(events_dir: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "events"
    shutil.copytree(events_dir, hostile)
    path = hostile / "events.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Maritime security", "<script>alert(1)</script>\u202e[x](javascript:alert(2))"),
        encoding="utf-8")  # fmt: skip
    paragraph = "On 10 February 2025 Kuwait and Pakistan met. <script>alert(3)</script>"
    stub = StubServer([{"paragraph": paragraph}])
    digest = build_digest(hostile, "en", since=FEB_10, until=FEB_10,
                          settings=_settings(), http_client=stub.client())  # fmt: skip
    assert digest.sections[0].events[0].paragraph.text == paragraph
    page = _Anchors()
    html = str(render_digest(digest, "html"))
    page.feed(html)
    assert (
        page.scripts == 0 and "&lt;script&gt;alert(1)" in html and "&lt;script&gt;alert(3)" in html
    )
    markdown = str(render_digest(digest, "md"))
    assert "<script>" not in markdown and "\\<script\\>alert(3)" in markdown
    assert "\\[x\\](javascript\\:alert(2))" in markdown  # text, not a link
    assert "\u202e" not in markdown + html


# The command line ----------------------------------------------------------------------


def test_digest_without_paragraphs_asks_no_model_and_exits_0(
    events_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    out = tmp_path / "d.html"
    code, _, err = run_cli(["digest", str(events_dir), "--no-paragraphs", "--format", "html",
                            "-o", str(out)], monkeypatch, capsys)  # fmt: skip
    assert code == 0, err
    assert "Who met whom" in out.read_text(encoding="utf-8")


def test_digest_exits_1_when_a_paragraph_is_missing_and_still_writes_the_rest(
    events_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    out = tmp_path / "d.md"
    with serve([{"paragraph": "Salem Al-Enezi met Iran's navy chief in 2019."}]) as server:
        code, _, err = run_cli(
            ["digest", str(events_dir), "--from", "2025-02-10", "--to", "2025-02-10",
             "--base-url", server.url, "--api-key", "k", "--model", RECORDED_MODEL,
             "--reasks", "0", "--no-cache", "-o", str(out)], monkeypatch, capsys)  # fmt: skip
    assert code == 1
    assert "1 paragraph(s) asked, 0 from the cache, 1 failed" in err
    assert "Traceback" not in err
    written = out.read_text(encoding="utf-8")
    assert "No paragraph" in written and "10 February 2025" in written


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "10/02/2025"], "--from '10/02/2025': give a day as YYYY-MM-DD"),
        (["--from", "2025-05-01", "--to", "2025-04-01"], "the period is empty"),
        (["--lang", "fr"], "fr"),
        (["--format", "rtf"], "rtf"),
    ],
)
def test_digest_usage_errors_exit_2_with_one_line(
    events_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, args: list[str], message: str
) -> None:
    code, out, err = run_cli(["digest", str(events_dir), "--no-paragraphs", *args],
                             monkeypatch, capsys)  # fmt: skip
    assert code == 2 and message in err and "Traceback" not in err and out == ""


def test_digest_of_a_directory_without_events_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    code, _, err = run_cli(["digest", str(tmp_path)], monkeypatch, capsys)
    assert code == 2 and "no events.jsonl here" in err


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda text: text + "\udcff not utf-8\n", "not UTF-8 text"),
        (lambda text: text + '{"id": "x"}\n', "event 8: not an event as `summarizer events`"),
        (lambda text: text.replace('"date": "2025-02-10"', '"date": "yesterday"', 1),
         "event 1: not an event as `summarizer events` writes it (date: "),
        (lambda text: text + "[1, 2\n", "not JSON"),
        (lambda text: text.replace('"date": "2025-02-10"', '"date": "20250210"', 1), "(date: "),
        (lambda text: text.replace('"evidence": [{"report": "e01_kuna_ar"',
                                   '"evidence": [{"report": "nobody"', 1),
         "evidence from 'nobody'"),
        (lambda text: text.replace('"names": ["Kuwait"', '"names": [], "x": ["Kuwait"', 1),
         "names: List should have at least 1 item"),
    ],
)  # fmt: skip
def test_a_damaged_events_file_stops_with_one_line_saying_where(
    events_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    damage: Any,
    message: str,
) -> None:
    damaged = tmp_path / "events"
    shutil.copytree(events_dir, damaged)
    path = damaged / "events.jsonl"
    text = damage(path.read_text(encoding="utf-8"))
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    code, _, err = run_cli(["digest", str(damaged), "--no-paragraphs"], monkeypatch, capsys)
    assert code == 1 and message in err and len(err.splitlines()) == 1, err


def test_a_format_not_installed_is_said_before_any_model_is_asked(
    events_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from summarizer.digest import command

    monkeypatch.setattr(command, "format_missing", lambda fmt: f"{fmt} needs a library")
    with serve([{"paragraph": WRITTEN[FIRST_EVENT]["en"]}]) as server:
        code, _, err = run_cli(
            ["digest", str(events_dir), "--format", "pdf", "-o", str(tmp_path / "d.pdf"),
             "--base-url", server.url, "--api-key", "k", "--no-cache"],
            monkeypatch, capsys)  # fmt: skip
        assert server.requests == []
    assert code == 2 and "pdf needs a library" in err

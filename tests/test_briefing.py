"""Briefings of the seed summaries: snapshots, escaping, evidence links, bilingual, no event.

The Results come from replaying the demo cassettes (fixtures/cassettes/demo), so the
briefings tested are the ones `summarizer demo` writes. The prompt version is pinned in
them so that a prompt edit re-records cassettes without rewriting every snapshot.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from summarizer import render_briefing
from summarizer.demo import demo_summarizer
from summarizer.errors import ConfigError
from summarizer.result import ArticleMeta, Meta, Result

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = sorted(p.stem for p in (FIXTURES / "articles").glob("*.txt"))
SCHEMAS = ("meeting", "cooperation")
CASES = [
    pytest.param(stem, schema, lang, id=f"{stem[:3]}-{schema}-{lang}")
    for stem in SEEDS
    for schema in SCHEMAS
    for lang in ("en", "ar")
]


@cache
def seed_result(stem: str, schema: str, lang: str) -> Result:
    """The demo's Result for one seed article, schema and language (en, ar or both)."""
    cassette = FIXTURES / "cassettes" / "demo" / f"{stem}.{schema}.{lang}.yaml"
    if not cassette.exists():
        pytest.skip(f"no recorded answer {cassette.name}")
    text = (FIXTURES / "articles" / f"{stem}.txt").read_text(encoding="utf-8")
    result = demo_summarizer([cassette]).summarize(text, schema, lang)
    assert result.meta is not None
    result.meta.prompt_version = "pinned"
    return result


def fresh(stem: str, schema: str, lang: str) -> Result:
    """A copy of a seed result that a test may change."""
    return copy.deepcopy(seed_result(stem, schema, lang))


def bilingual(stem: str, schema: str) -> Result:
    """A ``lang="both"`` Result put together from the English and Arabic seed results."""
    en, ar = seed_result(stem, schema, "en"), seed_result(stem, schema, "ar")
    assert en.meta is not None and not isinstance(en.summary, dict) and en.summary is not None
    assert not isinstance(ar.summary, dict) and ar.summary is not None
    meta = dataclasses.replace(en.meta, lang="both")
    return Result({"en": en.summary, "ar": ar.summary}, meta, en.article)


class _Text(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT


class HTMLSnapshot(_Text):
    file_extension = "html"


class MarkdownSnapshot(_Text):
    file_extension = "md"


@pytest.mark.parametrize(("stem", "schema", "lang"), CASES)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_seed_briefings_match_their_snapshots(
    stem: str, schema: str, lang: str, fmt: str, snapshot: SnapshotAssertion
) -> None:
    extension = MarkdownSnapshot if fmt == "md" else HTMLSnapshot
    assert render_briefing(seed_result(stem, schema, lang), fmt) == snapshot(
        extension_class=extension
    )


# --- HTML structure ------------------------------------------------------------------------
class Briefing(HTMLParser):
    """What a test needs from a briefing: marks' text by id, links, tags, lang/dir blocks."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: dict[str, str] = {}  # id -> the text inside the mark, nested marks included
        self.pieces: dict[str, str] = {}  # data-ref -> the text of all its pieces, in order
        self.links: list[str] = []
        self.tags: list[str] = []
        self.blocks: list[dict[str, str | None]] = []  # attributes of <article> elements
        self._open: list[tuple[str, str | None, str | None]] = []  # (tag, id, data-ref)
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "a" and (a.get("href") or "").startswith("#"):
            self.links.append(str(a["href"])[1:])
        if tag == "article":
            self.blocks.append(a)
        if tag in ("meta", "br"):
            return
        self._open.append((tag, a.get("id"), a.get("data-ref")))
        if tag == "mark" and a.get("id"):
            self.marks[str(a["id"])] = ""

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for tag, ident, _ in self._open:
            if tag == "mark" and ident:
                self.marks[ident] += data
        refs = {ref for tag, _, ref in self._open if tag == "mark" and ref}
        for ref in refs:
            self.pieces[ref] = self.pieces.get(ref, "") + data


def _offsets(ident: str) -> tuple[int, int]:
    start, end = re.fullmatch(r"q(\d+)-(\d+)", ident).groups()  # type: ignore[union-attr]
    return int(start), int(end)


def _evidence(summary: Any) -> list[Any]:
    names = ("participants", "topics", "outcomes", "other_events", "parties", "areas")
    items = [item for name in names for item in getattr(summary, name, [])]
    return [item.evidence for item in items if hasattr(item, "evidence")]


@pytest.mark.parametrize(("stem", "schema", "lang"), CASES)
def test_every_evidence_link_lands_on_the_span_its_offsets_name(
    stem: str, schema: str, lang: str
) -> None:
    result = seed_result(stem, schema, lang)
    page = Briefing(render_briefing(result, "html"))

    assert page.links, "a briefing of a checked summary links its facts to evidence"
    for target in page.links:
        start, end = _offsets(target)
        assert page.marks[target] == result.article[start:end]
    linked = set(page.links)
    for evidence in _evidence(result.summary):
        assert f"q{evidence.start}-{evidence.end}" in linked
        assert result.article[evidence.start : evidence.end] == evidence.quote.strip()


def test_overlapping_evidence_spans_nest_and_crossing_ones_split() -> None:
    result = fresh(SEEDS[0], "meeting", "en")
    summary = result.summary
    assert summary is not None and not isinstance(summary, dict)
    # Three spans: one inside another, and one crossing the outer's end.
    spans = [(10, 60), (20, 40), (50, 90)]
    for evidence, (start, end) in zip(_evidence(summary), spans, strict=False):
        evidence.start, evidence.end = start, end
    page = Briefing(render_briefing(result, "html"))

    assert page.marks["q10-60"] == result.article[10:60]
    assert page.marks["q20-40"] == result.article[20:40]
    assert page.marks["q50-90"] == result.article[50:60]  # its first piece, inside q10-60
    assert page.pieces["q50-90"] == result.article[50:90]  # all its pieces together


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "الوزير <script>alert('x')</script> NATO",
        '"><img src=x onerror=alert(1)>',
    ],
)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_model_text_is_inert_in_html(text: str, lang: str) -> None:
    result = fresh(SEEDS[0], "meeting", lang)
    summary = result.summary
    assert summary is not None and not isinstance(summary, dict)
    summary.headline = summary.summary = text
    summary.participants[0].name = text
    summary.background = [text]

    html = render_briefing(result, "html")
    page = Briefing(html)

    assert "script" not in page.tags and "img" not in page.tags
    assert "<script" not in html and "<img" not in html and "&lt;" in html


def test_arabic_html_isolates_latin_and_sets_direction() -> None:
    result = fresh(SEEDS[1], "meeting", "ar")
    assert result.meta is not None and result.summary is not None
    result.meta.article = dataclasses.replace(
        result.meta.article, outlet="SPA", published="2024-03-05"
    )
    html = render_briefing(result, "html")

    assert '<html lang="ar" dir="rtl">' in html
    assert '<article class="briefing" lang="ar" dir="rtl">' in html
    assert '<bdi dir="ltr" lang="en">SPA</bdi>، 5 مارس 2024' in html
    assert "http" not in html.replace("http-equiv", "")  # nothing is fetched


def test_english_header_comes_from_metadata() -> None:
    result = fresh(SEEDS[0], "meeting", "en")
    assert result.meta is not None
    result.meta.article = dataclasses.replace(
        result.meta.article, outlet="SPA", published="2023-10-24"
    )
    md = render_briefing(result, "md")
    assert "*Meeting briefing · Source: SPA, 24 October 2023*" in md
    assert "SPA, 24 October 2023" in render_briefing(result, "html")


# --- Markdown --------------------------------------------------------------------------------
def test_arabic_markdown_reads_right_to_left() -> None:
    result = fresh(SEEDS[1], "meeting", "ar")
    summary = result.summary
    assert summary is not None and not isinstance(summary, dict)
    summary.background = ["NATO هو حلف شمال الأطلسي"]
    md = render_briefing(result, "md")

    assert md.startswith('<div dir="rtl" lang="ar">')
    assert "- \u200fNATO هو حلف شمال الأطلسي" in md  # a Latin start keeps the line RTL
    assert "بروكسل، بلجيكا" in md  # the Arabic comma in Arabic lists
    assert "المشاركون" in md and "Participants" not in md


# --- both languages ------------------------------------------------------------------------
def _both_results() -> list[Any]:
    built = [
        pytest.param(stem, schema, "built", id=f"{stem[:3]}-{schema}-built")
        for stem in SEEDS
        for schema in SCHEMAS
    ]
    recorded = [
        pytest.param(stem, schema, "both", id=f"{stem[:3]}-{schema}-both")
        for stem in SEEDS
        for schema in SCHEMAS
    ]
    return built + recorded


@pytest.mark.parametrize(("stem", "schema", "how"), _both_results())
def test_bilingual_briefing_has_both_languages_with_the_same_facts(
    stem: str, schema: str, how: str
) -> None:
    result = bilingual(stem, schema) if how == "built" else seed_result(stem, schema, "both")
    assert isinstance(result.summary, dict)
    en, ar = result.summary["en"], result.summary["ar"]
    html = render_briefing(result, "html")
    page = Briefing(html)
    md = render_briefing(result, "md")

    assert [(b["lang"], b["dir"]) for b in page.blocks] == [("en", "ltr"), ("ar", "rtl")]
    assert en.headline in md and ar.headline in md
    assert "Participants" in md or "Parties" in md
    assert "المشاركون" in md or "الأطراف" in md
    for target in page.links:
        start, end = _offsets(target)
        assert page.marks[target] == result.article[start:end]
    if schema == "meeting":
        assert en.date == ar.date
        if en.date:
            day = en.date.day
            assert f"{day} " in html and "October" in html and "أكتوبر" in html
        assert len(en.participants) == len(ar.participants)
        assert [p.name_source for p in en.participants] == [p.name_source for p in ar.participants]
    for section in ("en", "ar"):
        refs = {(e.start, e.end) for e in _evidence(result.summary[section])}
        for start, end in refs:
            assert f'href="#q{start}-{end}"' in html


# --- the edges -------------------------------------------------------------------------------
def _no_event(lang: str) -> Result:
    meta = Meta(
        model="m",
        schema="meeting",
        lang=lang,
        mode="tools",
        prompt_version="pinned",
        article=ArticleMeta(chars=12, sha256="", source_language="ar", outlet="SPA"),
        no_event="The article lists headlines and reports no meeting.",
    )
    return Result(None, meta, "عناوين اليوم")


@pytest.mark.parametrize(
    ("lang", "fmt", "expected"),
    [
        ("en", "md", "# No event reported"),
        ("ar", "md", "# لا يتضمن المقال حدثًا"),
        ("en", "html", "<h1>No event reported</h1>"),
        ("ar", "html", "<h1>لا يتضمن المقال حدثًا</h1>"),
        ("both", "md", "# لا يتضمن المقال حدثًا"),
    ],
)
def test_no_event_gives_a_short_briefing_saying_so(lang: str, fmt: str, expected: str) -> None:
    text = render_briefing(_no_event(lang), fmt)
    assert isinstance(text, str)
    assert expected in text
    assert "reports no meeting" in text
    assert "<mark" not in text


@pytest.mark.parametrize("fmt", ["txt", "PDF", "", "json"])
def test_unknown_format_is_a_config_error(fmt: str) -> None:
    with pytest.raises(ConfigError, match="md, html, pdf, docx"):
        render_briefing(_no_event("en"), fmt)


def test_a_failed_result_has_no_briefing() -> None:
    with pytest.raises(ConfigError, match="failed"):
        render_briefing(Result(None, None, "", error=ConfigError("x")), "md")


def _partial(lang: str, dropped: int) -> Result:
    result = fresh(SEEDS[0], "meeting", lang)
    assert result.meta is not None
    result.meta.complete = False
    result.meta.dropped = [
        {"path": f"topics[{i}]", "reason": 'evidence.quote "x" is not in the article'}
        for i in range(dropped)
    ]
    return result


@pytest.mark.parametrize(
    ("lang", "fmt", "dropped", "expected"),
    [
        ("en", "md", 2, "Partial result: 2 items could not be verified and were left out."),
        ("en", "md", 1, "Partial result: 1 item could not be verified and was left out."),
        ("ar", "md", 3, "نتيجة جزئية: تعذّر التحقق من 3 من العناصر فاستُبعدت."),
        ("en", "html", 2, "Partial result: 2 items could not be verified and were left out."),
        ("ar", "html", 2, "نتيجة جزئية: تعذّر التحقق من 2 من العناصر فاستُبعدت."),
    ],
)
def test_a_partial_briefing_says_how_many_items_were_left_out(
    lang: str, fmt: str, dropped: int, expected: str
) -> None:
    text = render_briefing(_partial(lang, dropped), fmt)
    assert isinstance(text, str)
    assert expected in text.replace("\\.", ".")  # Markdown escapes the full stop
    complete = render_briefing(fresh(SEEDS[0], "meeting", lang), fmt)
    assert isinstance(complete, str)
    assert "Partial result" not in complete and "نتيجة جزئية" not in complete


def test_a_partial_docx_briefing_says_so_too() -> None:
    import io

    import docx

    document = docx.Document(io.BytesIO(render_briefing(_partial("en", 2), "docx")))  # type: ignore[arg-type]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Partial result: 2 items could not be verified and were left out." in text


def test_a_briefing_of_something_that_is_no_result_is_a_type_error() -> None:
    from summarizer import render_briefing

    with pytest.raises(TypeError, match="takes a Result"):
        render_briefing(None, "md")  # type: ignore[call-overload]

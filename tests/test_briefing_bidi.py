"""Script runs isolated for bidi, and evidence spans turned into marks: tables of cases."""

from __future__ import annotations

import doctest
import importlib

import pytest

from summarizer.briefing.bidi import RLM, isolate, mark_rtl_lines
from summarizer.briefing.highlight import Piece, highlight_html, number_spans, pieces

LTR = '<bdi dir="ltr" lang="en">'
RTL = '<bdi dir="rtl" lang="ar">'


@pytest.mark.parametrize(
    ("text", "lang", "html"),
    [
        ("التقى NATO في بروكسل", "ar", f"التقى {LTR}NATO</bdi> في بروكسل"),
        ("المصدر: SPA, 24/10/2023", "ar", f"المصدر: {LTR}SPA, 24/10/2023</bdi>"),
        # punctuation around a run stays outside it
        ("(ICI) إطار", "ar", f"({LTR}ICI</bdi>) إطار"),
        ("السعودية - NATO 3.", "ar", f"السعودية - {LTR}NATO 3</bdi>."),
        ("مع Jens Stoltenberg، أمين", "ar", f"مع {LTR}Jens Stoltenberg</bdi>، أمين"),
        ("24 أكتوبر 2023", "ar", "24 أكتوبر 2023"),  # digits alone need no isolation
        ("<i>ناتو</i>", "ar", f"&lt;{LTR}i</bdi>&gt;ناتو&lt;/{LTR}i</bdi>&gt;"),
        ("Khalid (خالد بن سلمان), Minister", "en", f"Khalid ({RTL}خالد بن سلمان</bdi>), Minister"),
        ("Riyadh, Saudi Arabia", "en", "Riyadh, Saudi Arabia"),
        ("a <script> & b", "en", "a &lt;script&gt; &amp; b"),
        (None, "ar", ""),
    ],
)
def test_isolate_wraps_runs_of_the_other_script(text: str | None, lang: str, html: str) -> None:
    assert str(isolate(text, lang)) == html


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("- NATO يجتمع", f"- {RLM}NATO يجتمع"),
        ("# NATO والسعودية", f"# {RLM}NATO والسعودية"),
        ("- **ICI** إطار", f"- **{RLM}ICI** إطار"),
        # Inside the emphasis: "**" after a mark and before punctuation would not open.
        ("- **\\<img\\>** إطار", f"- **{RLM}\\<img\\>** إطار"),
        ("- **إسماعيل خليل** NATO", "- **إسماعيل خليل** NATO"),
        ("شارك الحرس", "شارك الحرس"),
        ('<div dir="rtl" lang="ar">', '<div dir="rtl" lang="ar">'),
        ("", ""),
        ("---", "---"),
    ],
)
def test_arabic_markdown_lines_opening_with_latin_get_a_rlm(line: str, expected: str) -> None:
    assert mark_rtl_lines(line) == expected


ARTICLE = "0123456789abcdefghij\n\nklmnop"


@pytest.mark.parametrize(
    ("spans", "html"),
    [
        ([], "<p>0123456789abcdefghij</p>\n<p>klmnop</p>"),
        ([(2, 5)], '<p>01<mark id="q2-5" data-n="1" data-ref="q2-5">234</mark>56789abcdefghij</p>'),
        # nested: the inner mark inside the outer, each with its exact text
        (
            [(2, 8), (4, 6)],
            '<p>01<mark id="q2-8" data-n="1" data-ref="q2-8">23'
            '<mark id="q4-6" data-n="2" data-ref="q4-6">45</mark>67</mark>89',
        ),
        # same start: the longer one outside
        (
            [(2, 5), (2, 8)],
            '<p>01<mark id="q2-8" data-n="2" data-ref="q2-8">'
            '<mark id="q2-5" data-n="1" data-ref="q2-5">234</mark>567</mark>',
        ),
        # crossing: the later span split where the earlier ends
        (
            [(2, 6), (4, 9)],
            '<p>01<mark id="q2-6" data-n="1" data-ref="q2-6">23'
            '<mark id="q4-9" data-n="2" data-ref="q4-9">45</mark></mark>'
            '<mark data-ref="q4-9">678</mark>9',
        ),
        # a span over a paragraph break keeps the break inside it, verbatim
        ([(18, 24)], '<mark id="q18-24" data-n="1" data-ref="q18-24">ij\n\nkl</mark>mnop</p>'),
        # duplicates and empty spans count once, or not at all
        ([(2, 5), (2, 5), (7, 7)], '<p>01<mark id="q2-5" data-n="1" data-ref="q2-5">234</mark>5'),
    ],
)
def test_highlight_marks_spans_at_their_offsets(spans: list[tuple[int, int]], html: str) -> None:
    assert html in str(highlight_html(ARTICLE, number_spans(spans)))


def test_pieces_cut_the_article_where_marks_open_and_close() -> None:
    assert pieces(ARTICLE, number_spans([(2, 8), (4, 12)])) == [
        Piece("01", 0),
        Piece("23", 1, (1,)),
        Piece("4567", 2, (2,)),
        Piece("89ab", 1),
        Piece("cdefghij\n\nklmnop", 0),
    ]


@pytest.mark.parametrize(
    "module",
    [
        "summarizer.briefing.bidi",
        "summarizer.briefing.clean",
        "summarizer.briefing.markdown",
        "summarizer.briefing.render",
    ],
)
def test_docstring_examples_run(module: str) -> None:
    failed, attempted = doctest.testmod(importlib.import_module(module))
    assert attempted and not failed

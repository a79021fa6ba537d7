"""Model and metadata text is inert in every briefing format: links only for http(s), no
Markdown or HTML of its own, no control characters, no bidi override that outlives its text.

Markdown is checked by parsing it with markdown-it-py (CommonMark, with GFM's tables and
strikethrough) and counting what it makes: a hostile answer must give the same headings,
list items, links, images and raw HTML as a harmless one.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from pydantic import BaseModel

from summarizer import render_briefing
from summarizer.briefing.clean import clean_text, http_url
from summarizer.result import Result

from .cli_run import run_cli
from .crafted import ARTICLE_000, good_meeting
from .loopback import serve
from .test_briefing import SEEDS, bilingual, fresh

# Fields that are codes (enums), not text: they never reach a briefing as written.
CODES = {"meeting_type", "role", "category", "kind", "output_language", "source_language", "match"}


def _fill(model: BaseModel, text: str) -> None:
    """Set every free-text field of ``model``, at every depth, to ``text``."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            _fill(value, text)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _fill(item, text)
                elif isinstance(item, str):
                    value[i] = text
        elif isinstance(value, str) and name not in CODES:
            setattr(model, name, text)


def hostile(schema: str, lang: str, text: str, url: str | None = None) -> Result:
    """A seed result whose every text, and the article's metadata, is ``text``."""
    result = bilingual(SEEDS[1], schema) if lang == "both" else fresh(SEEDS[1], schema, lang)
    summaries = result.summary.values() if isinstance(result.summary, dict) else [result.summary]
    for summary in summaries:
        assert summary is not None
        _fill(summary, text)
    assert result.meta is not None
    result.meta.article = dataclasses.replace(result.meta.article, outlet=text, title=text, url=url)
    result.meta.warnings = [text]
    return result


# --- links ------------------------------------------------------------------------------------
class _Links(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                self.hrefs.append(value or "")


def _parser() -> MarkdownIt:
    """CommonMark with GFM's tables and strikethrough, accepting every link it recognises
    (markdown-it-py itself drops ``javascript:`` links; other renderers do not)."""
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


def _md_links(md: str) -> list[str]:
    """Every link and image target markdown-it-py finds in ``md``."""
    targets = []
    for token in _parser().parse(md):
        for child in token.children or []:
            if child.type in ("link_open", "image"):
                targets.append(str(child.attrGet("href") or child.attrGet("src")))
    return targets


def _outside_links(fmt: str, briefing: str) -> list[str]:
    """Link targets that leave the document (not ``#q..`` evidence anchors)."""
    found = _md_links(briefing) if fmt == "md" else _Links(briefing).hrefs
    return [target for target in found if not target.startswith("#")]


HOSTILE_URLS = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\nscript:alert(1)",
    "java\x00script:alert(1)",
    "javascript&#58;alert(1)",
    "&#106;avascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "http:alert(1)",
    "https:\\\\evil.example",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_url_that_is_not_http_is_never_a_link(fmt: str, url: str) -> None:
    result = fresh(SEEDS[0], "meeting", "en")
    assert result.meta is not None
    result.meta.article = dataclasses.replace(result.meta.article, url=url, title="The page")

    briefing = render_briefing(result, fmt)

    assert _outside_links(fmt, briefing) == []


@pytest.mark.parametrize("url", ["https://www.spa.gov.sa/w2005443", "HTTP://example.com/a?b=c&d"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_http_url_is_a_link_to_itself(fmt: str, url: str) -> None:
    result = fresh(SEEDS[0], "meeting", "en")
    assert result.meta is not None
    result.meta.article = dataclasses.replace(result.meta.article, url=url, title="The [page]")

    assert _outside_links(fmt, render_briefing(result, fmt)) == [url]


@pytest.mark.parametrize(
    ("url", "expected"),
    [(url, None) for url in HOSTILE_URLS]
    + [("https://a.example/x", "https://a.example/x"), ("http://[::1", None), ("https://", None)],
)
def test_http_url_keeps_only_http_and_https_with_a_host(url: str, expected: str | None) -> None:
    assert http_url(url) == expected


def test_the_cli_url_flag_cannot_make_a_live_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE_000, encoding="utf-8")
    url = "javascript:alert(document.cookie)"
    with serve([good_meeting()]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "test")
        code, out, err = run_cli(
            ["summarize", str(article), "--url", url, "--format", "html", "--no-cache"],
            monkeypatch,
            capsys,
        )
    assert code == 0, err
    assert _outside_links("html", out) == []
    assert url in out  # shown as text


# --- Markdown makes nothing of model text ------------------------------------------------------
PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "![](http://tracker.example/pixel.gif)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<https://evil.example> <a@evil.example>",
    "text\n# heading",
    "text\n\n## heading",
    "text\n- item\n- item",
    "text\n\n1. first\n2) second",
    "</div>\n\n# after the wrapper",
    "# heading",
    "- item",
    "+ item",
    "> quote",
    "---",
    "text\n===",
    "    indented code",
    "```\nfenced\n```",
    "`code` *em* _em_ **strong** ~~gone~~",
    "| a | b |\n|---|---|\n| c | d |",
    "&lt;b&gt; &#x202E; &amp;",
    "trailing backslash \\",
    "hard  \nbreak",
]
# What markdown-it-py makes: each kind of node, except the text itself.
_STRUCTURE = Counter[str]


def _structure(md: str) -> _STRUCTURE:
    kinds: _STRUCTURE = Counter()
    for token in _parser().parse(md):
        kinds[token.type] += 1
        for child in token.children or []:
            kinds[child.type] += 1
    del kinds["text"], kinds["text_special"]
    return kinds


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize(
    ("schema", "lang"),
    [("meeting", "en"), ("meeting", "ar"), ("cooperation", "ar"), ("meeting", "both")],
)
def test_markdown_makes_no_structure_of_model_or_metadata_text(
    schema: str, lang: str, payload: str
) -> None:
    harmless = render_briefing(hostile(schema, lang, "plain words"), "md")
    md = render_briefing(hostile(schema, lang, payload), "md")

    assert _structure(md) == _structure(harmless)
    html = _parser().render(md)
    # Shown as the text it is: markup characters come out as text, escaped for HTML.
    first_line = clean_text(payload).replace("&", "&amp;").replace("<", "&lt;")
    assert first_line.replace(">", "&gt;").replace('"', "&quot;") in html


def test_markdown_closing_div_in_model_text_does_not_close_the_rtl_wrapper() -> None:
    result = fresh(SEEDS[1], "meeting", "ar")
    summary = result.summary
    assert summary is not None and not isinstance(summary, dict)
    summary.summary = summary.participants[0].name = "</div>"
    tokens = _parser().parse(render_briefing(result, "md"))

    blocks = [t.content.strip() for t in tokens if t.type == "html_block"]
    inline = [c.content for t in tokens for c in t.children or [] if c.type == "html_inline"]
    assert blocks == ['<div dir="rtl" lang="ar">', "</div>"] and inline == ["<sub>", "</sub>"]


# --- control and bidi characters, every format ------------------------------------------------
# Terminal escapes, NUL, C1, DEL, a lone CR, bidi overrides and isolates, stray marks, a lone
# surrogate and a non-character: each between two letters, which must end up side by side
# (the bidi marks and controls removed, not replaced).
NASTY = "A\x1b[31mB\x07C\x00D\x9bE\x7fF\u202eG\u2066H\u200fI\u202bJ\u2069K\ufeffL"
GONE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]")


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _with_nasty_article(result: Result) -> Result:
    """The same result with an ESC and a U+202E in its article, offsets unchanged."""
    article = result.article
    return dataclasses.replace(result, article=article[:-2] + "\x1b\u202e")


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize(("schema", "lang"), [("meeting", "ar"), ("cooperation", "en")])
def test_no_control_or_bidi_override_reaches_any_format(schema: str, lang: str, fmt: str) -> None:
    result = _with_nasty_article(hostile(schema, lang, NASTY))

    rendered = render_briefing(result, fmt)
    text = _docx_text(rendered) if isinstance(rendered, bytes) else rendered

    assert not GONE.search(text), repr(GONE.search(text))
    assert "[31mBCDEFGHIJKL" in text
    if fmt != "md":  # Markdown marks Arabic lines that open with Latin with U+200F itself
        assert "\u200f" not in text.replace(result.article, "")


@pytest.mark.usefixtures("pdf_ready")
def test_pdf_renders_text_with_control_characters() -> None:
    data = render_briefing(_with_nasty_article(hostile("meeting", "ar", NASTY)), "pdf")
    assert data.startswith(b"%PDF")


def test_a_headline_with_a_control_character_makes_a_docx() -> None:
    """python-docx raises ValueError on a control character: the briefing must not."""
    result = fresh(SEEDS[0], "meeting", "en")
    assert result.summary is not None and not isinstance(result.summary, dict)
    result.summary.headline = "Ministers meet\x1b[2J\x07"
    assert "Ministers meet[2J" in _docx_text(render_briefing(result, "docx"))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_unbalanced_override_in_a_name_does_not_reverse_the_line(fmt: str) -> None:
    result = fresh(SEEDS[0], "meeting", "en")
    summary = result.summary
    assert summary is not None and not isinstance(summary, dict)
    summary.participants[0].name = "Khalid \u202ebin Salman"
    briefing = render_briefing(result, fmt)
    assert "Khalid bin Salman" in briefing and "\u202e" not in briefing


@pytest.mark.parametrize(
    ("text", "one_line", "expected"),
    [
        ("a\r\nb\rc", True, "a b c"),
        ("a\r\nb\rc", False, "a\nb\nc"),
        ("a\u2028b\x85c", False, "a\nb\nc"),
        ("  padded\t\tname \n", True, "padded name"),
        ("x\udc80y", True, "x\ufffdy"),
        ("زيد\u200c\u200dعمرو", True, "زيد\u200c\u200dعمرو"),  # Arabic joiners stay
        ("tag\U000e0041\U000e0042s", True, "tags"),
    ],
)
def test_clean_text(text: str, one_line: bool, expected: str) -> None:
    assert clean_text(text, one_line=one_line) == expected

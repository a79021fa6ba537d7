"""Render a Result as a briefing: Markdown, HTML, PDF or DOCX.

Markdown and HTML come from the Jinja2 templates in ``templates/``: a model's text is data,
never markup (HTML autoescaped; Markdown escaped by ``markdown.escape``, the environment's
``finalize``). PDF is WeasyPrint over the HTML (``pdf.py``) and DOCX is built with
python-docx (``docx.py``), both optional extras imported only when asked for. All of them
read the cleaned text of ``context.build``. Every label comes from ``labels.py`` in the
briefing's own language.
"""

from __future__ import annotations

from functools import cache, partial
from pathlib import Path
from typing import Literal, overload

import jinja2

from ..errors import ConfigError
from ..result import Result
from .bidi import isolate, mark_rtl_lines
from .context import Briefing, build
from .highlight import highlight_html
from .markdown import escape as markdown_escape

FORMATS = ("md", "html", "pdf", "docx")
BINARY_FORMATS = ("pdf", "docx")
_TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment(autoescape: bool, folder: Path = _TEMPLATES) -> jinja2.Environment:
    """HTML's environment (``autoescape``) or Markdown's, whose every value is escaped;
    templates from ``folder`` first (the digest's), then the briefing's (its style sheet)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([folder, _TEMPLATES]),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        finalize=None if autoescape else markdown_escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["iso"] = isolate
    return env


@overload
def render_briefing(result: Result, format: Literal["md", "html"] = "md") -> str: ...
@overload
def render_briefing(result: Result, format: Literal["pdf", "docx"]) -> bytes: ...
@overload
def render_briefing(result: Result, format: str) -> str | bytes: ...
def render_briefing(result: Result, format: str = "md") -> str | bytes:
    """A briefing of ``result`` in ``format``: ``md``/``html`` as text, ``pdf``/``docx`` bytes.

    In the summary's own language, or both languages (one section each) for ``lang="both"``;
    a no-event result gives a short briefing saying why.

    >>> from summarizer.result import ArticleMeta, Meta, Result
    >>> meta = Meta("m", "meeting", "en", "tools", "v1", ArticleMeta(4, "", "ar"), no_event="x")
    >>> render_briefing(Result(None, meta, "text"), "md").splitlines()[0]
    '# No event reported'
    """
    if not isinstance(result, Result):
        raise TypeError(f"render_briefing takes a Result, not {type(result).__name__}")
    if format not in FORMATS:
        raise ConfigError(f"unknown briefing format {format!r}: choose one of {', '.join(FORMATS)}")
    return render(build(result), format)


def render(briefing: Briefing, format: str) -> str | bytes:
    """``briefing`` (from ``context.build``) in ``format``, one of ``FORMATS``."""
    if format == "md":
        return render_markdown(briefing)
    if format == "html":
        return render_html(briefing)
    if format == "pdf":
        from .pdf import html_to_pdf

        return html_to_pdf(render_html(briefing))
    from .docx import briefing_to_docx

    return briefing_to_docx(briefing)


def render_markdown(briefing: Briefing) -> str:
    template = environment(autoescape=False).get_template("briefing.md.j2")
    parts = []
    for sec in briefing.sections:
        text = template.render(sec=sec, b=briefing)
        parts.append(mark_rtl_lines(text) if sec.rtl else text)
    return "\n---\n\n".join(parts)


def render_html(briefing: Briefing) -> str:
    template = environment(autoescape=True).get_template("briefing.html.j2")
    highlighted = highlight_html(
        briefing.article, briefing.refs, partial(isolate, lang=briefing.source_lang)
    )
    return template.render(b=briefing, highlighted=highlighted)

"""A digest in Markdown, HTML, PDF or DOCX, from one ``content.Digest``.

Markdown and HTML come from the templates in ``templates/`` through the briefing's Jinja2
environments (HTML autoescaped, Markdown escaped by the ``finalize`` hook, other-script runs
isolated by ``iso``); PDF is WeasyPrint over the HTML, DOCX the briefing's OOXML writer.
"""

from __future__ import annotations

from pathlib import Path

from ..briefing.bidi import mark_rtl_lines
from ..briefing.render import environment
from ..errors import ConfigError
from .content import Digest

FORMATS = ("md", "html", "pdf", "docx")
_TEMPLATES = Path(__file__).parent / "templates"


def render_digest(digest: Digest, format: str) -> str | bytes:
    """``digest`` in ``format``: ``md``/``html`` as text, ``pdf``/``docx`` as bytes."""
    if format == "md":
        return render_markdown(digest)
    if format == "html":
        return render_html(digest)
    if format == "pdf":
        from ..briefing.pdf import html_to_pdf

        return html_to_pdf(render_html(digest))
    if format == "docx":
        from .docx import digest_to_docx

        return digest_to_docx(digest)
    raise ConfigError(f"unknown digest format {format!r}: choose one of {', '.join(FORMATS)}")


def format_missing(format: str) -> str | None:
    """What ``format`` needs that is not installed here, in one line; None when nothing.
    Asked before any model call, so a digest that cannot be written costs nothing."""
    if format == "pdf":
        from ..briefing.pdf import pdf_available

        return pdf_available()
    if format == "docx":
        try:
            import docx  # noqa: F401
        except ImportError:
            return "DOCX digests need python-docx: pip install 'summarizer[docx]'"
    return None


def render_markdown(digest: Digest) -> str:
    template = environment(autoescape=False, folder=_TEMPLATES).get_template("digest.md.j2")
    parts = []
    for sec in digest.sections:
        text = template.render(sec=sec, d=digest)
        parts.append(mark_rtl_lines(text) if sec.rtl else text)
    return "\n---\n\n".join(parts)


def render_html(digest: Digest) -> str:
    template = environment(autoescape=True, folder=_TEMPLATES).get_template("digest.html.j2")
    return template.render(d=digest)

"""An input made ready for the model, the one way every route does it.

``prepare`` turns what a caller gives (text or an HTML page, and its metadata) into the checked
article text, its metadata, and the result ``Meta`` a summary starts from. ``summarize``, a live
``batch``, ``--via openai-batch`` and ``--via batch-file`` all call it, so an article reaches
the model, and the cache and batch keys, the same way whichever route it takes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from .config import Settings
from .document import check_article, extract_page
from .errors import ConfigError
from .prompts import prompt_version
from .result import ArticleMeta, Meta
from .script import detect_language


@dataclass(frozen=True)
class PreparedArticle:
    """The checked article text and what the library knows about it."""

    text: str
    published: dt.date | None
    outlet: str | None
    title: str | None
    meta: ArticleMeta

    @property
    def source_language(self) -> str:
        return self.meta.source_language


def prepare(
    text: str,
    settings: Settings,
    *,
    published: dt.date | str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
    input_format: str = "text",
    source: str = "input",
) -> PreparedArticle:
    """The article as the model will see it; raises ``InputError`` or ``ConfigError``.

    An HTML page is reduced to its main text first (its title and date fill what the caller
    did not give); the text then passes the article checks (empty, binary, too long).
    """
    day = parse_published(published)
    if input_format == "html":
        page = extract_page(text, source)
        text, title = page.text, title or page.title
        day = day or parse_published(page.published)
    article = check_article(text, settings.max_input_chars, source)
    meta = ArticleMeta(
        chars=len(article),
        sha256=hashlib.sha256(article.encode()).hexdigest(),
        source_language=detect_language(article),
        published=day.isoformat() if day else None,
        outlet=outlet,
        url=url,
        title=title,
        input_format=input_format,
    )
    return PreparedArticle(article, day, outlet, title, meta)


def new_meta(settings: Settings, schema: str, lang: str, article: PreparedArticle) -> Meta:
    """The ``Meta`` a summary of ``article`` starts from, before any request."""
    return Meta(
        model=settings.model,
        schema=schema,
        lang=lang,
        mode=settings.mode,
        prompt_version=prompt_version(),
        article=article.meta,
    )


def parse_published(value: dt.date | str | None) -> dt.date | None:
    """A publication date given as a date or as ``YYYY-MM-DD``; ``ConfigError`` otherwise."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(f"published date {value!r} is not a YYYY-MM-DD date") from None

"""Render the model's messages from the Jinja2 templates in ``prompts/``.

Templates are files, never strings in code; ``StrictUndefined`` makes a missing variable an
error instead of an empty string. ``PROMPT_VERSION`` hashes every template, so a cached or
recorded answer is tied to the exact wording that produced it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cache

import jinja2

from .resources import data_dir
from .segments import numbered, segment

LANGUAGE_NAMES = {"en": "English", "ar": "Arabic"}


@dataclass(frozen=True)
class ArticleInput:
    text: str
    source_language: str
    published: dt.date | None = None
    outlet: str | None = None
    title: str | None = None
    part: str | None = None  # "2 of 5" when the text is one part of a long article
    lead: str | None = None  # the long article's opening, to orient a later part


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(data_dir("prompts")),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text for a model, not HTML
        keep_trailing_newline=False,
    )


@cache
def prompt_version() -> str:
    """Short hash of every template's bytes."""
    digest = hashlib.sha256()
    for path in sorted(data_dir("prompts").glob("*.j2")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def render_template(name: str, **variables: object) -> str:
    return _environment().get_template(name).render(variables)


def render_messages(
    schema: str, output_language: str, article: ArticleInput
) -> list[dict[str, str]]:
    """The system and user messages for one article; a fresh list on every call."""
    # The delimiter carries a digest of the article so that text inside it cannot close it.
    tag = hashlib.sha256(article.text.encode()).hexdigest()[:8]
    published = article.published.isoformat() if article.published else None
    variables = {
        "open_tag": f"<<<ARTICLE {tag}>>>",
        "close_tag": f"<<<END ARTICLE {tag}>>>",
        "output_language": output_language,
        "output_language_name": LANGUAGE_NAMES[output_language],
        "source_language_name": LANGUAGE_NAMES[article.source_language],
        "has_names": schema == "meeting",
        "published": published,
        "published_weekday": article.published.strftime("%A") if article.published else None,
        "outlet": article.outlet,
        "title": article.title,
        "article": numbered(segment(article.text)),
        "part": article.part,
        "lead": article.lead,
    }
    env = _environment()
    return [
        {"role": "system", "content": env.get_template(f"{schema}.j2").render(variables)},
        {"role": "user", "content": env.get_template("article.j2").render(variables)},
    ]

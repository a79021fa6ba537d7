"""Render a Result as a briefing. Templates live in ``templates/``, one per format.

Every label comes from ``labels.py`` in the briefing's own language. The Markdown briefing of
an Arabic summary sits in a ``dir="rtl"`` block, which GitHub and most viewers honour.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from ..errors import ConfigError
from ..result import Result
from .labels import AREAS, CODES, LABELS

FORMATS = ("md",)
_TEMPLATES = Path(__file__).parent / "templates"
_AR_MONTHS = "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر".split()


def format_day(value: str | dt.date | None, lang: str) -> str | None:
    """A day as a reader of ``lang`` writes it: '24 October 2023' or '24 أكتوبر 2023'."""
    if value is None:
        return None
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    month = _AR_MONTHS[day.month - 1] if lang == "ar" else day.strftime("%B")
    return f"{day.day} {month} {day.year}"


@cache
def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = format_day
    return env


def render_briefing(result: Result, format: str = "md") -> str:
    """A briefing of ``result`` in ``format`` (``md``), in the summary's own language(s)."""
    if format not in FORMATS:
        raise ConfigError(f"unknown briefing format {format!r}: choose one of {', '.join(FORMATS)}")
    if result.meta is None:
        raise ConfigError("a failed result has no briefing")
    summaries = _by_language(result)
    template = _environment(autoescape=False).get_template(f"briefing.{format}.j2")
    parts = [template.render(_variables(result, lang, summary)) for lang, summary in summaries]
    return "\n---\n\n".join(parts)


def _by_language(result: Result) -> list[tuple[str, Any]]:
    assert result.meta is not None
    if isinstance(result.summary, dict):
        return list(result.summary.items())
    lang = result.meta.lang
    return [(lang, result.summary)]


def _variables(result: Result, lang: str, summary: Any) -> dict[str, Any]:
    assert result.meta is not None
    return {
        "lang": lang,
        "rtl": lang == "ar",
        "L": LABELS[lang],
        "code": CODES[lang],
        "area": AREAS[lang],
        "schema": result.meta.schema,
        "s": summary,
        "meta": result.meta,
        "article": result.meta.article,
    }

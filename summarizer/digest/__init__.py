"""Digest briefings: a period's events, each written up from its merged, checked facts.

    from summarizer.digest import build_digest, render_digest

    digest = build_digest(Path("events"), "both", since=date(2025, 2, 1))  # one model call
    Path("digest.html").write_text(render_digest(digest, "html"))        # per event and language

Events come from an events directory (``summarizer events``), in date order, grouped by
their parties; each has a paragraph the model writes from its facts and that names nothing
outside them (``check.py``), its facts numbered and linked to their quotes in the reports,
its conflicts in plain words and its sources; the digest opens with who met whom and the
counts by cooperation area.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx2

from ..api import run_sync
from ..config import Settings
from ..errors import ConfigError
from ..events.store import load_events, load_reports
from .content import Digest, build_sections, event_day
from .paragraph import Written, write_paragraphs
from .render import FORMATS, render_digest

__all__ = ["FORMATS", "Digest", "Written", "build_digest", "render_digest"]
LANGS = {"en": ["en"], "ar": ["ar"], "both": ["en", "ar"]}


def build_digest(
    events_dir: Path,
    lang: str = "en",
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    settings: Settings | None = None,
    paragraphs: bool = True,
    http_client: httpx2.AsyncClient | None = None,
    replayed: bool = False,
) -> Digest:
    """The digest of ``events_dir`` from ``since`` to ``until`` (both included) in ``lang``
    (``en``, ``ar`` or ``both``). ``paragraphs=False`` asks no model: facts only.
    ``settings`` default to the environment's (``Settings.resolve``); ``http_client``
    replaces the network (replays, tests); ``replayed`` says so in the digest's footer."""
    if lang not in LANGS:
        raise ConfigError(f"unknown digest language {lang!r}: choose en, ar or both")
    if since and until and since > until:
        raise ConfigError(f"the period is empty: {since} is after {until}")
    events = [e for e in load_events(events_dir) if _within(event_day(e), since, until)]
    reports = {r.id: r.summary for r in load_reports(events_dir)}
    langs = LANGS[lang]
    written, model = None, None
    if paragraphs and events:
        settings = settings or Settings.resolve()
        written = run_sync(write_paragraphs(events, reports, langs, settings, http_client))
        model = settings.model
    sections = build_sections(events, reports, langs, written.paragraphs if written else {})
    shown = {r["id"] for e in events for r in e["reports"]}
    return Digest(sections, since, until, len(shown), model, replayed, written)


def _within(day: dt.date | None, since: dt.date | None, until: dt.date | None) -> bool:
    if day is None:
        return since is None and until is None
    return (since is None or day >= since) and (until is None or day <= until)

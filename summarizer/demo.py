"""``summarizer demo``: the sample articles end to end, replayed from recorded responses.

Uses the same cassettes as the tests (fixtures/cassettes/demo), so what the demo shows is
what the tests check. Nothing reaches the network and no key is needed. The answers in those
cassettes are written by hand, so the briefings' footers say so rather than naming a model.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx2

from .api import Summarizer
from .briefing.context import build
from .briefing.pdf import arabic_font_missing
from .briefing.render import FORMATS as BRIEFING_FORMATS
from .briefing.render import render
from .config import Settings
from .digest import FORMATS as DIGEST_FORMATS
from .digest import build_digest, render_digest
from .errors import ConfigError
from .evaluation.events import RECORDED_MODEL, run_gold
from .export import tables_of, write
from .replay import ReplayTransport
from .resources import data_dir, default_events_gold
from .result import Result

# The model the demo's hand-written answers were written for; part of every request body.
DEMO_MODEL = RECORDED_MODEL
DEMO_CASES = [(schema, lang) for schema in ("meeting", "cooperation") for lang in ("en", "ar")]
# The demo also shows the bilingual briefing, from `<article>.<schema>.both.yaml`.
DEMO_LANGS = ("en", "ar", "both")


def demo_summarizer(cassettes: list[Path]) -> Summarizer:
    """A Summarizer whose server is the given cassettes; the environment is ignored."""
    settings = Settings(model=DEMO_MODEL, api_key="replay-no-key", use_cache=False)
    transport = ReplayTransport(cassettes)
    return Summarizer(settings=settings, http_client=httpx2.AsyncClient(transport=transport))


def run_demo(out: Path, echo: Callable[[str], None] = print) -> None:
    """Write ``<article>.<schema>.<lang>.{json,md,html,pdf,docx}`` for every recorded case.

    A case without a cassette is skipped; without WeasyPrint or its system libraries the
    other formats are written and one line says what to install for PDF.
    """
    articles = sorted(data_dir("demo_articles").glob("*.txt"))
    cassette_dir = data_dir("demo_cassettes")
    echo(f"Replaying recorded model responses from {cassette_dir} (no network, no key).")
    out.mkdir(parents=True, exist_ok=True)
    missing: dict[str, str] = {}  # format -> what to install, reported once at the end
    for article in articles:
        text = article.read_text(encoding="utf-8")
        for schema in ("meeting", "cooperation"):
            for lang in DEMO_LANGS:
                name = f"{article.stem}.{schema}.{lang}"
                cassette = cassette_dir / f"{name}.yaml"
                if not cassette.exists():
                    continue
                result = demo_summarizer([cassette]).summarize(text, schema, lang)
                _write_all(result, out / name, missing)
                attempts = result.meta.attempts if result.meta else 0
                echo(f"  {name}: {result.one_line()} [{attempts} request(s), replayed]")
    written = [f for f in ("json", *BRIEFING_FORMATS) if f not in missing]
    echo(f"Wrote {', '.join(written)} to {out}/")
    _demo_events(out, echo, missing)
    for reason in missing.values():
        echo(f"Skipped {reason}")
    font = arabic_font_missing() if "pdf" not in missing else None
    if font is not None:
        echo(f"PDF briefings used a fallback font: {font}")


def _demo_events(out: Path, echo: Callable[[str], None], missing: dict[str, str]) -> None:
    """The event gold set: ten reports batched on recorded answers, grouped, exported, and
    its digests; a format in ``missing`` (no PDF libraries) is skipped, as for briefings."""
    gold, cassettes = default_events_gold()
    events = run_gold(gold, cassettes, out / "events-demo")
    tables = write(tables_of(out / "events-demo" / "events"), "csv", out / "events-demo" / "tables")
    shown = sum(len(e["conflicts"]) > 0 for e in events)
    reports = sum(len(e["reports"]) for e in events)
    echo(
        f"  events: {reports} reports in {len(events)} events, {shown} with conflicts shown"
        f" -> {out}/events-demo/events/events.jsonl, {len(tables)} CSV tables"
    )
    _demo_digests(out / "events-demo", echo, missing)


def _demo_digests(out: Path, echo: Callable[[str], None], missing: dict[str, str]) -> None:
    """An English and an Arabic digest of the gold events, their paragraphs replayed."""
    cassettes = sorted(data_dir("digest_cassettes").glob("*.yaml"))
    settings = Settings(model=RECORDED_MODEL, api_key="replay-no-key", use_cache=False)
    for lang in ("en", "ar"):
        client = httpx2.AsyncClient(transport=ReplayTransport(cassettes))
        digest = build_digest(
            out / "events", lang, settings=settings, http_client=client, replayed=True
        )
        for fmt in DIGEST_FORMATS:
            if fmt in missing:
                continue
            try:
                _write(out / f"digest.{lang}.{fmt}", render_digest(digest, fmt))
            except ConfigError as exc:  # WeasyPrint's system libraries are absent
                missing[fmt] = f"{fmt.upper()}: {exc}"
        written = digest.written
        failed = written.failed if written else 0
        echo(f"  digest ({lang}): {digest.event_count} events, {failed} paragraph(s) missing")
    shown = [f for f in DIGEST_FORMATS if f not in missing]
    echo(f"  -> {out}/digest.{{en,ar}}.{{{','.join(shown)}}}")


def _write_all(result: Result, stem: Path, missing: dict[str, str]) -> None:
    stem.with_name(f"{stem.name}.json").write_text(
        json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    replayed = build(result, replayed=True)
    for fmt in BRIEFING_FORMATS:
        if fmt in missing:
            continue
        path = stem.with_name(f"{stem.name}.{fmt}")
        try:
            briefing = render(replayed, fmt)
        except ConfigError as exc:  # an optional extra or system library is absent
            missing[fmt] = f"{fmt.upper()}: {exc}"
            continue
        _write(path, briefing)


def _write(path: Path, content: str | bytes) -> None:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")

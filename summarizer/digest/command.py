"""``summarizer digest EVENTS_DIR [--from D] [--to D] --lang en|ar|both --format md|html|pdf|docx``.

Exit codes as ``cli.main`` maps them: 0 written, every event with its paragraph (or none
asked for, ``--no-paragraphs``); 1 written, but some paragraphs are missing (the model's
answer failed its checks, the server could not be reached), each saying why in the digest;
2 a usage error (a bad date or period, no events directory, a format not installed: said
before any model is asked).
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..cli_options import (
    ApiKeyFlag,
    BaseUrlFlag,
    CacheDirFlag,
    MaxInputCharsFlag,
    MaxInputTokensFlag,
    MaxOutputTokensFlag,
    MaxTokensPerArticleFlag,
    ModeFlag,
    ModelFlag,
    NoCacheFlag,
    PartialFlag,
    ReasksFlag,
    RetriesFlag,
    SeedFlag,
    SummaryLang,
    TemperatureFlag,
    TimeoutFlag,
    settings_from_flags,
)
from ..cli_output import check_writable, emit
from ..errors import BatchIncomplete, ConfigError
from ..events.store import EVENTS
from . import build_digest, render_digest
from .render import FORMATS, format_missing

DigestFormat = StrEnum("DigestFormat", {f: f for f in FORMATS})  # type: ignore[misc]


def _day(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{flag} {value!r}: give a day as YYYY-MM-DD") from None


def digest(
    events_dir: Annotated[Path, typer.Argument(help="An events directory (summarizer events).")],
    lang: Annotated[
        SummaryLang, typer.Option(help="Digest language: en, ar or both.")
    ] = SummaryLang.en,
    format: Annotated[DigestFormat, typer.Option("--format", help="md, html, pdf or docx.")] = "md",  # type: ignore[assignment]
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here, not stdout.")
    ] = None,
    since: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    paragraphs: Annotated[
        bool,
        typer.Option(
            help="Ask the model for each event's paragraph (--no-paragraphs: facts only)."
        ),
    ] = True,
    model: ModelFlag = None,
    base_url: BaseUrlFlag = None,
    api_key: ApiKeyFlag = None,
    mode: ModeFlag = None,
    reasks: ReasksFlag = None,
    temperature: TemperatureFlag = None,
    seed: SeedFlag = None,
    timeout: TimeoutFlag = None,
    retries: RetriesFlag = None,
    max_tokens_per_article: MaxTokensPerArticleFlag = None,
    max_output_tokens: MaxOutputTokensFlag = None,
    max_input_chars: MaxInputCharsFlag = None,
    max_input_tokens: MaxInputTokensFlag = None,
    cache_dir: CacheDirFlag = None,
    no_cache: NoCacheFlag = False,
    partial: PartialFlag = False,
) -> None:
    """Write a digest of a period's events: who met whom, each event's checked paragraph,
    facts linked to their quotes, conflicts between reports, sources."""
    start, end = _day(since, "--from"), _day(until, "--to")
    if not (events_dir / EVENTS).is_file():
        raise typer.BadParameter(f"{events_dir}: no {EVENTS} here (run `summarizer events` first)")
    if format.value in ("pdf", "docx") and output is None and sys.stdout.isatty():
        raise typer.BadParameter("PDF and DOCX digests are binary: give -o FILE or redirect stdout")
    if output is not None:
        check_writable(output)
    missing = format_missing(format.value)
    if missing is not None:
        raise ConfigError(missing)
    settings = settings_from_flags(locals()) if paragraphs else None
    built = build_digest(
        events_dir, lang.value, since=start, until=end, settings=settings, paragraphs=paragraphs
    )
    emit(render_digest(built, format.value), output)
    written = built.written
    if written is not None:
        tokens = f"{written.usage.total_tokens:,} tokens"
        sys.stderr.write(
            f"summarizer: {written.asked} paragraph(s) asked, {written.cached} from the cache,"
            f" {written.failed} failed; {tokens}\n"
        )
        if written.failed:
            raise BatchIncomplete(
                f"{written.failed} paragraph(s) missing: the digest says why beside each event"
            )

"""``summarizer batch``: parse flags, run the batch, turn its outcome into an exit code.

Exit codes as ``cli.main`` maps them: 0 every input ended ok, partial or no_event; 1 some
failed, did not start, or a budget stopped the run (``BatchIncomplete``, one line on stderr);
2 a usage error (an ``--out`` that cannot be used included); 130 Ctrl-C.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

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
    OutFormat,
    PartialFlag,
    ReasksFlag,
    RetriesFlag,
    SchemaName,
    SeedFlag,
    TemperatureFlag,
    TimeoutFlag,
    settings_from_flags,
)
from ..cli_options import SummaryLang as Lang
from ..config import Settings
from ..errors import BatchIncomplete
from ..llm.client import make_client
from .batch_file import collect_file, write_batch_file
from .job import Job, auto_workers
from .pricing import Prices, load_prices
from .progress import Stats
from .provider_job import collect_batch, submit_batch
from .runner import run_batch


class Via(StrEnum):
    openai_batch = "openai-batch"
    batch_file = "batch-file"


_MODEL = "Model and server"
_LIMITS = "Limits and budgets"
_PROVIDER = "Provider batch"


def batch(
    out: Annotated[Path, typer.Option("--out", help="Output directory (results, state).")],
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files, directories (.txt .md .html), .jsonl or .csv files."),
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Articles in flight at once.")] = 8,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Processes that summarise (validation is CPU work) [one per 16 of"
            " --concurrency, at most one per core].",
        ),
    ] = None,
    schema: Annotated[SchemaName, typer.Option(help="What to extract.")] = SchemaName.meeting,
    lang: Annotated[Lang, typer.Option(help="Summary language.")] = Lang.en,
    format: Annotated[
        list[OutFormat] | None,
        typer.Option("--format", help="Briefings to write besides results.jsonl (repeatable)."),
    ] = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Run the inputs that ended in error again.")
    ] = False,
    rpm: Annotated[
        int | None,
        typer.Option(min=1, help="Requests per minute, all tasks.", rich_help_panel=_LIMITS),
    ] = None,
    tpm: Annotated[
        int | None,
        typer.Option(min=1, help="Tokens per minute, all tasks.", rich_help_panel=_LIMITS),
    ] = None,
    max_cost: Annotated[
        float | None,
        typer.Option(
            min=0, help="Stop starting articles past this many US dollars.", rich_help_panel=_LIMITS
        ),
    ] = None,
    max_tokens: Annotated[
        int | None,
        typer.Option(
            min=1, help="Stop starting articles past this many tokens.", rich_help_panel=_LIMITS
        ),
    ] = None,
    timeout_per_article: Annotated[
        float | None,
        typer.Option(
            min=0.1, help="Give up an article after this many seconds.", rich_help_panel=_LIMITS
        ),
    ] = None,
    prices: Annotated[
        Path | None,
        typer.Option(
            help="JSON price table to add (env SUMMARIZER_PRICES).", rich_help_panel=_LIMITS
        ),
    ] = None,
    via: Annotated[
        Via | None,
        typer.Option(
            help="openai-batch: send through the provider's batch API; batch-file: write the"
            " requests for a self-hosted engine (vllm run-batch -i).",
            rich_help_panel=_PROVIDER,
        ),
    ] = None,
    submit_only: Annotated[
        bool,
        typer.Option(
            "--submit-only", help="Print the batch id and return.", rich_help_panel=_PROVIDER
        ),
    ] = False,
    collect: Annotated[
        str | None,
        typer.Option(
            metavar="BATCH_ID", help="Collect a submitted batch.", rich_help_panel=_PROVIDER
        ),
    ] = None,
    collect_file: Annotated[
        Path | None,
        typer.Option(
            "--collect-file",
            metavar="OUTPUT.jsonl",
            help="Validate a batch engine's output for the requests --via batch-file wrote.",
            rich_help_panel=_PROVIDER,
        ),
    ] = None,
    poll_interval: Annotated[
        float, typer.Option(min=0, help="Seconds between status checks.", rich_help_panel=_PROVIDER)
    ] = 30.0,
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
    """Summarise many articles into OUT/results.jsonl (one line per input) and briefings.

    Run it again to resume: it does only what is not done. Ctrl-C stops cleanly.
    """
    paths = paths or []
    collecting = collect is not None or collect_file is not None
    if not collecting and not paths:
        raise typer.BadParameter("give at least one PATH (or --collect BATCH_ID)")
    if collect is not None and collect_file is not None:
        raise typer.BadParameter("--collect and --collect-file: give one")
    if collecting and (paths or via):
        raise typer.BadParameter("--collect and --collect-file take no PATH and no --via")
    if collect_file is not None and not collect_file.is_file():
        raise typer.BadParameter(f"{collect_file}: no such file")
    if submit_only and via is not Via.openai_batch:
        raise typer.BadParameter("--submit-only goes with --via openai-batch")
    for path in paths:
        if not path.exists() and not path.is_symlink():  # a broken link is the reader's to say
            raise typer.BadParameter(f"{path}: no such file or directory")
    settings = settings_from_flags(locals())
    if via is not Via.batch_file:  # writing a file needs no server; everything else does
        make_client(settings)  # a missing key or server: a usage error now, not N failures
    price_table = load_prices(prices)
    if max_cost is not None and price_table.per_million(settings.model) is None:
        raise typer.BadParameter(
            f"--max-cost needs a price for {settings.model!r}: add it with --prices FILE"
        )
    job = Job(
        out=out,
        schema=schema.value,
        lang=lang.value,
        formats=tuple(dict.fromkeys(f.value for f in format or [] if f.value != "json")),
        concurrency=concurrency,
        retry_failed=retry_failed,
        timeout_per_article=timeout_per_article,
        max_cost=max_cost,
        max_tokens=max_tokens,
        rpm=rpm,
        tpm=tpm,
        workers=workers or auto_workers(concurrency),
    )
    try:
        stats = _dispatch(
            paths,
            job,
            settings,
            price_table,
            via,
            submit_only,
            collect or collect_file,
            poll_interval,
        )
    except KeyboardInterrupt:
        # typer turns a KeyboardInterrupt into a returned 130 that cli.main does not see;
        # Abort reaches main, which says "stopped" and exits 130.
        raise typer.Abort() from None
    # Inputs handed to a provider batch or a requests file wait there: not undone.
    conclude(stats, out, waiting=submit_only or via is Via.batch_file)


def _dispatch(
    paths: list[Path],
    job: Job,
    settings: Settings,
    price_table: Prices,
    via: Via | None,
    submit_only: bool,
    collect: str | Path | None,
    poll_interval: float,
) -> Stats:
    console = Console(stderr=True)
    if isinstance(collect, Path):
        stats = collect_file(collect, job, settings, prices=price_table, console=console)
    elif via is Via.batch_file:
        written, stats = write_batch_file(paths, job, settings, prices=price_table, console=console)
        if written is not None:
            sys.stdout.write(f"{written}\n")
    elif collect is not None:
        stats = collect_batch(
            collect, job, settings, poll_interval=poll_interval, prices=price_table, console=console
        )
    elif via is not None:
        batch_id, stats = submit_batch(
            paths,
            job,
            settings,
            wait_for_it=not submit_only,
            poll_interval=poll_interval,
            prices=price_table,
            console=console,
        )
        if batch_id is not None and submit_only:
            sys.stdout.write(batch_id + "\n")
    else:
        stats = run_batch(paths, job, settings, prices=price_table, console=console)
    return stats


def conclude(stats: Stats, out: Path, waiting: bool = False) -> None:
    """Raise what ``cli.main`` turns into the right exit code and its one line.

    Exit 0 only when every input ended ``ok``, ``partial`` or ``no_event``: a failure, an
    input that never started, or a fault outside any input is exit 1. ``waiting``: the
    inputs not finished here were handed to a provider batch (``--submit-only``), not left
    undone.
    """
    if stats.stopped == "interrupted":
        Console(stderr=True).print(f"to resume, run the same command again (state in {out})")
        raise typer.Abort
    if stats.stopped == "budget":
        raise BatchIncomplete(
            f"budget spent: {stats.not_started:,} input(s) not started; run the same command"
            " again (with a higher budget) to continue"
        )
    if stats.failed:
        raise BatchIncomplete(
            f"{stats.failed:,} of {stats.seen + stats.not_started:,} inputs failed (see"
            f" {out}/results.jsonl); --retry-failed runs them again"
        )
    if stats.faults:
        raise BatchIncomplete(f"{stats.faults[0]}; run the same command again to continue")
    if stats.not_started and not waiting:
        raise BatchIncomplete(
            f"{stats.not_started:,} of {stats.total or 0:,} inputs not started; run the same"
            " command again to continue"
        )

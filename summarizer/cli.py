"""The command line: a thin shell over the Python API. Parse flags, call, print.

Errors become one line on stderr and an exit code, here and nowhere else:
0 all done, 1 some input failed (unreadable input, model unreachable, answer still invalid,
budget spent), 2 usage error (bad flag or value, missing path), 130 stopped by Ctrl-C.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from . import __version__
from .api import Summarizer
from .batch.command import batch
from .briefing import render_briefing
from .briefing.clean import clean_text
from .cache import ResponseCache
from .cli_main import run_app
from .cli_options import (
    ApiKeyFlag,
    BaseUrlFlag,
    CacheDirFlag,
    InputFormat,
    Lang,
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
    SummaryLang,
    TemperatureFlag,
    TimeoutFlag,
    settings_from_flags,
)
from .cli_output import check_writable, emit
from .config import Settings
from .demo import run_demo
from .digest.command import digest
from .document import input_format_of, read_source
from .errors import ModelError
from .evaluation.events import load_gold, run_gold, score_events
from .evaluation.goldset import load_cases
from .evaluation.report import print_compare, print_run
from .evaluation.run import EvalConfig, run_eval
from .evaluation.score import aggregate
from .events.command import events
from .export.command import export
from .partial import note as partial_note
from .redact import redact_data
from .resources import default_cassette_dirs, default_events_gold, default_gold_dirs
from .result import Meta, Result
from .schemas import json_schema
from .serve.command import serve

BINARY_FORMATS = ("pdf", "docx")

app = typer.Typer(
    name="summarizer",
    help="Checked, source-grounded summaries of Arabic and English news on meetings"
    " and cooperation.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.command()
def summarize(
    path: Annotated[str, typer.Argument(help="Article file, or - for standard input.")],
    schema: Annotated[SchemaName, typer.Option(help="What to extract.")] = SchemaName.meeting,
    lang: Annotated[
        SummaryLang, typer.Option(help="Summary language: en, ar, or both (facts agree).")
    ] = SummaryLang.en,
    format: Annotated[OutFormat, typer.Option("--format", help="Output format.")] = "json",  # type: ignore[assignment]
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here, not stdout.")
    ] = None,
    published: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    outlet: Annotated[str | None, typer.Option(help="News outlet or agency.")] = None,
    url: Annotated[str | None, typer.Option(help="Where the article was found.")] = None,
    title: Annotated[str | None, typer.Option(help="The article's title.")] = None,
    input_format: Annotated[
        InputFormat | None,
        typer.Option(help="text or html (main text extracted) [by file extension]."),
    ] = None,
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
    """Summarise one article and print JSON ({"summary", "meta"}) or a briefing."""
    if path != "-" and not Path(path).exists():
        raise typer.BadParameter(f"{path}: no such file")
    if format.value in BINARY_FORMATS and output is None and sys.stdout.isatty():
        # Said before the model is paid for, not after.
        raise typer.BadParameter(
            "PDF and DOCX briefings are binary: give -o FILE or redirect stdout"
        )
    if output is not None:
        check_writable(output)
    summarizer = Summarizer(settings=settings_from_flags(locals()))
    document, source = read_source(path, summarizer.settings.max_input_chars)
    page_format = input_format.value if input_format else input_format_of(source)
    try:
        result = summarizer.summarize(
            document.text,
            schema.value,
            lang.value,
            published=published,
            outlet=outlet,
            url=url,
            title=title,
            input_format=page_format,
            source=source,
            input_warnings=document.warnings,
        )
    except ModelError as exc:
        if format.value == "json":  # what it cost and why, for a script reading stdout
            emit(json.dumps(_failure(exc), ensure_ascii=False, indent=2), output)
        raise
    emit(_render(result, format.value, include_article=page_format == "html"), output)
    if result.meta is not None and not result.meta.complete:
        sys.stderr.write(f"summarizer: {partial_note(result.meta.dropped)}\n")


@app.command()
def schema(name: Annotated[SchemaName, typer.Argument(help="meeting or cooperation")]) -> None:
    """Print the JSON Schema of a summary."""
    typer.echo(json.dumps(json_schema(name.value), indent=2, ensure_ascii=False))


cache_app = typer.Typer(help="The response cache: where it is, how big, empty it.")
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def cache_info(
    cache_dir: Annotated[Path | None, typer.Option(help="Cache directory.")] = None,
) -> None:
    """Where the cache lives and what it holds."""
    info = ResponseCache(Settings.resolve(cache_dir=cache_dir).resolved_cache_dir).info()
    if "damaged" in info:
        typer.echo(
            f"{info['path']}: damaged ({info['damaged']}), {info['bytes']:,} bytes; "
            "`summarizer cache clear` removes it"
        )
        return
    typer.echo(f"{info['path']}: {info['entries']} answers, {info['bytes']:,} bytes")


@cache_app.command("clear")
def cache_clear(
    cache_dir: Annotated[Path | None, typer.Option(help="Cache directory.")] = None,
) -> None:
    """Remove every cached answer (a damaged cache file is removed whole)."""
    cache = ResponseCache(Settings.resolve(cache_dir=cache_dir).resolved_cache_dir)
    damaged = cache.info().get("damaged")
    if damaged:
        cache.remove()
        typer.echo(f"removed the damaged cache file {cache.path} ({damaged})")
        return
    typer.echo(f"removed {cache.clear()} cached answers")


@app.command("eval")
def evaluate(
    folders: Annotated[
        list[Path] | None, typer.Argument(help="Gold folders [fixtures/gold fixtures/goldset].")
    ] = None,
    lang: Annotated[Lang, typer.Option(help="Summary language to score.")] = Lang.en,
    live: Annotated[
        bool, typer.Option("--live", help="Ask the configured model, not recorded responses.")
    ] = False,
    cassettes: Annotated[
        list[Path] | None, typer.Option(help="Folders of recorded responses (repeatable).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write the figures as JSON here.")] = None,
    compare: Annotated[
        tuple[Path, Path] | None, typer.Option(help="Show two JSON runs side by side.")
    ] = None,
    events: Annotated[
        bool,
        typer.Option("--events", help="Score event grouping on the event gold set instead."),
    ] = False,
    model: ModelFlag = None,
    base_url: BaseUrlFlag = None,
    mode: ModeFlag = None,
) -> None:
    """Score summaries against gold annotations, per field; or compare two scored runs."""
    console = Console()
    if events:
        _evaluate_events(console, out)
        return
    if compare is not None:
        a, b = (_load_json(path) for path in compare)
        print_compare(console, a, b, (compare[0].name, compare[1].name))
        return
    config = EvalConfig(
        lang=lang.value,
        live=live,
        cassette_dirs=cassettes or default_cassette_dirs(),
        settings=Settings.resolve(model=model, base_url=base_url, mode=mode.value if mode else None)
        if live
        else None,
    )
    cases = list(load_cases(folders or default_gold_dirs()))
    runs = run_eval(
        cases, config, progress=lambda r: console.print(f"  {r.id} {r.schema}: {r.status}")
    )
    summary = aggregate(runs)
    print_run(console, runs, summary)
    if out is not None:
        report = {
            "summary": summary,
            "runs": [r.as_dict() for r in runs],
            "live": live,
            "lang": lang.value,
        }
        out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        console.print(f"figures written to {out}")


def _evaluate_events(console: Console, out: Path | None) -> None:
    """The event gold set (fixtures/events) batched on its recorded answers, then grouped."""
    gold, cassettes = default_events_gold()
    with tempfile.TemporaryDirectory() as work:
        score = score_events(run_gold(gold, cassettes, Path(work)), load_gold(gold))
    console.print(
        f"events: B-cubed precision {score.precision:.3f}, recall {score.recall:.3f}; "
        f"look-alikes kept apart {score.apart_kept}/{score.apart_total}; "
        f"conflicts shown {score.conflicts_shown}/{score.conflicts_total}"
    )
    for line in score.missed:
        console.print(f"  {clean_text(line)}", markup=False)
    if out is not None:
        out.write_text(json.dumps(score.as_dict(), indent=2) + "\n", encoding="utf-8")
        console.print(f"figures written to {out}")


def _load_json(path: Path) -> dict[str, Any]:
    problem = f"{path}: not a JSON file written by `summarizer eval --out`"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise typer.BadParameter(problem) from exc
    summary = data.get("summary") if isinstance(data, dict) else None
    if not isinstance(summary, dict) or not isinstance(summary.get("fields"), dict):
        raise typer.BadParameter(problem)
    loaded: dict[str, Any] = data
    return loaded


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Where to write the results.")] = Path("demo-output"),
) -> None:
    """Summarise the sample articles end to end on recorded responses (no key, no network)."""
    run_demo(out, echo=typer.echo)


app.command("batch")(batch)
app.command("events")(events)
app.command("digest")(digest)
app.command("export")(export)
app.command("serve")(serve)


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit()


def _render(result: Result, fmt: str, include_article: bool = False) -> str | bytes:
    if fmt == "json":
        # For HTML input the offsets point into the extracted text, so it travels along.
        return json.dumps(result.to_dict(include_article), ensure_ascii=False, indent=2)
    return render_briefing(result, format=fmt)


def _failure(exc: ModelError) -> dict[str, Any]:
    """``{"summary": null, "error": {...}, "meta": {...}}``, redacted like the error line."""
    meta = exc.meta.as_dict() if isinstance(exc.meta, Meta) else None
    error = {
        "type": type(exc).__name__,
        "message": str(exc),
        "reasons": exc.reasons,
        "last_answer": exc.last_answer,
    }
    return redact_data({"summary": None, "error": error, "meta": meta})


def main() -> None:
    """Entry point: run the app, turn every failure into one line and an exit code."""
    run_app(app)


if __name__ == "__main__":
    main()

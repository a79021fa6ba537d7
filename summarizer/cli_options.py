"""The command line's choices and model flags, shared by every command (summarize, batch, eval)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from .briefing.render import FORMATS as BRIEFING_FORMATS
from .config import MODES, Settings
from .llm.transport import RetryPolicy


class SchemaName(StrEnum):
    meeting = "meeting"
    cooperation = "cooperation"


class InputFormat(StrEnum):
    text = "text"
    html = "html"


class Lang(StrEnum):
    """One summary language (what eval scores)."""

    en = "en"
    ar = "ar"


class SummaryLang(StrEnum):
    en = "en"
    ar = "ar"
    both = "both"


ModeName = StrEnum("ModeName", {m: m for m in MODES})  # type: ignore[misc]
OutFormat = StrEnum("OutFormat", {f: f for f in ("json", *BRIEFING_FORMATS)})  # type: ignore[misc]


# Model and server flags, declared once for every command that calls a model.
_MODEL = "Model and server"
ModelFlag = Annotated[
    str | None,
    typer.Option("--model", help="Model name [env SUMMARIZER_MODEL].", rich_help_panel=_MODEL),
]
BaseUrlFlag = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        help="OpenAI-compatible server URL [env OPENAI_BASE_URL].",
        rich_help_panel=_MODEL,
    ),
]
ApiKeyFlag = Annotated[
    str | None,
    typer.Option(
        "--api-key",
        help="API key [env OPENAI_API_KEY; prefer it: flags show in `ps`].",
        rich_help_panel=_MODEL,
    ),
]
ModeFlag = Annotated[
    ModeName | None,
    typer.Option(
        "--mode",
        help="How to ask for structure: tools, json_schema, json, md_json.",
        rich_help_panel=_MODEL,
    ),
]
ReasksFlag = Annotated[
    int | None,
    typer.Option("--reasks", min=0, help="Re-asks on invalid answers [2].", rich_help_panel=_MODEL),
]
TemperatureFlag = Annotated[
    float | None,
    typer.Option("--temperature", help="Sampling temperature [0].", rich_help_panel=_MODEL),
]
SeedFlag = Annotated[
    int | None,
    typer.Option("--seed", help="Sampling seed, if the server takes one.", rich_help_panel=_MODEL),
]
TimeoutFlag = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        min=0.1,
        help="Seconds for each request, connect to last byte [120]; one answer, retries"
        " included, takes at most 180 s or this timeout if longer.",
        rich_help_panel=_MODEL,
    ),
]
RetriesFlag = Annotated[
    int | None,
    typer.Option(
        "--retries",
        min=1,
        help="Requests per answer on transport faults [6].",
        rich_help_panel=_MODEL,
    ),
]
MaxTokensPerArticleFlag = Annotated[
    int | None,
    typer.Option(
        "--max-tokens-per-article",
        min=1,
        help="Stop re-asking once this many tokens are spent.",
        rich_help_panel=_MODEL,
    ),
]
MaxOutputTokensFlag = Annotated[
    int | None,
    typer.Option(
        "--max-output-tokens",
        min=1,
        help="Longest answer the server may write.",
        rich_help_panel=_MODEL,
    ),
]
MaxInputCharsFlag = Annotated[
    int | None,
    typer.Option(
        "--max-input-chars", min=1, help="Refuse longer articles [1000000].", rich_help_panel=_MODEL
    ),
]
MaxInputTokensFlag = Annotated[
    int | None,
    typer.Option(
        "--max-input-tokens",
        min=200,
        help="Split longer articles into parts [by model: 24000 or 3000].",
        rich_help_panel=_MODEL,
    ),
]
CacheDirFlag = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir", help="Response cache [env SUMMARIZER_CACHE_DIR].", rich_help_panel=_MODEL
    ),
]
NoCacheFlag = Annotated[
    bool, typer.Option("--no-cache", help="Bypass the response cache.", rich_help_panel=_MODEL)
]
PartialFlag = Annotated[
    bool,
    typer.Option(
        "--partial",
        help="When the re-asks are spent, keep what passed the checks (meta.complete false,"
        " meta.dropped says what was left out) instead of failing.",
        rich_help_panel=_MODEL,
    ),
]

# The parameter names above, in the order commands declare them.
MODEL_FLAGS = (
    "model",
    "base_url",
    "api_key",
    "mode",
    "reasks",
    "temperature",
    "seed",
    "timeout",
    "retries",
    "max_tokens_per_article",
    "max_output_tokens",
    "max_input_chars",
    "max_input_tokens",
    "cache_dir",
    "no_cache",
    "partial",
)


def settings_from_flags(flags: dict[str, Any]) -> Settings:
    """Settings from a command's model flags (unset ones fall back to environment, defaults)."""
    given = {name: flags[name] for name in MODEL_FLAGS}
    mode, retries, no_cache = given.pop("mode"), given.pop("retries"), given.pop("no_cache")
    partial = given.pop("partial")
    return Settings.resolve(
        **given,
        mode=mode.value if mode else None,
        retry=RetryPolicy(max_attempts=retries) if retries else None,
        use_cache=False if no_cache else None,
        partial=True if partial else None,
    )

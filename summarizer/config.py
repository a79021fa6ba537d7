"""Settings: one frozen object built from arguments, then environment, then defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

import platformdirs

from .errors import ConfigError
from .llm.transport import RetryPolicy

Mode = Literal["tools", "json_schema", "json", "md_json"]
MODES: tuple[Mode, ...] = ("tools", "json_schema", "json", "md_json")
DEFAULT_MODEL = "gpt-4o-mini"
# A guard against feeding a book by mistake; long articles are split into parts below it.
DEFAULT_MAX_INPUT_CHARS = 1_000_000
# Article tokens per request before it is split into parts: large-context hosted models take
# long articles whole; unknown (often small, local) models get parts that fit 8k contexts.
DEFAULT_MAX_INPUT_TOKENS = {
    "gpt-4o": 24_000,
    "gpt-4.1": 24_000,
    "gpt-5": 24_000,
    "o3": 24_000,
    "o4": 24_000,
}
FALLBACK_MAX_INPUT_TOKENS = 3_000


@dataclass(frozen=True)
class Settings:
    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: Mode = "tools"
    reasks: int = 2
    temperature: float = 0.0
    seed: int | None = None
    timeout: float = 120.0
    max_tokens_per_article: int | None = None
    max_output_tokens: int | None = None  # sent as max_tokens; None leaves it to the server
    max_input_chars: int = DEFAULT_MAX_INPUT_CHARS
    max_input_tokens: int | None = None  # None: by model, see DEFAULT_MAX_INPUT_TOKENS
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    azure_endpoint: str | None = None
    azure_deployment: str | None = None
    api_version: str | None = None
    cache_dir: Path | None = None
    use_cache: bool = True

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ConfigError(f"unknown mode {self.mode!r}: choose one of {', '.join(MODES)}")
        if self.reasks < 0:
            raise ConfigError(f"reasks must be 0 or more, not {self.reasks}")
        if self.max_tokens_per_article is not None and self.max_tokens_per_article <= 0:
            raise ConfigError("max_tokens_per_article must be a positive number of tokens")
        if not self.model:
            raise ConfigError("no model: pass model=, --model or set SUMMARIZER_MODEL")

    @classmethod
    def resolve(cls, **given: Any) -> Settings:
        """Arguments that are not None win; then the environment; then the defaults."""
        env = os.environ
        from_env: dict[str, Any] = {
            "model": env.get("SUMMARIZER_MODEL"),
            "base_url": env.get("OPENAI_BASE_URL"),
            "api_key": env.get("OPENAI_API_KEY"),
            "azure_endpoint": env.get("AZURE_OPENAI_ENDPOINT"),
            "api_version": env.get("OPENAI_API_VERSION"),
            "cache_dir": Path(env["SUMMARIZER_CACHE_DIR"])
            if env.get("SUMMARIZER_CACHE_DIR")
            else None,
        }
        names = {f.name for f in fields(cls)}
        unknown = set(given) - names
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        chosen = {k: v for k, v in from_env.items() if v}
        chosen.update({k: v for k, v in given.items() if v is not None})
        return cls(**chosen)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @property
    def resolved_max_input_tokens(self) -> int:
        if self.max_input_tokens is not None:
            return self.max_input_tokens
        for prefix, tokens in DEFAULT_MAX_INPUT_TOKENS.items():
            if self.model.startswith(prefix):
                return tokens
        return FALLBACK_MAX_INPUT_TOKENS

    @property
    def resolved_cache_dir(self) -> Path:
        """The setting, else SUMMARIZER_CACHE_DIR, else the user's cache directory."""
        if self.cache_dir is not None:
            return self.cache_dir
        from_env = os.environ.get("SUMMARIZER_CACHE_DIR")
        return Path(from_env) if from_env else Path(platformdirs.user_cache_dir("summarizer"))

"""Settings: one frozen object built from arguments, then environment, then defaults.

The environment is read in one place, ``Settings.resolve``; everything after it (the client,
the cache key, the cache directory) reads the resolved ``Settings`` only, so a client never
uses a value the cache key did not see. A value of the wrong Python type raises ``TypeError``;
a value that cannot be used (a base URL that is not an http(s) URL, a key holding a control
character, a timeout of 0) raises ``ConfigError`` at once, before any request.
"""

from __future__ import annotations

import math
import os
import re
import urllib.parse
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import NoneType
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
OPENAI_URL = "https://api.openai.com/v1"
_NUMBER = (int, float)
# The Python types each field takes (None where it is optional).
_TYPES: dict[str, tuple[type, ...]] = {
    "model": (str,),
    "base_url": (str, NoneType),
    "api_key": (str, NoneType),
    "mode": (str,),
    "reasks": (int,),
    "temperature": _NUMBER,
    "seed": (int, NoneType),
    "timeout": _NUMBER,
    "max_tokens_per_article": (int, NoneType),
    "max_output_tokens": (int, NoneType),
    "max_input_chars": (int,),
    "max_input_tokens": (int, NoneType),
    "retry": (RetryPolicy,),
    "azure_endpoint": (str, NoneType),
    "azure_deployment": (str, NoneType),
    "api_version": (str, NoneType),
    "cache_dir": (str, os.PathLike, NoneType),
    "use_cache": (bool,),
    "partial": (bool,),
}


@dataclass(frozen=True)
class Settings:
    """Everything a call needs to reach a model and check its answer, checked when built.

    ``Settings.resolve(...)`` adds the environment; ``Settings(...)`` takes only what it is
    given. ``cache_dir`` may be a str or a path.

    >>> Settings(timeout=30).retry.request_timeout
    30
    """

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: Mode = "tools"
    reasks: int = 2
    temperature: float = 0.0
    seed: int | None = None
    # Seconds for each request, connect to last byte (a deadline, not a read timeout); one
    # answer, retries and waits included, is bounded by retry.max_total_seconds (180 s, or
    # the timeout when that is longer: a slow local server given 600 s gets them).
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
    # When the re-asks are spent, return what passed the checks (``meta.complete`` false)
    # instead of raising ``InvalidAnswer``: see ``partial.py``.
    partial: bool = False

    def __post_init__(self) -> None:
        for name, types in _TYPES.items():
            require_type(name, getattr(self, name), *types)
        if self.cache_dir is not None:
            _check_cache_dir(self.cache_dir)
            if not isinstance(self.cache_dir, Path):
                object.__setattr__(self, "cache_dir", Path(self.cache_dir))
        for name, url in (("base URL", self.base_url), ("Azure endpoint", self.azure_endpoint)):
            if url is not None:
                _check_url(name, url)
        if self.api_key is not None:
            _check_key(self.api_key)
        if not (self.timeout > 0 and math.isfinite(self.timeout)):
            raise ConfigError(f"timeout must be a positive number of seconds, not {self.timeout}")
        if not 0 <= self.temperature <= 2:  # the range OpenAI-compatible servers take; not NaN
            raise ConfigError(f"temperature must be between 0 and 2, not {self.temperature}")
        if self.retry.request_timeout != self.timeout:
            # One knob for the user (timeout); the transport reads its deadline off the policy.
            # Under the default limit for one answer, an answer may take one whole request;
            # a limit the caller set in their own policy stands.
            total = self.retry.max_total_seconds
            if total == RetryPolicy.max_total_seconds:
                total = max(total, self.timeout)
            policy = replace(self.retry, request_timeout=self.timeout, max_total_seconds=total)
            object.__setattr__(self, "retry", policy)
        if self.mode not in MODES:
            raise ConfigError(f"unknown mode {self.mode!r}: choose one of {', '.join(MODES)}")
        if self.reasks < 0:
            raise ConfigError(f"reasks must be 0 or more, not {self.reasks}")
        if self.max_tokens_per_article is not None and self.max_tokens_per_article <= 0:
            raise ConfigError("max_tokens_per_article must be a positive number of tokens")
        if not self.model:
            raise ConfigError("no model: pass model=, --model or set SUMMARIZER_MODEL")
        if not self.model.isprintable() or self.model != self.model.strip():
            raise ConfigError(
                f"model name {self.model!r} holds a line break or a control character"
            )

    @classmethod
    def resolve(cls, **given: Any) -> Settings:
        """Arguments that are not None win; then the environment; then the defaults.

        The only place the environment is read: ``SUMMARIZER_MODEL``, ``OPENAI_BASE_URL``,
        ``OPENAI_API_KEY`` (for Azure, else ``AZURE_OPENAI_API_KEY``),
        ``AZURE_OPENAI_ENDPOINT``, ``OPENAI_API_VERSION`` and ``SUMMARIZER_CACHE_DIR``.
        """
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
        if chosen.get("azure_endpoint") and not chosen.get("api_key"):
            chosen["api_key"] = env.get("AZURE_OPENAI_API_KEY") or None
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
        """The setting (``resolve`` fills it from SUMMARIZER_CACHE_DIR), else the user's."""
        if self.cache_dir is not None:
            return Path(self.cache_dir)
        return Path(platformdirs.user_cache_dir("summarizer"))


def require_type(name: str, value: Any, *types: type) -> None:
    """``TypeError`` unless ``value`` is one of ``types`` (a bool is not a number here)."""
    is_bool_for_number = isinstance(value, bool) and bool not in types
    if is_bool_for_number or not isinstance(value, types):
        wanted = " or ".join("None" if t is NoneType else t.__name__ for t in types)
        raise TypeError(f"{name} must be {wanted}, not {type(value).__name__}")


def _check_url(name: str, url: str) -> None:
    shown = _without_password(url)
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError as exc:
        raise ConfigError(f"{name} {shown!r} is not a URL: {exc}") from None
    if any(not c.isprintable() or c.isspace() for c in url):
        raise ConfigError(f"{name} {shown!r} is not a URL: it holds a space or control character")
    if parts.scheme not in ("http", "https"):
        raise ConfigError(f"{name} {shown!r} is not an http:// or https:// URL")
    if not parts.hostname:
        raise ConfigError(f"{name} {shown!r} is not a URL: it names no host")


def _without_password(url: str) -> str:
    return re.sub(r"(//[^/@:]*:)[^/@]*@", r"\1***@", url)


def _check_key(key: str) -> None:
    # Sent in a header: a line break or a non-ASCII character would fail on every request,
    # and be retried as a network fault; say so now, without showing the key.
    if not key.isascii() or not key.isprintable() or key != key.strip():
        raise ConfigError(
            "the API key holds a line break, a space at either end or a character that is not "
            "printable ASCII: check OPENAI_API_KEY or --api-key"
        )


def _check_cache_dir(path: str | Path) -> None:
    """A cache directory must be one (or not exist yet): '' would be the working directory."""
    if not str(path).strip():
        raise ConfigError("cache directory is empty: give a directory, or --no-cache")
    if Path(path).exists() and not Path(path).is_dir():
        raise ConfigError(f"cache directory {path} is a file, not a directory")

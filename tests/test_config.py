"""Settings: resolved from the environment once, checked at once, never a network fault."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from summarizer.config import Settings
from summarizer.errors import ConfigError
from summarizer.llm.client import make_client

from .cli_run import run_cli
from .crafted import ARTICLE_000
from .loopback import serve


@pytest.mark.parametrize(
    ("given", "says"),
    [
        pytest.param({"base_url": "http://u:pw@127.0.0.1:notaport/v1"}, "not a URL", id="port"),
        pytest.param({"base_url": "ftp://example.org/v1"}, "not an http", id="ftp"),
        pytest.param({"base_url": "localhost:8000/v1"}, "not an http", id="no-scheme"),
        pytest.param({"base_url": "http:///v1"}, "names no host", id="no-host"),
        pytest.param({"base_url": "http://exa mple.org/v1"}, "space", id="space"),
        pytest.param({"azure_endpoint": "ftp://x.example"}, "Azure endpoint", id="azure-ftp"),
        pytest.param({"api_key": "sk-abcdefgh\n12345678"}, "line break", id="key-newline"),
        pytest.param({"api_key": "sk-abcdefgh\x1b12345678"}, "printable", id="key-escape"),
        pytest.param({"api_key": "sk-abcdefgh12345678 "}, "space at either end", id="key-space"),
        pytest.param({"api_key": "sk-abcdéfgh12345678"}, "ASCII", id="key-non-ascii"),
        pytest.param({"timeout": 0}, "timeout must be a positive", id="timeout-zero"),
        pytest.param({"mode": "xml"}, "unknown mode", id="mode"),
        pytest.param({"timeout": float("inf")}, "timeout must be a positive", id="timeout-inf"),
        pytest.param({"temperature": float("nan")}, "between 0 and 2", id="temperature-nan"),
        pytest.param({"temperature": -5.0}, "between 0 and 2", id="temperature-negative"),
        pytest.param({"model": "gpt\n4"}, "line break", id="model-newline"),
        pytest.param({"cache_dir": ""}, "cache directory is empty", id="cache-dir-empty"),
        pytest.param({"cache_dir": __file__}, "is a file", id="cache-dir-file"),
    ],
)
def test_unusable_values_are_config_errors(given: dict[str, Any], says: str) -> None:
    with pytest.raises(ConfigError, match=says) as caught:
        Settings(**given)
    assert "pw" not in str(caught.value) and "12345678" not in str(caught.value)


@pytest.mark.parametrize(
    ("given", "says"),
    [
        pytest.param({"model": None}, "model must be str, not NoneType", id="model-none"),
        pytest.param({"timeout": "5"}, "timeout must be int or float, not str", id="timeout-str"),
        pytest.param({"reasks": True}, "reasks must be int, not bool", id="reasks-bool"),
        pytest.param({"cache_dir": 3}, "cache_dir must be", id="cache-dir-int"),
        pytest.param({"api_key": b"sk-x"}, "api_key must be str or None", id="key-bytes"),
    ],
)
def test_wrong_python_types_are_type_errors(given: dict[str, Any], says: str) -> None:
    with pytest.raises(TypeError, match=says):
        Settings(**given)


def test_a_str_cache_dir_is_a_path(tmp_path: Path) -> None:
    assert Settings(cache_dir=str(tmp_path)).resolved_cache_dir == tmp_path


def test_timeout_is_the_deadline_of_each_request() -> None:
    settings = Settings(timeout=7)
    assert settings.retry.request_timeout == 7
    assert settings.with_(timeout=3).retry.request_timeout == 3


def test_a_timeout_longer_than_the_answer_limit_extends_it() -> None:
    # A slow local server given 600 s a request must not be cut off at 180 s.
    assert Settings(timeout=600).retry.max_total_seconds == 600
    assert Settings(timeout=30).retry.max_total_seconds == 180


@pytest.mark.parametrize(
    ("env", "flag"),
    [
        pytest.param({"OPENAI_BASE_URL": "http://u:pw@127.0.0.1:notaport/v1"}, [], id="env-url"),
        pytest.param({}, ["--base-url", "ftp://127.0.0.1/v1"], id="ftp-flag"),
        pytest.param({"OPENAI_API_KEY": "sk-abcdefgh\n12345678"}, [], id="key-newline"),
        pytest.param({"OPENAI_API_KEY": "local-secret\x0712345678"}, [], id="key-bell"),
    ],
)
def test_the_command_line_stops_at_once_with_a_usage_error(
    env: dict[str, str],
    flag: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE_000, encoding="utf-8")
    with serve([{}]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        started = time.monotonic()
        code, out, err = run_cli(["summarize", str(article), *flag], monkeypatch, capsys)
    assert time.monotonic() - started < 5  # not retried as a network fault
    assert code == 2 and out == "" and server.requests == []
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "pw" not in err and "12345678" not in err


def test_the_environment_is_read_once_by_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://res.openai.azure.com")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "azure-key-12345678")
    monkeypatch.setenv("OPENAI_API_VERSION", "2024-10-21")
    resolved = Settings.resolve(azure_deployment="gpt-4o-mini")
    assert resolved.api_key == "azure-key-12345678"
    assert resolved.api_version == "2024-10-21"
    assert make_client(resolved).api_key == "azure-key-12345678"
    # A Settings built without resolve sees no environment, nor does its client: the client
    # uses exactly what the cache key holds.
    direct = Settings(azure_endpoint="https://res.openai.azure.com", api_key="k" * 10)
    with pytest.raises(ConfigError, match="API version"):
        make_client(direct)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert str(make_client(Settings(api_key="k" * 10)).base_url) == "https://api.openai.com/v1/"
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", "/somewhere/else")
    assert Settings().resolved_cache_dir != Path("/somewhere/else")
    assert Settings.resolve().resolved_cache_dir == Path("/somewhere/else")

"""The Python API: wrong Python types are TypeError, wrong values ConfigError, str paths work."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from summarizer import ConfigError, Summarizer

from .crafted import ARTICLE_000, good_meeting
from .stub import StubServer


def _summarizer(server: StubServer | None = None, **options: Any) -> Summarizer:
    client = (server or StubServer([good_meeting()])).client()
    return Summarizer(model="m", api_key="k", http_client=client, **options)


@pytest.mark.parametrize(
    ("args", "kwargs", "says"),
    [
        pytest.param((None,), {}, "text must be str, not NoneType", id="none-text"),
        pytest.param((ARTICLE_000.encode(),), {}, "decode it first", id="bytes-text"),
        pytest.param((ARTICLE_000, 1), {}, "schema must be str", id="schema-int"),
        pytest.param((ARTICLE_000,), {"lang": ["en"]}, "lang must be str", id="lang-list"),
        pytest.param((ARTICLE_000,), {"outlet": 5}, "outlet must be str or None", id="outlet"),
        pytest.param((ARTICLE_000,), {"published": 2024}, "published must be", id="published"),
        pytest.param((ARTICLE_000,), {"url": b"http://x"}, "url must be", id="url-bytes"),
    ],
)
def test_wrong_types_are_type_errors(
    args: tuple[Any, ...], kwargs: dict[str, Any], says: str
) -> None:
    server = StubServer([good_meeting()])
    with pytest.raises(TypeError, match=says):
        _summarizer(server).summarize(*args, **kwargs)
    with pytest.raises(TypeError, match=says):
        asyncio.run(_summarizer(server).asummarize(*args, **kwargs))
    assert server.requests == []


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"timeout": "5"}, id="timeout-str"),
        pytest.param({"http_client": "client"}, id="http-client-str"),
        pytest.param({"settings": {"model": "m"}}, id="settings-dict"),
    ],
)
def test_wrong_option_types_are_type_errors(options: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        Summarizer(model="m", api_key="k", **options)


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        pytest.param({"lang": "fr"}, "unknown lang", id="lang"),
        pytest.param({"schema": "weather"}, "unknown schema", id="schema"),
        pytest.param({"published": "5/3/2024"}, "not a YYYY-MM-DD", id="published"),
    ],
)
def test_wrong_values_stay_config_errors(kwargs: dict[str, Any], says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        _summarizer().summarize(ARTICLE_000, **kwargs)


def test_a_str_cache_dir_works(tmp_path: Path) -> None:
    server = StubServer([good_meeting()])
    s = _summarizer(server, cache_dir=str(tmp_path))
    assert s.summarize(ARTICLE_000, published=dt.date(2023, 10, 24)).summary is not None
    assert s.summarize(ARTICLE_000, published="2023-10-24").meta.cached
    assert (tmp_path / "responses.sqlite").is_file()

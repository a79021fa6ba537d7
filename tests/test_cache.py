"""The response cache: a hit costs nothing and says so; anything that changes the answer misses."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import pytest

from summarizer import InvalidAnswer, Summarizer, SummarizerError
from summarizer.cli import main
from summarizer.config import Settings

from .cli_run import run_cli
from .crafted import ARTICLE_000, good_meeting
from .stub import StubServer


def summarizer(server: StubServer, **settings: Any) -> Summarizer:
    merged: dict[str, Any] = {"model": "m", "api_key": "k", **settings}
    return Summarizer(settings=Settings(**merged), http_client=server.client())


def test_second_call_is_a_free_hit() -> None:
    server = StubServer([good_meeting()])
    s = summarizer(server)
    first = s.summarize(ARTICLE_000)
    second = s.summarize(ARTICLE_000)
    assert len(server.requests) == 1
    assert not first.meta.cached and second.meta.cached
    assert second.meta.attempts == 0 and second.meta.usage["total_tokens"] == 0
    assert second.summary == first.summary  # offsets included


@pytest.mark.parametrize(
    ("change", "settings"),
    [
        pytest.param({"lang": "ar"}, {}, id="language"),
        pytest.param({"schema": "cooperation"}, {}, id="schema"),
        pytest.param({"published": "2023-10-24"}, {}, id="published"),
        pytest.param({"outlet": "SPA"}, {}, id="outlet"),
        pytest.param({}, {"model": "other-model"}, id="model"),
        pytest.param({}, {"mode": "json_schema"}, id="mode"),
        pytest.param({}, {"temperature": 0.7}, id="temperature"),
        pytest.param({}, {"base_url": "http://127.0.0.1:1/v1"}, id="server"),
    ],
)
def test_anything_that_changes_the_answer_misses(
    change: dict[str, Any], settings: dict[str, Any]
) -> None:
    server = StubServer([good_meeting()])
    summarizer(server).summarize(ARTICLE_000)
    other = summarizer(server, **settings)
    # A changed schema or language makes the crafted answer invalid; it still had to ask.
    with contextlib.suppress(SummarizerError):
        other.summarize(ARTICLE_000, **change)
    assert len(server.requests) >= 2


def test_no_cache_bypasses() -> None:
    server = StubServer([good_meeting()])
    summarizer(server).summarize(ARTICLE_000)
    summarizer(server, use_cache=False).summarize(ARTICLE_000)
    assert len(server.requests) == 2


def test_failures_are_not_cached() -> None:
    server = StubServer([{"summary": None, "no_event": None}, good_meeting()])
    s = summarizer(server, reasks=0)
    with pytest.raises(InvalidAnswer):
        s.summarize(ARTICLE_000)
    assert s.summarize(ARTICLE_000).summary is not None


def test_cache_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server = StubServer([good_meeting()])
    summarizer(server, cache_dir=tmp_path).summarize(ARTICLE_000)
    for args, says in (
        (["cache", "info"], "1 answers"),
        (["cache", "clear"], "removed 1"),
        (["cache", "info"], "0 answers"),
    ):
        monkeypatch.setattr(sys, "argv", ["summarizer", *args, "--cache-dir", str(tmp_path)])
        main()
        assert says in capsys.readouterr().out


def test_an_unusable_cache_is_a_miss_not_a_failure(tmp_path: Path) -> None:
    (tmp_path / "responses.sqlite").write_bytes(b"this is not a database" * 100)
    server = StubServer([good_meeting()])
    s = summarizer(server, cache_dir=tmp_path)
    assert s.summarize(ARTICLE_000).summary is not None
    assert s.summarize(ARTICLE_000).summary is not None
    assert len(server.requests) == 2  # no hits, no failures


def test_cache_key_holds_how_long_articles_are_split() -> None:
    server = StubServer([good_meeting()])
    summarizer(server).summarize(ARTICLE_000)
    with contextlib.suppress(SummarizerError):  # the crafted answer does not fit every part
        summarizer(server, max_input_tokens=500).summarize(ARTICLE_000)
    assert len(server.requests) > 2  # not a hit: the split into parts changes the answer


def test_a_hit_of_a_split_article_reports_its_parts() -> None:
    from .test_chunking import LONG_ARTICLE, per_part

    server = StubServer([per_part])
    s = summarizer(server, model="local-small-model")
    first = s.summarize(LONG_ARTICLE)
    hit = s.summarize(LONG_ARTICLE)
    assert hit.meta.cached and first.meta.parts > 1
    assert hit.meta.parts == first.meta.parts


BASE = Settings(model="m", api_key="k")


@pytest.mark.parametrize(
    "change",
    [
        {"base_url": "http://127.0.0.1:1/v1"},
        {"azure_endpoint": "https://x.openai.azure.com"},
        {"azure_deployment": "prod"},
        {"api_version": "2024-10-21"},
        {"model": "other"},
        {"mode": "json"},
        {"reasks": 5},
        {"temperature": 0.5},
        {"seed": 3},
        {"max_output_tokens": 500},
        {"max_input_tokens": 700},
        {"max_input_chars": 5000},
        {"max_tokens_per_article": 9000},
    ],
    ids=lambda change: next(iter(change)),
)
def test_the_answer_key_holds_every_setting_that_changes_an_answer(change: dict[str, Any]) -> None:
    from summarizer.batch.job import Job
    from summarizer.batch.runner import config_hash
    from summarizer.cache import answer_key

    other = BASE.with_(**change)
    assert answer_key(other, "meeting", "en") != answer_key(BASE, "meeting", "en")
    job = Job(out=Path("out"))
    assert config_hash(other, job) != config_hash(BASE, job), "a batch re-run redoes its articles"


def test_the_answer_key_holds_schema_language_and_article() -> None:
    from summarizer.cache import answer_key
    from summarizer.prepare import prepare

    article = prepare(ARTICLE_000, BASE).meta
    dated = prepare(ARTICLE_000, BASE, published="2023-10-24").meta
    keys = {
        answer_key(BASE, "meeting", "en"),
        answer_key(BASE, "cooperation", "en"),
        answer_key(BASE, "meeting", "ar"),
        answer_key(BASE, "meeting", "en", article),
        answer_key(BASE, "meeting", "en", dated),
    }
    assert len(keys) == 5


@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(b"this is not a database" * 100, id="text"),
        pytest.param(b"SQLite format 3\x00" + bytes(range(256)) * 16, id="damaged-sqlite"),
    ],
)
def test_a_damaged_cache_is_reported_and_repaired_by_clear(
    garbage: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    damaged = tmp_path / "responses.sqlite"
    damaged.write_bytes(garbage)
    where = ["--cache-dir", str(tmp_path)]
    for args, says in (
        (["cache", "info"], "damaged"),
        (["cache", "clear"], "removed the damaged cache file"),
        (["cache", "info"], "0 answers"),
    ):
        code, out, err = run_cli([*args, *where], monkeypatch, capsys)
        assert code == 0 and err == ""
        assert len(out.strip().splitlines()) == 1 and says in out
    server = StubServer([good_meeting()])
    s = summarizer(server, cache_dir=tmp_path)
    s.summarize(ARTICLE_000)
    assert s.summarize(ARTICLE_000).meta.cached  # repaired: the cache works again

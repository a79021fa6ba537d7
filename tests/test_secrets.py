"""A server that echoes the API key never gets it shown or kept, by any command.

The key is looked for in stdout, stderr and every byte of every file a run writes (the batch
output folder with results.jsonl and state.sqlite, and the response cache).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from summarizer import redact

from .cli_run import run_cli
from .crafted import ARTICLE_000, good_meeting
from .loopback import serve

SK_KEY = "sk-proj-Zx9Qw8Er7Ty6Ui5Op4As3Df2"
PLAIN_KEY = "gateway-secret-9f8e7d6c5b4a"  # not shaped like any known key


@pytest.fixture(autouse=True)
def _no_key_known_yet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys are remembered process-wide: start each case as a fresh process would."""
    monkeypatch.setattr(redact, "_known", set())


def _echo(status: int, key: str) -> tuple[int, dict[str, str], str]:
    message = f"Incorrect API key provided: Bearer {key}. Your key {key} was refused."
    return (status, {}, json.dumps({"error": {"message": message, "key": key}}))


@pytest.mark.parametrize("status", [401, 400, 500, 502])
@pytest.mark.parametrize(
    ("key", "env"),
    [
        pytest.param(SK_KEY, "OPENAI_API_KEY", id="openai-key"),
        pytest.param(PLAIN_KEY, "OPENAI_API_KEY", id="plain-key"),
        pytest.param(PLAIN_KEY, "AZURE_OPENAI_API_KEY", id="azure-key"),
    ],
)
def test_an_echoed_key_is_in_no_output_and_no_file(
    status: int,
    key: str,
    env: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    article = tmp_path / "in" / "article.txt"
    article.parent.mkdir()
    article.write_text(ARTICLE_000, encoding="utf-8")
    cache, out = tmp_path / "cache", tmp_path / "out"
    monkeypatch.setenv(env, key)
    printed = []
    with serve([_echo(status, key)]) as server:
        if env.startswith("AZURE"):
            monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", server.url.removesuffix("/v1"))
            monkeypatch.setenv("OPENAI_API_VERSION", "2024-10-21")
        else:
            monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        common = ["--cache-dir", str(cache), "--retries", "1"]
        for args in (
            ["summarize", str(article), "--format", "json", *common],
            ["batch", str(article.parent), "--out", str(out), "--workers", "1", *common],
        ):
            code, stdout, stderr = run_cli(args, monkeypatch, capsys)
            assert code == 1, stderr
            printed += [stdout, stderr]
        assert server.requests  # the server was asked, and echoed the key
    assert any("redacted" in text for text in printed)  # the error was shown, masked
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != article]
    assert any(p.name == "results.jsonl" for p in written)
    assert any(p.name.startswith("state.sqlite") for p in written)
    for text in printed:
        assert key not in text
    for path in written:
        assert key.encode() not in path.read_bytes(), path


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("They signed a basic agreement on training.", False),
        ("A token gesture of goodwill, said the minister.", False),
        ("secret: negotiations continued", False),
        ("Authorization: Bearer abcdefghijklmnopqrstuvwxyz", True),  # long: a token
        ("Authorization: Basic dXNlcjpwYXNzd29yZA==", True),
        ("Incorrect API key provided: Bearer ****wxyz1234", True),
    ],
)
def test_credential_shapes_spare_ordinary_words(text: str, masked: bool) -> None:
    assert (redact.redact(text) != text) is masked


def test_the_keys_a_client_sends_are_remembered() -> None:
    from summarizer.config import Settings
    from summarizer.llm.client import make_client

    make_client(Settings(api_key="plain-key-0987654321", base_url="http://u:pw-123456789@h/v1"))
    echoed = "denied: plain-key-0987654321 (pw-123456789)"
    assert redact.redact(echoed) == f"denied: {redact.MASK} ({redact.MASK})"


PASSWORD = "pa55word-in-url-77"


def _readable(path: Path) -> bytes:
    """A file's bytes as a reader would see them: a DOCX's inner XML, not its zip."""
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as docx:
            return b"".join(docx.read(name) for name in docx.namelist())
    return path.read_bytes()


def test_a_key_a_model_repeats_is_in_no_output_briefing_or_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not only errors: a model that repeats the key in its answer, or a URL holding a
    password, reaches no stdout, briefing (md, html, docx), result or cache."""
    article = tmp_path / "in" / "article.txt"
    article.parent.mkdir()
    article.write_text(ARTICLE_000, encoding="utf-8")
    answer = good_meeting()
    answer["summary"]["headline"] = f"Ministers meet (debug {PLAIN_KEY})"
    answer["summary"]["next_steps"] = [f"Call back with key {PLAIN_KEY}"]
    monkeypatch.setenv("OPENAI_API_KEY", PLAIN_KEY)
    url = f"https://analyst:{PASSWORD}@intranet.example/a/1"
    printed = []
    with serve([answer]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        common = ["--url", url, "--cache-dir", str(tmp_path / "cache")]
        runs = [["summarize", str(article), "--format", "json", *common]]
        runs += [
            ["summarize", str(article), "--format", fmt, "-o", str(tmp_path / f"b.{fmt}"), *common]
            for fmt in ("md", "html", "docx")
        ]
        rows = tmp_path / "rows.jsonl"  # a batch takes its url from the row
        rows.write_text(json.dumps({"id": "a", "text": ARTICLE_000, "url": url}) + "\n")
        runs.append(
            ["batch", str(rows), "--out", str(tmp_path / "out"), "--workers", "1", "--no-cache"]
            + ["--format", "md", "--format", "html", "--format", "docx"]
        )
        for args in runs:
            code, stdout, stderr = run_cli(args, monkeypatch, capsys)
            assert code == 0, stderr
            printed += [stdout, stderr]
    assert "[redacted]" in printed[0]  # the headline was shown, masked
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p not in (article, rows)]
    assert {p.suffix for p in written} >= {".md", ".html", ".docx", ".jsonl", ".sqlite"}
    for secret in (PLAIN_KEY, PASSWORD):
        for text in printed:
            assert secret not in text
        for path in written:
            assert secret.encode() not in _readable(path), path

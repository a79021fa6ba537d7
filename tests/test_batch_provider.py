"""Provider batches on recorded exchanges of the files and batches endpoints.

The exchanges are written by hand in OpenAI's exact wire format (the Files, Batches and Batch
output-file objects as the API reference documents them), served by an
``httpx2.MockTransport``; nothing reaches a network. Each output line answers the very
request body that was uploaded for it, as the provider would.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx2
import pytest
from rich.console import Console

from summarizer.batch.job import Job
from summarizer.batch.provider_job import collect_batch, submit_batch
from summarizer.errors import ConfigError, ProviderBatchFailed

from .cli_run import run_cli
from .crafted import NOT_IN_ARTICLE, good_meeting
from .stub import completion
from .test_batch import Stub, results, run, settings, write_articles
from .test_chunking import LONG_ARTICLE, per_part

CREATED = 1_732_000_000


def file_object(file_id: str, size: int, filename: str, purpose: str) -> dict[str, Any]:
    return {
        "id": file_id,
        "object": "file",
        "bytes": size,
        "created_at": CREATED,
        "expires_at": None,
        "filename": filename,
        "purpose": purpose,
        "status": "processed",
        "status_details": None,
    }


def batch_object(status: str, counts: tuple[int, int, int], **extra: Any) -> dict[str, Any]:
    total, completed, failed = counts
    return {
        "id": "batch_6743a2b1c0d48190",
        "object": "batch",
        "endpoint": "/v1/chat/completions",
        "errors": None,
        "input_file_id": "file-Up1oadedInput",
        "completion_window": "24h",
        "status": status,
        "output_file_id": None,
        "error_file_id": None,
        "created_at": CREATED,
        "in_progress_at": CREATED + 5 if status != "validating" else None,
        "expires_at": CREATED + 86_400,
        "finalizing_at": None,
        "completed_at": None,
        "failed_at": None,
        "expired_at": None,
        "cancelling_at": None,
        "cancelled_at": None,
        "request_counts": {"total": total, "completed": completed, "failed": failed},
        "metadata": {"created_by": "summarizer batch"},
        **extra,
    }


class Provider(Stub):
    """Files + Batches endpoints; the batch answers article 0 well, article 1 with an
    ungrounded quote, and loses article 2; chat completions (the normal path) answer well."""

    def __init__(self, final: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.uploaded: list[dict[str, Any]] = []
        self.calls: list[str] = []
        self.polls = 0
        self.final = final

    async def __call__(self, request: httpx2.Request) -> httpx2.Response:
        path = request.url.path
        self.calls.append(f"{request.method} {path}")
        if path == "/v1/chat/completions":
            return await super().__call__(request)
        if request.method == "POST" and path == "/v1/files":
            content = await request.aread()
            self.uploaded = [  # the JSONL part of the multipart body, one request a line
                json.loads(line) for line in content.splitlines() if line.startswith(b'{"custom')
            ]
            return httpx2.Response(
                200, json=file_object("file-Up1oadedInput", len(content), "requests.jsonl", "batch")
            )
        if request.method == "POST" and path == "/v1/batches":
            return httpx2.Response(200, json=batch_object("validating", (0, 0, 0)))
        if request.method == "GET" and path == "/v1/batches/batch_6743a2b1c0d48190":
            self.polls += 1
            if self.polls == 1:
                return httpx2.Response(200, json=batch_object("in_progress", (3, 1, 0)))
            final = self.final or batch_object(
                "completed",
                (3, 2, 1),
                output_file_id="file-0utput",
                error_file_id="file-Err0rs",
                completed_at=CREATED + 600,
            )
            return httpx2.Response(200, json=final)
        if request.method == "GET" and path == "/v1/files/file-0utput/content":
            return httpx2.Response(200, content=self.output_file())
        return httpx2.Response(404, json={"error": {"message": f"no route {path}"}})

    def output_file(self) -> bytes:
        wrong = good_meeting()
        wrong["summary"]["topics"][0]["evidence"]["quote"] = NOT_IN_ARTICLE
        lines = []
        answers = [good_meeting(), wrong]
        for index, (request, answer) in enumerate(zip(self.uploaded[:2], answers, strict=True)):
            body = completion(request["body"], answer, 900 + index)
            lines.append(
                {
                    "id": f"batch_req_{index:04d}",
                    "custom_id": request["custom_id"],
                    "response": {"status_code": 200, "request_id": f"req_{index}", "body": body},
                    "error": None,
                }
            )
        return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()


def provider_run(tmp_path: Path, provider: Provider, **kwargs: Any) -> tuple[str | None, Any]:
    paths = write_articles(tmp_path / "in", range(3))
    return submit_batch(
        paths,
        Job(out=tmp_path / "out"),
        settings(),
        poll_interval=0,
        console=Console(file=io.StringIO()),
        transport=provider.transport(),
        **kwargs,
    )


def test_submit_wait_validate_and_send_the_failures_the_normal_way(tmp_path: Path) -> None:
    provider = Provider()
    batch_id, stats = provider_run(tmp_path, provider)
    assert batch_id == "batch_6743a2b1c0d48190"
    # SEQ-KEY: the input and the key of the body it carries
    assert [line["custom_id"].split("-")[0] for line in provider.uploaded] == ["0", "1", "2"]
    assert {line["url"] for line in provider.uploaded} == {"/v1/chat/completions"}
    # The uploaded body is the request the live path sends for that article, to the byte.
    live_for_2 = next(b for b in provider.bodies if "Ref 0002" in json.dumps(b["messages"]))
    assert provider.uploaded[2]["body"] == live_for_2
    # Article 0 was answered by the batch; article 1's answer failed and was re-asked live,
    # with the re-ask naming what failed; article 2 got no answer and ran live.
    assert provider.per_article == {1: 1, 2: 1}
    reask = next(b for b in provider.bodies if "Ref 0001" in json.dumps(b["messages"]))
    assert NOT_IN_ARTICLE in json.dumps(reask["messages"][2:], ensure_ascii=False)
    lines = results(tmp_path / "out")
    assert [line["status"] for line in lines] == ["ok", "ok", "ok"]
    batch_answered, reasked, live = (line["meta"] for line in lines)
    assert batch_answered["attempts"] == 1 and batch_answered["reasks"] == 0
    assert reasked["attempts"] == 2 and reasked["reasks"] == 1
    assert batch_answered["cost"] == pytest.approx(live["cost"] / 2, rel=0.01)
    assert stats.done["ok"] == 3 and provider.polls == 2

    again = Provider()
    again.uploaded = provider.uploaded  # the same output file, fetched a second time
    collect_batch(
        "batch_6743a2b1c0d48190",
        Job(out=tmp_path / "out"),
        settings(),
        poll_interval=0,
        console=Console(file=io.StringIO()),
        transport=again.transport(),
    )
    assert again.requests == 0, "collecting twice asks the model nothing"


def test_submit_only_then_collect_later_from_the_output_directory(tmp_path: Path) -> None:
    provider = Provider()
    batch_id, _ = provider_run(tmp_path, provider, wait_for_it=False)
    assert provider.calls == ["POST /v1/files", "POST /v1/batches"]
    assert not (tmp_path / "out" / "results.jsonl").read_text()
    assert batch_id is not None
    again, _ = provider_run(tmp_path, provider, wait_for_it=False)
    assert again is None and len(provider.calls) == 2, "inputs waiting in a batch: not twice"
    stats = collect_batch(
        batch_id,
        Job(out=tmp_path / "out", schema="meeting"),
        settings(),
        poll_interval=0,
        console=Console(file=io.StringIO()),
        transport=provider.transport(),
    )
    assert stats.done["ok"] == 3
    with pytest.raises(ConfigError, match="was not submitted"):
        collect_batch("batch_other", Job(out=tmp_path / "out"), settings())


def test_a_failed_batch_is_one_clear_error_and_records_nothing(tmp_path: Path) -> None:
    failed = batch_object(
        "failed",
        (0, 0, 0),
        failed_at=CREATED + 60,
        errors={
            "object": "list",
            "data": [
                {"code": "invalid_json_line", "message": "line 2 is not JSON", "line": 2},
            ],
        },
    )
    provider = Provider(final=failed)
    with pytest.raises(ProviderBatchFailed, match="line 2 is not JSON"):
        provider_run(tmp_path, provider)
    assert provider.requests == 0
    assert not (tmp_path / "out" / "results.jsonl").read_text()


def test_the_uploaded_body_carries_max_tokens_as_the_live_one_does(tmp_path: Path) -> None:
    provider = Provider()
    paths = write_articles(tmp_path / "in", range(3))
    capped = settings(max_output_tokens=777)
    submit_batch(
        paths,
        Job(out=tmp_path / "out"),
        capped,
        poll_interval=0,
        console=Console(file=io.StringIO()),
        transport=provider.transport(),
    )
    live_for_2 = next(b for b in provider.bodies if "Ref 0002" in json.dumps(b["messages"]))
    assert live_for_2["max_tokens"] == 777
    assert provider.uploaded[2]["body"] == live_for_2


class PartsProvider(Provider):
    """Also answers the parts and synopsis of a long article, as ``per_part`` does."""

    async def __call__(self, request: httpx2.Request) -> httpx2.Response:
        if request.url.path == "/v1/chat/completions":
            body = json.loads(request.content)
            text = json.dumps(body["messages"], ensure_ascii=False)
            if "Part " in text or body["tools"][0]["function"]["name"] == "Synopsis":
                self.bodies.append(body)
                return httpx2.Response(200, json=completion(body, per_part(body)))
        return await super().__call__(request)


def test_a_long_article_gets_no_batch_line_a_note_and_runs_live(tmp_path: Path) -> None:
    provider = PartsProvider()
    write_articles(tmp_path / "in", range(3))
    (tmp_path / "in" / "long.txt").write_text(LONG_ARTICLE, encoding="utf-8")
    said = io.StringIO()
    batch_id, stats = submit_batch(
        [tmp_path / "in"],
        Job(out=tmp_path / "out"),
        settings(model="local-small-model"),
        poll_interval=0,
        console=Console(file=said, width=300),
        transport=provider.transport(),
    )
    assert batch_id is not None and len(provider.uploaded) == 3  # the three short ones
    assert "long.txt: a long article" in said.getvalue()
    assert "summarised live" in said.getvalue()
    lines = {Path(line["id"]).name: line for line in results(tmp_path / "out")}
    assert lines["long.txt"]["status"] == "ok" and lines["long.txt"]["meta"]["parts"] > 1
    assert lines["long.txt"]["meta"]["reasks"] == 0
    assert stats.done["ok"] == 4


class NoBatchApi(Provider):
    """A chat-only server (vLLM's, llama.cpp's): no /files, no /batches."""

    async def __call__(self, request: httpx2.Request) -> httpx2.Response:
        if request.url.path != "/v1/chat/completions":
            self.calls.append(f"{request.method} {request.url.path}")
            return httpx2.Response(404, json={"detail": "Not Found"})
        return await super().__call__(request)


def test_a_server_without_a_batch_api_is_one_error_and_loses_nothing(tmp_path: Path) -> None:
    server = NoBatchApi()
    with pytest.raises(ProviderBatchFailed, match="no batch API .*HTTP 404 on /v1/files"):
        provider_run(tmp_path, server)
    out = tmp_path / "out"
    assert not (out / "results.jsonl").read_text()
    assert not list(out.glob("openai-batch-*.jsonl"))
    # Nothing waits in a batch that does not exist: a plain run does every input.
    stub = Stub()
    stats = run(write_articles(tmp_path / "in", range(3)), out, stub)
    assert stats.done["ok"] == 3 and stub.per_article == {0: 1, 1: 1, 2: 1}


CHAT = json.dumps({"id": "c1", "object": "chat.completion", "choices": []}).encode()


@pytest.mark.parametrize(
    ("status", "content_type", "body", "says"),
    [
        (404, "application/json", b'{"detail":"Not Found"}', "no batch API (HTTP 404"),
        (200, "application/json", CHAT, "not a batch API object"),
        (200, "text/html", b"<html><body>Welcome</body></html>", "not a batch API object"),
    ],
    ids=["404", "chat-completion", "html-page"],
)
def test_the_cli_says_it_in_one_line_with_exit_1(
    status: int,
    content_type: str,
    body: bytes,
    says: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = write_articles(tmp_path / "in", range(2))
    with chat_only_server(status, content_type, body) as url:
        code, _, err = run_cli(
            ["batch", *map(str, paths), "--out", str(tmp_path / "out"), "--via", "openai-batch"]
            + ["--base-url", url, "--poll-interval", "0"],
            monkeypatch,
            capsys,
        )
    lines = err.strip().splitlines()
    assert code == 1
    assert lines[-1].startswith("summarizer: ") and says in lines[-1]
    assert "Traceback" not in err


@contextmanager
def chat_only_server(
    status: int = 404, content_type: str = "application/json", data: bytes = b'{"detail":"x"}'
) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 that answers every request alike: 404 as vLLM does to
    /v1/files, or something that is no batch API object."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            self.rfile.read(int(self.headers.get("content-length") or 0))
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_a_batch_of_long_articles_only_submits_nothing_and_runs_them_live(
    tmp_path: Path,
) -> None:
    provider = PartsProvider()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "long.txt").write_text(LONG_ARTICLE, encoding="utf-8")
    batch_id, stats = submit_batch(
        [tmp_path / "in"],
        Job(out=tmp_path / "out"),
        settings(model="local-small-model"),
        poll_interval=0,
        console=Console(file=io.StringIO()),
        transport=provider.transport(),
    )
    assert batch_id is None and not any("/files" in call for call in provider.calls)
    assert [line["status"] for line in results(tmp_path / "out")] == ["ok"]
    assert stats.done["ok"] == 1

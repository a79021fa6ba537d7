"""``summarizer batch`` as a user runs it: exit codes, one-line errors, SIGKILL and Ctrl-C.

The model server is a real HTTP server on 127.0.0.1 (a thread) that answers the crafted
grounded answer after a short latency and logs which article (``Ref NNNN``) each request was
for, so a test can tell a repeated article from a request that was in flight at a kill.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from .cli_run import run_cli
from .crafted import NOT_IN_ARTICLE
from .stub import completion
from .test_batch import MARKER, good_meeting, results, write_articles


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    latency: float
    log: list[int]
    lock: threading.Lock
    answers: dict[int, dict[str, Any]]  # per article (its Ref number); else good_meeting()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        found = MARKER.search(json.dumps(body["messages"], ensure_ascii=False))
        article = int(found.group(1)) if found else -1
        with self.server.lock:
            self.server.log.append(article)
            index = len(self.server.log)
        time.sleep(self.server.latency)
        answer = self.server.answers.get(article) or good_meeting()
        data = json.dumps(completion(body, answer, index), ensure_ascii=False).encode()
        try:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client was killed mid-request: what these tests do on purpose

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def counting_server(
    latency: float, answers: dict[int, dict[str, Any]] | None = None
) -> Iterator[_Server]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.latency, server.log, server.lock = latency, [], threading.Lock()
    server.answers = answers or {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def cli_env(server: _Server, tmp_path: Path) -> dict[str, str]:
    port = server.server_address[1]
    return {
        **os.environ,
        "OPENAI_BASE_URL": f"http://127.0.0.1:{port}/v1",
        "OPENAI_API_KEY": "sk-test-secret",
        "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"),
    }


def batch_command(inputs: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "summarizer.cli", "batch", str(inputs), "--out", str(out), *extra]


def finished_ids(out: Path) -> set[str]:
    with sqlite3.connect(out / "state.sqlite") as db:
        return {row[0] for row in db.execute("SELECT id FROM articles")}


def wait_for(condition: Any, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.01)


@pytest.mark.slow
def test_killed_three_times_resumes_with_one_ok_line_per_article(tmp_path: Path) -> None:
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    articles, concurrency = 30, 4
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, range(articles))
    with counting_server(latency=0.1) as server:
        env = cli_env(server, tmp_path)
        kills: list[tuple[int, set[str]]] = []
        # In this process and in worker processes, alternately: both must resume either.
        for workers in ("1", "2", "1"):
            start = len(server.log)
            process = subprocess.Popen(
                batch_command(
                    inputs,
                    out,
                    "--concurrency",
                    str(concurrency),
                    "--workers",
                    workers,
                    "--no-cache",
                ),
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            after = rng.randint(1, 8)
            wait_for(lambda start=start, after=after: len(server.log) >= start + after)
            time.sleep(rng.uniform(0, 0.15))  # anywhere: mid-request, mid-commit, mid-append
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills.append((len(server.log), finished_ids(out)))
        done = subprocess.run(
            batch_command(inputs, out, "--concurrency", str(concurrency), "--workers", "2"),
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        log = list(server.log)
    assert done.returncode == 0, done.stderr
    lines = results(out)
    assert sorted(line["id"] for line in lines) == sorted(
        str(inputs / f"a{n:04d}.txt") for n in range(articles)
    ), f"seed {seed}"
    assert all(line["status"] == "ok" for line in lines)
    assert len(kills[-1][1]) < articles, "the kills came mid-run"
    for requests_before_kill, finished in kills:
        asked_again = {n for n in log[requests_before_kill:]}
        again = {str(inputs / f"a{n:04d}.txt") for n in asked_again} & finished
        assert not again, f"seed {seed}: finished articles asked again: {again}"
    repeats = sum(count - 1 for count in Counter(log).values())
    assert repeats <= 3 * concurrency, f"seed {seed}: only in-flight requests may repeat"


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_says_how_to_resume_and_exits_130(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, range(40))
    with counting_server(latency=0.1) as server:
        env = cli_env(server, tmp_path)
        process = subprocess.Popen(
            batch_command(inputs, out, "--concurrency", "2", "--workers", "2"),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_for(lambda: len(server.log) >= 4)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 130, stderr
        assert "to resume, run the same command again" in stderr
        assert stderr.strip().splitlines()[-1] == "summarizer: stopped"
        stopped_with = len(results(out))
        assert 0 < stopped_with < 40
        asked = len(server.log)
        done = subprocess.run(
            batch_command(inputs, out, "--concurrency", "8"),
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert len(server.log) - asked <= 40 - stopped_with + 2  # plus what was in flight
    assert len(results(out)) == 40


def test_exit_codes_and_one_line_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, range(2))
    with counting_server(latency=0.0) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}/v1")
        code, stdout, stderr = run_cli(
            ["batch", str(inputs), "--out", str(out)], monkeypatch, capsys
        )
        assert (code, stdout) == (0, "")
        assert "ok" in stderr and "summarizer:" not in stderr

        (inputs / "empty.txt").write_text("")
        code, _, stderr = run_cli(["batch", str(inputs), "--out", str(out)], monkeypatch, capsys)
        assert code == 1
        assert stderr.strip().splitlines()[-1] == (
            f"summarizer: 1 of 3 inputs failed (see {out}/results.jsonl); --retry-failed runs"
            " them again"
        )
        assert len(server.log) == 2

    for args, message in [
        (["batch", str(tmp_path / "nope"), "--out", str(out)], "no such file or directory"),
        (["batch", str(inputs)], "Missing option '--out'"),
        (["batch", "--out", str(out)], "give at least one PATH"),
        (["batch", str(inputs), "--out", str(out), "--submit-only"], "goes with --via"),
        (["batch", str(inputs), "--out", str(out), "--model", "x", "--max-cost", "1"], "price"),
        (["batch", str(inputs), "--out", str(out), "--concurrency", "0"], "concurrency"),
    ]:
        code, _, stderr = run_cli(args, monkeypatch, capsys)
        assert code == 2, args
        assert message in stderr and len(stderr.strip().splitlines()) == 1, stderr

    monkeypatch.delenv("OPENAI_BASE_URL")
    code, _, stderr = run_cli(["batch", str(inputs), "--out", str(out)], monkeypatch, capsys)
    assert code == 2 and "no API key" in stderr


def test_batch_partial_ends_partial_and_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, range(2))
    broken = good_meeting()
    broken["summary"]["topics"][0]["evidence"]["quote"] = NOT_IN_ARTICLE
    # the synopsis request holds the kept facts, not the article: no Ref marker (-1)
    synopsis = {"headline": "Ministers meet in Riyadh", "summary": "They met in Riyadh."}
    with counting_server(latency=0.0, answers={0: broken, -1: synopsis}) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}/v1")
        command = ["batch", str(inputs), "--out", str(out), "--concurrency", "1"]
        code, _, stderr = run_cli([*command, "--partial"], monkeypatch, capsys)
        assert code == 0, stderr
        assert sorted(line["status"] for line in results(out)) == ["ok", "partial"]
        # without --partial the configuration differs: the article is redone, and fails
        code, _, stderr = run_cli(
            [*command, "--out", str(tmp_path / "strict")], monkeypatch, capsys
        )
        assert code == 1 and "1 of 2 inputs failed" in stderr

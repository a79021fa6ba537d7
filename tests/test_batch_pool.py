"""Worker processes (``--workers 2``) lose nothing: a handler that raises sends back an error
outcome, a worker that dies has its articles end as error lines (the rest go on), a renderer
that raises is a warning, and a Ctrl-C while a worker starts prints no traceback.

Workers are forked from this process, so a ``monkeypatch`` made before the run is what they
run too; a patch that must act only inside a worker checks ``parent_process()``. The model
server is ``counting_server`` (a real HTTP server: worker processes cannot share a mock
transport). A run is given a deadline in a thread, since the failure these tests guard
against was a run that never ends.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from summarizer.batch import output, pool
from summarizer.batch.job import Job
from summarizer.batch.processor import Processor
from summarizer.batch.progress import Stats
from summarizer.batch.runner import run_batch

from .test_batch import results, settings, write_articles
from .test_batch_accounting import hostile_answer
from .test_batch_cli import counting_server

DEADLINE = 90.0


@pytest.fixture
def server() -> Iterator[Any]:
    with counting_server(latency=0.05, answers={1: hostile_answer()}) as serving:
        yield serving


def run_pooled(paths: list[Path], out: Path, server: Any, **job: Any) -> tuple[Stats, str]:
    """``run_batch`` with two worker processes, failing the test if it does not end."""
    port = server.server_address[1]
    console = io.StringIO()
    ended: list[Stats] = []
    thread = threading.Thread(
        target=lambda: ended.append(
            run_batch(
                paths,
                Job(out=out, workers=2, concurrency=2, **job),
                settings(base_url=f"http://127.0.0.1:{port}/v1"),
                console=Console(file=console, width=200),
            )
        ),
        daemon=True,
    )
    thread.start()
    thread.join(DEADLINE)
    assert ended, f"the batch did not end within {DEADLINE}s"
    return ended[0], console.getvalue()


def in_a_worker() -> bool:
    return multiprocessing.parent_process() is not None


def test_a_renderer_that_raises_in_a_worker_is_a_warning(
    tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = output.render_briefing

    def render(result: Any, format: str = "md") -> Any:
        if format == "docx" and in_a_worker():
            raise ValueError("All strings must be XML compatible")
        return original(result, format=format)

    monkeypatch.setattr(output, "render_briefing", render)
    paths = write_articles(tmp_path / "in", range(4))
    stats, _ = run_pooled(paths, tmp_path / "out", server, formats=("docx",))
    lines = results(tmp_path / "out")
    assert [line["status"] for line in lines] == ["ok"] * 4
    assert all(
        "docx briefing not written: ValueError: All strings must be XML compatible"
        in line["meta"]["warnings"]
        for line in lines
    )
    assert stats.done["ok"] == 4 and stats.not_started == 0


def test_a_handler_that_raises_in_a_worker_sends_back_an_error(
    tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Processor.process

    async def process(self: Processor, seq: int, item: Any) -> Any:
        if seq == 1 and in_a_worker():
            raise RuntimeError("boom")
        return await original(self, seq, item)

    monkeypatch.setattr(Processor, "process", process)
    paths = write_articles(tmp_path / "in", range(4))
    stats, _ = run_pooled(paths, tmp_path / "out", server)
    lines = results(tmp_path / "out")
    assert [line["status"] for line in lines] == ["ok", "error", "ok", "ok"]
    assert lines[1]["error"] == "internal error: RuntimeError: boom"
    assert stats.failed == 1 and stats.not_started == 0


@pytest.mark.parametrize("dying", [{1}, {0, 1}], ids=["one-worker-dies", "both-die"])
def test_a_worker_that_dies_has_its_articles_failed_and_the_rest_run(
    tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch, dying: set[int]
) -> None:
    original = Processor.process

    async def process(self: Processor, seq: int, item: Any) -> Any:
        if seq in dying and in_a_worker():
            os._exit(3)  # what the OOM killer or a crash in a C library leaves
        return await original(self, seq, item)

    monkeypatch.setattr(Processor, "process", process)
    paths = write_articles(tmp_path / "in", range(5))
    stats, said = run_pooled(paths, tmp_path / "out", server)
    lines = results(tmp_path / "out")
    assert [line["id"] for line in lines] == [str(p) for p in paths], "one line per input"
    for seq, line in enumerate(lines):
        if seq in dying:
            assert line["status"] == "error"
            assert "died (exit code 3) while summarising it" in line["error"]
        else:
            assert line["status"] == "ok", line.get("error")
    assert stats.failed == len(dying) and stats.not_started == 0
    if dying == {0, 1}:
        assert "no worker process left: the rest runs in this process" in said


def test_ctrl_c_while_a_worker_starts_prints_no_traceback(
    tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch, capfd: Any
) -> None:
    started = pool.worker_main

    def hit_at_birth(*args: Any) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # the terminal's Ctrl-C reaches the whole group
        started(*args)

    monkeypatch.setattr(pool, "worker_main", hit_at_birth)
    paths = write_articles(tmp_path / "in", range(4))
    stats, said = run_pooled(paths, tmp_path / "out", server)
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "KeyboardInterrupt" not in captured.err
    assert "no worker process left" not in said, "the workers lived on"
    assert stats.done["ok"] == 4


def test_a_headline_with_control_characters_and_docx_in_workers_ends_ok(
    tmp_path: Path, server: Any
) -> None:
    """The issue's scenario as it comes (the run used to hang): article 1's headline holds
    ESC and BEL; it ends ok, with its DOCX written or a warning saying why not."""
    paths = write_articles(tmp_path / "in", range(4))
    run_pooled(paths, tmp_path / "out", server, formats=("docx",))
    lines = results(tmp_path / "out")
    assert [line["status"] for line in lines] == ["ok"] * 4
    written = [b for b in lines[1].get("briefings", []) if b.endswith(".docx")]
    warned = [w for w in lines[1]["meta"]["warnings"] if w.startswith("docx briefing")]
    assert len(written) + len(warned) == 1, (written, warned)

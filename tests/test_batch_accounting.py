"""A batch accounts for every input: whatever one input does, it ends as exactly one line.

Undecodable names and ids, a renderer that raises, a bug while processing or committing, a
worker task that dies: each input still gets its own line (an ``error`` line with the reason
is fine), and the others go on. Runs in this process against the in-process ``Stub`` server
(``test_batch``); the worker-process side is ``test_batch_pool``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from summarizer.batch import output
from summarizer.batch.engine import Engine
from summarizer.batch.processor import Processor
from summarizer.batch.state import State

from .test_batch import Stub, article, good_meeting, results, run, write_articles

HOSTILE_HEADLINE = "Defence ministers meet \x1b[31m\x07in Riyadh"


def hostile_answer() -> dict[str, Any]:
    answer = good_meeting()
    answer["summary"]["headline"] = HOSTILE_HEADLINE
    return answer


def cp1256_named_file(folder: Path) -> list[Path]:
    """Two articles and one whose name is Windows-1256 bytes (not UTF-8), as a Windows zip
    leaves them."""
    write_articles(folder, range(2))
    with open(os.path.join(os.fsencode(str(folder)), b"\xc7\xe1.txt"), "wb") as file:
        file.write(article(2).encode("utf-8"))
    return [folder]


def surrogate_id(folder: Path) -> list[Path]:
    """JSONL whose first id holds a lone surrogate escape, then a plain one."""
    folder.mkdir()
    rows = [{"id": "x\udc80", "text": article(0)}, {"id": "y", "text": article(1)}]
    path = folder / "rows.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), "utf-8")
    return [path]


@pytest.mark.parametrize(
    ("make_inputs", "count"),
    [(cp1256_named_file, 3), (surrogate_id, 2)],
    ids=["cp1256-file-name", "jsonl-id-with-lone-surrogate"],
)
def test_an_undecodable_name_or_id_still_ends_as_one_line(
    tmp_path: Path, make_inputs: Any, count: int
) -> None:
    paths = make_inputs(tmp_path / "in")
    out = tmp_path / "out"
    stats = run(paths, out, Stub(), concurrency=1)  # one task: a dead one would stop all
    lines = results(out)
    assert len(lines) == count, "one line per input"
    assert len({line["id"] for line in lines}) == count
    assert stats.seen == count and stats.not_started == 0
    assert all(line["status"] in ("ok", "error") for line in lines)
    # What is stored reads back: the state holds one row per line, and a re-run skips all.
    with sqlite3.connect(out / "state.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == count
    again = Stub()
    run(paths, out, again, concurrency=1)
    assert again.requests == 0


def test_a_lone_surrogate_in_an_id_is_kept_as_its_escape(tmp_path: Path) -> None:
    paths = surrogate_id(tmp_path / "in")
    run(paths, tmp_path / "out", Stub())
    assert [line["id"] for line in results(tmp_path / "out")] == ["x\\udc80", "y"]


def _raise_on_article_1(original: Any) -> Any:
    """``original`` (a method taking ``(self, seq, item, ...)``), raising for article 1."""

    def patched(self: Any, seq: int, item: Any, *args: Any) -> Any:
        if seq == 1:
            raise RuntimeError("boom")
        return original(self, seq, item, *args)

    return patched


def _state_fails_once_on_article_1(monkeypatch: pytest.MonkeyPatch) -> None:
    original = State.record
    failed: list[str] = []

    def record(self: State, rec: Any) -> bool:
        if rec.seq == 1 and not failed:
            failed.append(rec.id)
            raise sqlite3.OperationalError("disk I/O error")
        return original(self, rec)

    monkeypatch.setattr(State, "record", record)


FAULTS = {
    # Model answered, then building the outcome (briefings, line) raised.
    "processing": (
        lambda mp: mp.setattr(
            Processor, "accepted", _raise_on_article_1(Processor.accepted), raising=True
        ),
        "internal error: RuntimeError: boom",
    ),
    # The state store refused the row.
    "committing": (
        _state_fails_once_on_article_1,
        "could not be recorded (OperationalError: disk I/O error)",
    ),
    # A bug that escapes the processing step kills the task that held the input.
    "dead-task": (
        lambda mp: mp.setattr(Engine, "process", _raise_on_article_1(Engine.process), raising=True),
        "internal error: RuntimeError: boom",
    ),
}


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_a_fault_fails_its_input_alone_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    inject, reason = FAULTS[fault]
    inject(monkeypatch)
    paths = write_articles(tmp_path / "in", range(4))
    stats = run(paths, tmp_path / "out", Stub(), concurrency=1)
    lines = results(tmp_path / "out")
    assert [line["id"] for line in lines] == [str(p) for p in paths]
    assert [line["status"] for line in lines] == ["ok", "error", "ok", "ok"]
    assert reason in lines[1]["error"]
    assert lines[1]["meta"]["complete"] is False and lines[0]["meta"]["complete"] is True
    assert (
        stats.done == {"ok": 3, "partial": 0, "no_event": 0, "error": 1} and stats.not_started == 0
    )


@pytest.mark.parametrize("workers", [1], ids=["in-process"])
def test_a_renderer_that_raises_is_a_warning_and_the_article_stays_ok(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    original = output.render_briefing

    def render(result: Any, format: str = "md") -> Any:
        if format == "docx":  # python-docx's own refusal of control characters
            raise ValueError("All strings must be XML compatible")
        return original(result, format=format)

    monkeypatch.setattr(output, "render_briefing", render)
    paths = write_articles(tmp_path / "in", range(3))
    out = tmp_path / "out"
    stats = run(paths, out, Stub(), formats=("docx", "md"), concurrency=1, workers=workers)
    lines = results(out)
    assert [line["status"] for line in lines] == ["ok", "ok", "ok"]
    for line in lines:
        assert line["meta"]["warnings"][-1] == (
            "docx briefing not written: ValueError: All strings must be XML compatible"
        )
        assert [Path(b).suffix for b in line["briefings"]] == [".md"]
    assert stats.done["ok"] == 3


def test_a_headline_with_control_characters_and_docx_ends_ok(tmp_path: Path) -> None:
    """The issue's scenario as it comes: whether python-docx refuses the headline (said in
    a warning) or the renderer cleans it, the article ends ok and the others run."""
    paths = write_articles(tmp_path / "in", range(3))
    out = tmp_path / "out"
    run(paths, out, Stub({1: hostile_answer()}), formats=("docx",), concurrency=1)
    lines = results(out)
    assert [line["status"] for line in lines] == ["ok", "ok", "ok"]
    hostile = lines[1]
    written = [b for b in hostile.get("briefings", []) if b.endswith(".docx")]
    warned = [w for w in hostile["meta"]["warnings"] if w.startswith("docx briefing")]
    assert len(written) + len(warned) == 1, (written, warned)


def test_results_and_state_hold_no_secret(tmp_path: Path) -> None:
    answer = good_meeting()
    answer["summary"]["summary"] += " Authorization: Bearer sk-live-abcdefghijklmnop1234"
    paths = write_articles(tmp_path / "in", range(2))
    out = tmp_path / "out"
    run(paths, out, Stub({0: answer}))
    text = (out / "results.jsonl").read_text("utf-8")
    assert "[redacted]" in text and "abcdefghijklmnop1234" not in text
    with sqlite3.connect(out / "state.sqlite") as db:
        stored = " ".join(str(row) for row in db.execute("SELECT * FROM articles"))
    assert "abcdefghijklmnop1234" not in stored
    assert all(line["status"] == "ok" for line in results(out))


def test_a_slow_briefing_does_not_stall_the_other_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first briefing blocks until the last article has been asked for: rendered on the
    event loop, nothing else could move and it would wait in vain."""
    last_asked = threading.Event()
    waits: list[bool] = []
    original = output.render_briefing

    def render(result: Any, format: str = "md") -> Any:
        if not waits:
            waits.append(False)
            waits[0] = last_asked.wait(10)  # a PDF of 10,000 participants, say
        return original(result, format=format)

    def ask_last(_: int) -> dict[str, Any]:
        last_asked.set()
        return good_meeting()

    monkeypatch.setattr(output, "render_briefing", render)
    paths = write_articles(tmp_path / "in", range(4))
    run(paths, tmp_path / "out", Stub({3: ask_last}), formats=("md",), concurrency=2)
    assert waits == [True], "the other articles went on while a briefing rendered"
    assert [line["status"] for line in results(tmp_path / "out")] == ["ok"] * 4

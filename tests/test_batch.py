"""Batch runs end to end in process: statuses, resume, retry, budgets, timeouts, repair.

The model server is an in-process stub (``httpx2.MockTransport``) answering the crafted,
grounded answer for seed article 000; each input is that article plus a ``Ref NNNN`` line, so
the stub can count requests per article. Helpers here are shared by the other batch tests.
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import io
import json
import re
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import httpx2
from rich.console import Console

from summarizer.batch.command import conclude
from summarizer.batch.job import Job
from summarizer.batch.progress import Stats, end_table
from summarizer.batch.runner import CLEAN, run_batch
from summarizer.config import Settings
from summarizer.llm.transport import RetryPolicy

from .crafted import ARTICLE_000, NOT_IN_ARTICLE, good_meeting
from .stub import completion

MARKER = re.compile(r"Ref (\d{4})")


def article(n: int) -> str:
    return f"{ARTICLE_000}\nRef {n:04d}\n"


def settings(**changes: Any) -> Settings:
    fast = RetryPolicy(max_attempts=3, initial_wait=0.01, max_wait=0.05)
    base: dict[str, Any] = {
        "model": "gpt-4o-mini",
        "base_url": "http://stub.invalid/v1",
        "api_key": "sk-test",
        "retry": fast,
    }
    return Settings(**{**base, **changes})


class Stub:
    """A chat completions endpoint that answers per article (by its Ref marker) and counts."""

    def __init__(self, answers: dict[int, Any] | None = None, delay: float = 0.0) -> None:
        self.answers = answers or {}
        self.delay = delay
        self.per_article: Counter[int] = Counter()
        self.bodies: list[dict[str, Any]] = []

    @property
    def requests(self) -> int:
        return sum(self.per_article.values())

    async def __call__(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        self.bodies.append(body)
        found = MARKER.search(json.dumps(body["messages"], ensure_ascii=False))
        n = int(found.group(1)) if found else -1
        self.per_article[n] += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        answer = self.answers.get(n, good_meeting())
        if callable(answer):
            answer = answer(self.per_article[n])
        if isinstance(answer, httpx2.Response):
            return answer
        return httpx2.Response(200, json=completion(body, answer, self.requests))

    def transport(self) -> httpx2.MockTransport:
        return httpx2.MockTransport(self)


def run(paths: list[Path], out: Path, stub: Stub, **job: Any) -> Stats:
    given = {k: job.pop(k) for k in list(job) if k in ("model", "max_input_chars", "partial")}
    return run_batch(
        paths,
        Job(out=out, **job),
        settings(**given),
        console=Console(file=io.StringIO(), width=120),
        transport=stub.transport(),
    )


def results(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text("utf-8").splitlines()]


def by_id(out: Path) -> dict[str, dict[str, Any]]:
    lines = results(out)
    assert len({line["id"] for line in lines}) == len(lines), "one line per input"
    return {line["id"]: line for line in lines}


def write_articles(folder: Path, numbers: range) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in numbers:
        path = folder / f"a{n:04d}.txt"
        path.write_text(article(n), encoding="utf-8")
        paths.append(path)
    return paths


def test_bad_files_among_good_ones_are_reported_and_the_good_ones_finish(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    write_articles(inputs, range(3))
    (inputs / "empty.txt").write_bytes(b"  \n")
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (inputs / "deep" / "er").mkdir(parents=True)
    (inputs / "deep" / "er" / "arabic.md").write_bytes(article(7).encode("cp1256"))
    (inputs / ".hidden.txt").write_text(article(8), encoding="utf-8")
    (inputs / "notes.pdf").write_bytes(b"%PDF")
    out = inputs / "out"  # inside the inputs: its briefings must not become inputs
    stub = Stub()

    stats = run([inputs], out, stub, formats=("md",))

    lines = by_id(out)
    assert {Path(k).name: v["status"] for k, v in lines.items()} == {
        "a0000.txt": "ok",
        "a0001.txt": "ok",
        "a0002.txt": "ok",
        "arabic.md": "ok",
        "binary.txt": "error",
        "empty.txt": "error",
    }
    assert "binary input" in lines[str(inputs / "binary.txt")]["error"]
    assert "empty input" in lines[str(inputs / "empty.txt")]["error"]
    assert stub.per_article == {0: 1, 1: 1, 2: 1, 7: 1}
    assert stats.done == {"ok": 4, "partial": 0, "no_event": 0, "error": 2} and stats.failed == 2
    ok = lines[str(inputs / "a0001.txt")]
    assert set(ok) >= {"id", "source", "status", "summary", "meta"}
    assert ok["meta"]["attempts"] == 1 and ok["meta"]["usage"]["total_tokens"] > 0
    assert ok["meta"]["cost"] > 0  # gpt-4o-mini is in the price table
    for quote in ok["summary"]["participants"]:
        ev = quote["evidence"]
        assert article(1)[ev["start"] : ev["end"]] == ev["quote"]
    briefing = out / ok["briefings"][0]
    assert briefing.suffix == ".md" and "Guinea" in briefing.read_text("utf-8")

    stub2 = Stub()
    again = run([inputs], out, stub2, formats=("md",))
    assert stub2.requests == 0, "a re-run of a finished batch makes no model call"
    assert (
        again.skipped == {"ok": 4, "partial": 0, "no_event": 0, "error": 2} and again.finished == 0
    )
    assert results(out) == list(lines.values())


def test_jsonl_and_csv_rows_carry_their_metadata(tmp_path: Path) -> None:
    jsonl = tmp_path / "rows.jsonl"
    rows = [
        {"id": "spa-1", "text": article(1), "published": "2023-10-24", "outlet": "SPA"},
        {"id": "spa-2", "text": article(2), "url": "https://example.org/2", "title": "T"},
        {"id": "bad-date", "text": article(3), "published": "24/10/2023"},
        {"id": "no-text"},
    ]
    jsonl.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n{not json\n", "utf-8"
    )
    table = tmp_path / "rows.csv"
    with table.open("w", newline="", encoding="utf-8-sig") as file:  # Excel's UTF-8, with BOM
        csv.writer(file).writerows([["id", "text", "outlet"], ["csv-1", article(4), "QNA"]])
        csv.writer(file).writerow(["csv-empty", "", "QNA"])
    stub = Stub()
    run([jsonl, table], tmp_path / "out", stub)
    lines = by_id(tmp_path / "out")
    assert {k: v["status"] for k, v in lines.items()} == {
        "spa-1": "ok",
        "spa-2": "ok",
        "bad-date": "error",
        "no-text": "error",
        f"{jsonl}:6": "error",
        "csv-1": "ok",
        "csv-empty": "error",
    }
    assert lines["spa-1"]["meta"]["article"]["published"] == "2023-10-24"
    assert lines["spa-1"]["meta"]["article"]["outlet"] == "SPA"
    assert lines["spa-2"]["meta"]["article"]["url"] == "https://example.org/2"
    assert lines["csv-1"]["meta"]["article"]["outlet"] == "QNA"
    assert lines["spa-1"]["source"] == f"{jsonl}:1"
    assert "YYYY-MM-DD" in lines["bad-date"]["error"]
    assert "empty" in lines["csv-empty"]["error"]
    assert stub.per_article == {1: 1, 2: 1, 4: 1}


def test_no_event_is_its_own_status(tmp_path: Path) -> None:
    stub = Stub({0: {"summary": None, "no_event": "A list of headlines, no meeting."}})
    paths = write_articles(tmp_path / "in", range(2))
    stats = run(paths, tmp_path / "out", stub, formats=("md",))
    lines = by_id(tmp_path / "out")
    assert lines[str(paths[0])]["status"] == "no_event"
    assert lines[str(paths[0])]["summary"] is None
    assert lines[str(paths[0])]["meta"]["no_event"] == "A list of headlines, no meeting."
    assert "briefings" not in lines[str(paths[0])]
    assert stats.done == {"ok": 1, "partial": 0, "no_event": 1, "error": 0} and not stats.failed


def test_partial_is_its_own_status_and_ends_the_article(tmp_path: Path) -> None:
    """With ``partial``, an answer still invalid after the re-asks ends ``partial``: its line
    holds only what passed the checks, the run concludes as done, a re-run skips it."""
    broken = good_meeting()
    broken["summary"]["topics"][0]["evidence"]["quote"] = NOT_IN_ARTICLE
    synopsis = {"headline": "Ministers meet in Riyadh", "summary": "They met in Riyadh."}
    # the synopsis request holds the kept facts, not the article: it has no Ref marker (-1)
    stub = Stub({0: broken, -1: synopsis})
    paths = write_articles(tmp_path / "in", range(2))
    out = tmp_path / "out"
    stats = run(paths, out, stub, formats=("md",), partial=True)
    lines = by_id(out)
    line = lines[str(paths[0])]
    assert line["status"] == "partial" and lines[str(paths[1])]["status"] == "ok"
    assert line["summary"]["topics"] == [] and line["summary"]["headline"] == synopsis["headline"]
    assert line["meta"]["complete"] is False
    assert [d["path"] for d in line["meta"]["dropped"]] == ["topics[0]"]
    complete = lines[str(paths[1])]["meta"]
    assert complete["complete"] is True and complete["dropped"] == []
    briefing = (out / line["briefings"][0]).read_text("utf-8")
    assert "1 item could not be verified and was left out" in briefing.replace("\\.", ".")
    assert stats.done == {"ok": 1, "partial": 1, "no_event": 0, "error": 0}
    conclude(stats, out)  # exit 0: every input ended
    table = io.StringIO()
    Console(file=table, width=120).print(end_table(stats, str(out)))
    assert re.search(r"partial\s+│\s+1", table.getvalue())
    again = Stub()
    rerun = run(paths, out, again, partial=True)
    assert again.requests == 0 and rerun.skipped["partial"] == 1


def test_a_run_without_partial_fails_the_article(tmp_path: Path) -> None:
    broken = good_meeting()
    broken["summary"]["topics"][0]["evidence"]["quote"] = NOT_IN_ARTICLE
    paths = write_articles(tmp_path / "in", range(1))
    stats = run(paths, tmp_path / "out", Stub({0: broken}))
    assert stats.done["error"] == 1 and stats.done["partial"] == 0
    assert results(tmp_path / "out")[0]["status"] == "error"


def rejected(_: int) -> httpx2.Response:
    return httpx2.Response(400, json={"error": {"message": "bad request", "type": "invalid"}})


def test_errors_are_skipped_until_retry_failed(tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", range(3))
    out = tmp_path / "out"
    first = run(paths, out, Stub({1: rejected}))
    assert first.done["error"] == 1
    assert "refused" in by_id(out)[str(paths[1])]["error"]

    untouched = Stub()
    run(paths, out, untouched)
    assert untouched.requests == 0, "an error ended the article: a plain re-run skips it"

    fixed = Stub()
    again = run(paths, out, fixed, retry_failed=True)
    assert fixed.per_article == {1: 1}
    assert again.done["ok"] == 1 and not again.failed
    assert [line["status"] for line in results(out)] == ["ok", "ok", "ok"]


def test_a_changed_configuration_reruns_what_it_changes(tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", range(2))
    out = tmp_path / "out"
    run(paths, out, Stub())
    other = Stub()
    run(paths, out, other, model="gpt-4o")
    assert other.per_article == {0: 1, 1: 1}
    assert [line["meta"]["model"] for line in results(out)] == ["gpt-4o", "gpt-4o"]


def test_a_budget_stops_new_articles_and_the_run_resumes(tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", range(6))
    out = tmp_path / "out"
    stub = Stub()
    stopped = run(paths, out, stub, concurrency=1, max_tokens=1)
    assert stopped.stopped == "budget"
    assert stopped.done["ok"] == 1 and stopped.not_started == 5
    assert len(results(out)) == 1  # not started is not an error: nothing recorded

    rest = run(paths, out, stub, concurrency=2)
    assert rest.done["ok"] == 5 and rest.skipped["ok"] == 1 and rest.stopped is None
    assert set(stub.per_article.values()) == {1}, "no article was asked twice"
    assert len(results(out)) == 6


def test_a_cost_budget_needs_and_uses_prices(tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", range(4))
    stats = run(paths, tmp_path / "out", Stub(), concurrency=1, max_cost=0.0000001)
    assert stats.stopped == "budget" and stats.done["ok"] == 1 and stats.cost > 0


def test_an_article_past_its_timeout_fails_alone(tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", range(3))

    class Slow(Stub):
        async def __call__(self, request: httpx2.Request) -> httpx2.Response:
            if b"Ref 0001" in request.content:
                await asyncio.sleep(5)
            return await super().__call__(request)

    stats = run(paths, tmp_path / "out", Slow(), timeout_per_article=0.3)
    lines = by_id(tmp_path / "out")
    assert "timed out after 0.3s" in lines[str(paths[1])]["error"]
    assert lines[str(paths[1])]["meta"]["attempts"] == 1
    assert stats.done == {"ok": 2, "partial": 0, "no_event": 0, "error": 1}


def test_duplicate_ids_get_their_own_error_line(tmp_path: Path) -> None:
    jsonl = tmp_path / "dup.jsonl"
    jsonl.write_text(
        json.dumps({"id": "x", "text": article(1)}) + "\n" + json.dumps({"id": "x", "text": "b"}),
        "utf-8",
    )
    run([jsonl], tmp_path / "out", Stub())
    lines = by_id(tmp_path / "out")
    assert lines["x"]["status"] == "ok"
    assert "duplicate id 'x'" in lines[f"x@{jsonl}:2"]["error"]


def test_results_file_is_rebuilt_from_the_state_after_a_crash(tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", range(4))
    out = tmp_path / "out"
    run(paths, out, Stub())
    complete = (out / "results.jsonl").read_text("utf-8")
    # What a kill can leave: a committed article missing, half a line, a stale duplicate.
    lines = complete.splitlines()
    (out / "results.jsonl").write_text(lines[0] + "\n" + lines[0] + "\n" + lines[2][:50], "utf-8")
    with sqlite3.connect(out / "state.sqlite") as db:
        db.execute("UPDATE job SET value = '0' WHERE key = ?", (CLEAN,))
    stub = Stub()
    run(paths, out, stub)
    assert stub.requests == 0
    assert (out / "results.jsonl").read_text("utf-8") == complete


def test_a_utf16_file_and_a_cp1256_file_decode(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "u16.txt").write_bytes(codecs.BOM_UTF16_LE + article(1).encode("utf-16-le"))
    (inputs / "win.txt").write_bytes(article(2).encode("cp1256"))
    stub = Stub()
    run([inputs], tmp_path / "out", stub)
    assert [line["status"] for line in results(tmp_path / "out")] == ["ok", "ok"]
    assert stub.per_article == {1: 1, 2: 1}

"""End to end against a real local model (``make e2e``; not part of ``make test`` or CI).

Serves Qwen2.5-Coder-1.5B-Instruct (Q4_K_M, assembled from the PyPI parts by
``tests.local_model``) with llama-cpp-python's OpenAI-compatible server on 127.0.0.1, runs
``Summarizer.summarize`` on both seeds (``en`` and ``ar``) and on gold-set cases as a user
would (mode ``json``, ``partial=True``), and records each exchange as a cassette in
``fixtures/cassettes/local/``: real responses that no one here wrote. A case whose cassette
exists is not asked again (``--force`` re-records); ``make test`` replays them
(``tests/test_e2e_replay.py``) and ``summarizer eval --cassettes fixtures/cassettes/local``
scores them.

The figures (status, date, participants, dropped items, tokens, wall seconds per article)
are scored from the replayed cassettes by the evaluation code itself and written to
``fixtures/cassettes/local/REPORT.md`` and ``report.json``; wall seconds are only known when
a case is recorded, so they are kept in ``timings.json``.

    python -m tests.e2e --server-python .venv-e2e/bin/python    # start and stop a server
    python -m tests.e2e --base-url http://127.0.0.1:8765/v1      # use one already running
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import vcr

from summarizer import Summarizer, SummarizerError
from summarizer.evaluation.goldset import GoldCase, load_cases
from summarizer.evaluation.run import RECORDED_SETTINGS, EvalConfig, recorded_settings, run_eval
from summarizer.evaluation.score import RunScore

from .local_model import gguf_path
from .vcr_setup import VCR_CONFIG, register

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "fixtures" / "cassettes" / "local"
TIMINGS = CASSETTES / "timings.json"
MODEL_ALIAS = "qwen2.5-coder-1.5b-instruct-q4_k_m"
# Part of every recorded request body: replaying needs the same model name, mode and flags.
RECORDED = {"model": MODEL_ALIAS, "mode": "json", "partial": True}
SCHEMA = "meeting"
SEED_LANGS = ("en", "ar")
# Short gold-set cases of every kind (Arabic and English sources, relative, Hijri, Levantine
# and Arabic-digit dates, an HTML page, a call, a visit, two events, no event). The two long
# ones (g20, g21) are left out: in parts they take tens of minutes each on 2 cores.
GOLDSET = (
    "g01_relative_pub", "g03_no_year", "g04_date_widget", "g05_two_events", "g06_headlines",
    "g08_html_page", "g09_hijri", "g10_levantine", "g11_arabic_digits", "g13_call",
    "g14_visit", "g18_background_people",
)  # fmt: skip
SERVER_START_DEADLINE = 300  # seconds for the server to load the model
REQUEST_DEADLINE = 600.0  # seconds per request: 2 CPU cores generate ~10 tokens a second


@dataclass(frozen=True)
class Run:
    case: GoldCase
    lang: str

    @property
    def name(self) -> str:
        return f"{self.case.id}.{SCHEMA}.{self.lang}"

    @property
    def cassette(self) -> Path:
        return CASSETTES / f"{self.name}.yaml"


def planned_runs() -> list[Run]:
    seeds = list(load_cases([ROOT / "fixtures" / "gold"]))
    goldset = [c for c in load_cases([ROOT / "fixtures" / "goldset"]) if c.id in GOLDSET]
    return [Run(c, lang) for c in seeds for lang in SEED_LANGS] + [Run(c, "en") for c in goldset]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(python: str, port: int) -> subprocess.Popen[bytes]:
    command = [
        python, "-m", "llama_cpp.server", "--model", str(gguf_path()),
        "--model_alias", MODEL_ALIAS, "--host", "127.0.0.1", "--port", str(port),
        # The default 2,048-token context cannot hold an Arabic article, its answer and a
        # repair; one request at a time on both cores.
        "--n_ctx", "8192", "--n_threads", "2",
    ]  # fmt: skip
    log = open(ROOT / ".e2e-server.log", "wb")  # noqa: SIM115 (lives as long as the server)
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + SERVER_START_DEADLINE
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2)
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"the server exited; see {log.name}") from None
            time.sleep(1)
    server.kill()
    raise SystemExit(f"the server did not answer within {SERVER_START_DEADLINE} s")


def record(run: Run, base_url: str) -> dict[str, Any]:
    """Ask the live server, recording the exchange; returns what only a live run can know."""
    settings = recorded_settings(CASSETTES).with_(
        base_url=base_url, api_key="local", timeout=REQUEST_DEADLINE
    )
    recorder = vcr.VCR(**VCR_CONFIG, record_mode="all")
    register(recorder)
    run.cassette.unlink(missing_ok=True)
    text = run.case.article.read_text(encoding="utf-8")
    started = time.monotonic()
    with recorder.use_cassette(str(run.cassette)):
        try:
            result = Summarizer(settings=settings).summarize(
                text, SCHEMA, run.lang, input_format=run.case.input_format, **run.case.metadata
            )
            status = result.status
        except SummarizerError as exc:
            status = f"error: {type(exc).__name__}"
    return {
        "seconds": round(time.monotonic() - started, 1),
        "status": status,
        "recorded": datetime.now(UTC).date().isoformat(),
    }


def score(runs: list[Run]) -> dict[str, RunScore]:
    """Each run scored by ``summarizer eval``'s own code, on its replayed cassette."""
    scored: dict[str, RunScore] = {}
    for lang in sorted({r.lang for r in runs}):
        cases = [r.case for r in runs if r.lang == lang]
        for s in run_eval(cases, EvalConfig(lang=lang, cassette_dirs=[CASSETTES])):
            scored[f"{s.id}.{s.schema}.{lang}"] = s
    return scored


def row(run: Run, s: RunScore, timing: dict[str, Any]) -> dict[str, Any]:
    date = s.fields.get("date")
    precision = s.fields.get("participants_precision")
    return {
        "case": run.name,
        "source": "ar" if "arabic" in run.case.tags or run.case.id[0].isdigit() else "en",
        "status": s.status,
        "gold_no_event": s.gold_no_event,
        "date": _date_column(date, s.date_null),
        "participant_right": None if precision is None else precision > 0,
        "dropped": s.dropped,
        "requests": s.reasks + 1 if s.status != "not_recorded" else 0,
        "tokens": s.tokens,
        "seconds": timing.get("seconds"),
    }


def _date_column(score: float | None, null: bool) -> str | None:
    """right, wrong, or null: a date left out (not checked, or not given) is not a wrong one."""
    if null and not score:
        return "null"
    return None if score is None else ("right" if score else "wrong")


def good(r: dict[str, Any]) -> bool:
    """The issue's bar: ok or partial with the right date (or null: left out, never wrong)
    and one person rightly named; a no-event article is good when its gold says so."""
    if r["gold_no_event"]:
        return bool(r["status"] == "no_event")
    checked = r["status"] in ("ok", "partial") and r["date"] != "wrong"
    return checked and bool(r["participant_right"])


def report(rows: list[dict[str, Any]]) -> str:
    seconds = [r["seconds"] for r in rows if r["seconds"] is not None]
    counts = {k: sum(r["status"] == k for r in rows) for k in ("ok", "partial", "no_event")}
    failed = len(rows) - sum(counts.values())
    lines = [
        f"# Real local model: {MODEL_ALIAS}",
        "",
        f"llama-cpp-python's server, `--n_ctx 8192 --n_threads 2`, on {platform.machine()}"
        f" with {os.cpu_count()} cores; mode `json`, `partial=True`, schema `{SCHEMA}`."
        " Recorded by `make e2e` (`tests/e2e.py`), scored by `summarizer eval`'s code on the"
        " replayed cassettes.",
        "",
        f"- runs: {len(rows)}: ok {counts['ok']}, partial {counts['partial']},"
        f" no event {counts['no_event']}, failed {failed}",
        f"- good (ok or partial with the right date or a null one, and one participant rightly"
        f" named; or no event where the gold has none): {sum(map(good, rows))} of {len(rows)}",
        "- good with the date right, null not counted: "
        f"{sum(good(r) and r['date'] != 'null' for r in rows)} of {len(rows)}",
        f"- median wall seconds per article: {statistics.median(seconds):.0f}"
        if seconds
        else "- median wall seconds per article: (none recorded)",
        f"- median tokens per article: {statistics.median(r['tokens'] for r in rows):.0f}",
        "",
        "| case | source | status | date | participant | dropped | requests | tokens | s |",
        "|---|---|---|---|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        person = {None: "—", True: "right", False: "wrong"}[r["participant_right"]]
        lines.append(
            f"| {r['case']} | {r['source']} | {r['status']} | {r['date'] or '—'} | {person}"
            f" | {r['dropped']} | {r['requests']} | {r['tokens']} | {r['seconds'] or '—'} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-python", help="the Python that has llama-cpp-python[server]")
    parser.add_argument("--base-url", help="a server already running (then none is started)")
    parser.add_argument("--force", action="store_true", help="re-record existing cassettes")
    parser.add_argument("--only", nargs="*", default=[], help="case names to run, e.g. g13_call")
    args = parser.parse_args(argv)
    CASSETTES.mkdir(parents=True, exist_ok=True)
    (CASSETTES / RECORDED_SETTINGS).write_text(json.dumps(RECORDED, indent=1) + "\n")
    timings: dict[str, Any] = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    runs = planned_runs()
    todo = [
        r
        for r in runs
        if (args.force or not r.cassette.exists())
        and (not args.only or any(o in r.name for o in args.only))
    ]
    server = None
    if todo and not args.base_url:
        if not args.server_python:
            raise SystemExit("give --server-python (llama-cpp-python[server]) or --base-url")
        port = free_port()
        server = start_server(args.server_python, port)
    base_url = args.base_url or (f"http://127.0.0.1:{port}/v1" if server else "")
    try:
        for run in todo:
            timings[run.name] = record(run, base_url)
            print(run.name, json.dumps(timings[run.name]), flush=True)
            TIMINGS.write_text(json.dumps(timings, indent=1, sort_keys=True) + "\n")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    scored = score(runs)
    rows = [row(r, scored[r.name], timings.get(r.name, {})) for r in runs]
    (CASSETTES / "report.json").write_text(json.dumps(rows, indent=1) + "\n")
    text = report(rows)
    (CASSETTES / "REPORT.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()

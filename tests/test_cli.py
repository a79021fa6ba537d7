"""The command line as a user meets it: output, exit codes, one-line errors, a real server."""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .cli_run import run_cli
from .crafted import ARTICLE_000, NOT_IN_ARTICLE, good_meeting
from .loopback import serve
from .slow_server import serve_slowly


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE_000, encoding="utf-8")
    return path


def test_done_when_429_then_500_then_answer(article: Path, tmp_path: Path) -> None:
    """Pointed at a server answering 429 (Retry-After: 1), 500, then a good answer."""
    steps = [(429, {"retry-after": "1"}, "{}"), (500, {}, "{}"), good_meeting()]
    with serve(steps) as server:
        env = {**os.environ, "OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "sk-test-secret"}
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "summarizer.cli", "summarize", str(article), "--format", "json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    output = json.loads(done.stdout)
    assert set(output) == {"summary", "meta"}
    assert output["meta"]["attempts"] == 3 and len(server.requests) == 3
    assert elapsed >= 1.0
    assert "sk-test-secret" not in done.stdout + done.stderr


def test_done_when_ungrounded_quote_is_reasked_once(
    article: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = good_meeting()
    first["summary"]["topics"][0]["evidence"]["quote"] = NOT_IN_ARTICLE
    with serve([first, good_meeting()]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        code, out, _ = run_cli(["summarize", str(article)], monkeypatch, capsys)
    assert code == 0
    assert len(server.requests) == 2
    assert NOT_IN_ARTICLE in json.dumps(server.requests[1]["messages"][-1], ensure_ascii=False)
    summary = json.loads(out)["summary"]
    ev = summary["topics"][0]["evidence"]
    assert ARTICLE_000[ev["start"] : ev["end"]] == ev["quote"]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(codecs.BOM_UTF8 + ARTICLE_000.encode(), "utf-8-bom", id="utf-8-bom"),
        pytest.param(ARTICLE_000.encode("utf-16"), "utf-16", id="utf-16"),
        pytest.param(ARTICLE_000.encode("cp1256"), "cp1256", id="windows-1256"),
    ],
)
def test_encodings_summarise_alike(
    data: bytes,
    encoding: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(data)
    with serve([good_meeting()]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        code, out, err = run_cli(["summarize", str(path)], monkeypatch, capsys)
    assert code == 0, err
    assert json.loads(out)["meta"]["article"]["chars"] == len(ARTICLE_000)


def test_stdin_and_markdown(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE_000.encode())))
    with serve([good_meeting()]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        code, out, _ = run_cli(["summarize", "-", "--format", "md"], monkeypatch, capsys)
    assert code == 0
    assert out.startswith("# Saudi and Guinean defence ministers meet in Riyadh")


def test_output_file(
    article: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / "out" / "brief.json"
    with serve([good_meeting()]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        code, out, _ = run_cli(["summarize", str(article), "-o", str(target)], monkeypatch, capsys)
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["meeting_type"] == "bilateral"


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        pytest.param(["summarize", "missing.txt"], 2, "no such file", id="missing-path"),
        pytest.param(["summarize", "{article}", "--bogus"], 2, "No such option", id="bad-flag"),
        pytest.param(["summarize", "{article}", "--lang", "fr"], 2, "fr", id="bad-lang"),
        pytest.param(
            ["summarize", "{article}", "--published", "5/3/2024"], 2, "5/3/2024", id="bad-published"
        ),
        pytest.param(["summarize", "{empty}"], 1, "empty", id="empty-file"),
        pytest.param(["summarize", "{blank}"], 1, "empty", id="whitespace-file"),
        pytest.param(["summarize", "{binary}"], 1, "binary", id="binary-file"),
        pytest.param(
            ["summarize", "{article}", "--max-input-chars", "100"], 1, "limit of 100", id="too-long"
        ),
        pytest.param(
            ["summarize", "{article}", "--base-url", "http://127.0.0.1:9/v1", "--retries", "1"],
            1,
            "unreachable",
            id="server-down",
        ),
    ],
)
def test_bad_input_gets_one_line_and_an_exit_code(
    args: list[str],
    code: int,
    says: str,
    article: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\t\n")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 8)
    paths = {
        "article": article,
        "empty": tmp_path / "empty.txt",
        "blank": tmp_path / "blank.txt",
        "binary": tmp_path / "binary.bin",
    }
    monkeypatch.setenv("OPENAI_API_KEY", "sk-should-never-show")
    exit_code, out, err = run_cli([a.format(**paths) for a in args], monkeypatch, capsys)
    assert exit_code == code
    if says == "unreachable":  # it reached the model step: --format json says why on stdout
        assert json.loads(out)["error"]["type"] == "ModelUnreachable"
    else:
        assert out == ""
    assert len(err.strip().splitlines()) == 1 and says in err
    assert "Traceback" not in err and "sk-should-never-show" not in err


def test_schema_command_prints_json_schema(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["schema", "cooperation"], monkeypatch, capsys)
    assert code == 0 and json.loads(out)["title"] == "CooperationSummary"


def test_demo_writes_results_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from summarizer.briefing.pdf import pdf_available

    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens: replay only
    code, out, _ = run_cli(["demo", "--out", str(tmp_path)], monkeypatch, capsys)
    assert code == 0 and "Replaying recorded" in out
    written = sorted(p.name for p in tmp_path.iterdir())
    assert "000_85a1f342656380a4.meeting.ar.md" in written and len(written) >= 16
    ar = (tmp_path / "000_85a1f342656380a4.meeting.ar.md").read_text(encoding="utf-8")
    assert 'dir="rtl"' in ar and "المشاركون" in ar
    # and the event gold set: batched, grouped into events, exported as tables
    assert "events: 10 reports in 7 events, 1 with conflicts shown" in out
    assert (tmp_path / "events-demo" / "events" / "events.jsonl").exists()
    assert (tmp_path / "events-demo" / "tables" / "participants.csv").exists()
    # PDF only where this machine can make it; elsewhere one line says what to install.
    pdfs = [name for name in written if name.endswith(".pdf")]
    if pdf_available() is None:
        assert len(pdfs) == len([name for name in written if name.endswith(".md")])
    else:
        assert not pdfs
        assert [line for line in out.splitlines() if "PDF" in line] == [
            f"Skipped PDF: {pdf_available()}"
        ]


def test_lang_both_prints_both_summaries(
    article: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from summarizer.fields import text_slots
    from summarizer.schemas import MeetingSummary

    from .crafted import good_meeting_ar

    slots = text_slots(MeetingSummary.model_validate(good_meeting_ar()["summary"]))
    translation = {"items": [{"id": i, "text": f"English {i}"} for i in range(len(slots))]}
    with serve([good_meeting_ar(), translation]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        code, out, err = run_cli(["summarize", str(article), "--lang", "both"], monkeypatch, capsys)
    assert code == 0, err
    output = json.loads(out)
    assert set(output["summary"]) == {"en", "ar"}
    assert output["meta"]["attempts"] == 2 and output["meta"]["lang"] == "both"


@pytest.mark.parametrize("step", ["settings_from_flags", "read_source", "Summarizer"])
def test_ctrl_c_during_start_up_is_stopped(
    step: str, article: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import summarizer.cli

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(summarizer.cli, step, interrupted)
    code, out, err = run_cli(["summarize", str(article)], monkeypatch, capsys)
    assert code == 130 and out == ""
    assert err.strip() == "summarizer: stopped"


@pytest.mark.parametrize(
    ("slow", "args", "says"),
    [
        pytest.param(
            "dribble", ["--timeout", "1", "--retries", "2"], "no answer within 1 s", id="dribble"
        ),
        pytest.param(
            "retry-after",
            [],
            "the server asked to retry after 86400 s, past the 180 s limit",
            id="retry-after-a-day",
        ),
    ],
)
def test_time_is_bounded_whatever_the_server_does(
    slow: str,
    args: list[str],
    says: str,
    article: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with contextlib.ExitStack() as stack:
        if slow == "dribble":  # headers at once, then a byte every 0.2 s
            url = stack.enter_context(serve_slowly(0.2)).url  # type: ignore[attr-defined]
        else:
            url = stack.enter_context(serve([(429, {"retry-after": "86400"}, "{}")])).url  # type: ignore[attr-defined]
        monkeypatch.setenv("OPENAI_BASE_URL", url)
        started = time.monotonic()
        code, out, err = run_cli(["summarize", str(article), *args], monkeypatch, capsys)
        elapsed = time.monotonic() - started
    assert elapsed < 6  # without deadlines: 90 s (dribble), a day (Retry-After)
    assert code == 1
    failure = json.loads(out)
    assert failure["summary"] is None and failure["error"]["type"] == "ModelUnreachable"
    assert failure["meta"]["complete"] is False  # nothing came back: never "complete"
    assert says in failure["error"]["message"] and failure["meta"]["attempts"] >= 1
    assert len(err.strip().splitlines()) == 1 and says in err
    assert "unreachable" not in err


def test_ctrl_c_while_the_program_imports_is_stopped(article: Path) -> None:
    """The console script's first seconds are imports: a Ctrl-C there is no traceback."""
    process = subprocess.Popen(
        [sys.executable, "-m", "summarizer.entry", "summarize", str(article)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"},
    )
    time.sleep(0.6)  # well into the imports (2 s or more), past the interpreter's own start
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert out == "" and err == "summarizer: stopped\n"


def _two_ungrounded_items() -> dict[str, object]:
    answer = good_meeting()
    answer["summary"]["topics"][0]["evidence"]["quote"] = NOT_IN_ARTICLE
    answer["summary"]["date"] = "2023-10-25"
    return answer


@pytest.mark.parametrize("fmt", ["json", "md"])
def test_partial_prints_the_result_exits_0_and_says_so_in_one_line(
    fmt: str,
    article: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # the first answer and two re-asks, all broken alike; then the synopsis of what is left
    synopsis = {"headline": "Ministers meet in Riyadh", "summary": "They met in Riyadh."}
    broken = _two_ungrounded_items()
    with serve([broken, broken, broken, synopsis]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        args = ["summarize", str(article), "--partial", "--format", fmt]
        code, out, err = run_cli(args, monkeypatch, capsys)
    assert code == 0, err
    assert err.splitlines() == [
        "summarizer: partial: 2 item(s) could not be verified and were left out: topics[0], date"
    ]
    if fmt == "json":
        result = json.loads(out)
        assert result["meta"]["complete"] is False and result["summary"]["date"] is None
        assert result["summary"]["headline"] == synopsis["headline"]
    else:
        assert "2 items could not be verified" in out


def test_without_partial_the_same_answer_fails(
    article: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve([_two_ungrounded_items()]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        code, _, err = run_cli(["summarize", str(article)], monkeypatch, capsys)
    assert code == 1 and "still invalid" in err and len(err.splitlines()) == 1


def test_a_server_body_with_terminal_escapes_reaches_stderr_as_plain_text(
    article: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "bad request\x1b[2J\x1b]0;owned\x07 here"  # raw bytes, as a proxy may send
    with serve([(400, {}, body)]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        code, _, err = run_cli(["summarize", str(article)], monkeypatch, capsys)
    assert code == 1 and len(err.splitlines()) == 1
    assert "\x1b" not in err and "\x07" not in err and "bad request" in err

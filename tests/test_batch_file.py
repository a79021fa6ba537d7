"""``--via batch-file`` and ``--collect-file``: requests written for a self-hosted engine, its
output validated like live answers and the failures re-asked live.

The engine's output lines are written here in the format ``vllm run-batch`` writes (OpenAI's
batch output format: ``{"id", "custom_id", "response": {"status_code", "request_id", "body"},
"error"}``), each answering the very request body the file holds.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from summarizer.batch.batch_file import collect_file, write_batch_file
from summarizer.batch.job import Job

from .cli_run import run_cli
from .crafted import NOT_IN_ARTICLE, good_meeting
from .loopback import serve
from .stub import completion
from .test_batch import Stub, results, settings, write_articles


def wrong() -> dict[str, Any]:
    answer = good_meeting()
    answer["summary"]["topics"][0]["evidence"]["quote"] = NOT_IN_ARTICLE
    return answer


def engine_output(requests: Path, answers: list[dict[str, Any] | None], to: Path) -> Path:
    """What the engine writes: one output line per request, None for a request it failed."""
    lines = []
    for index, raw in enumerate(requests.read_text("utf-8").splitlines()):
        request = json.loads(raw)
        answer = answers[index]
        response: dict[str, Any] | None = None
        error = None
        if answer is None:
            error = {"code": "internal_error", "message": "engine failed this request"}
        else:
            response = {
                "status_code": 200,
                "request_id": f"vllm-batch-{index}",
                "body": completion(request["body"], answer, index),
            }
        lines.append(
            {"id": f"vllm-{index}", "custom_id": request["custom_id"], "response": response}
            | {"error": error}
        )
    to.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
    return to


def written(tmp_path: Path, n: int = 3) -> Path:
    path, stats = write_batch_file(
        write_articles(tmp_path / "in", range(n)),
        Job(out=tmp_path / "out"),
        settings(max_output_tokens=900),
        console=Console(file=io.StringIO()),
    )
    assert path is not None and path.parent == tmp_path / "out"
    return path


def test_the_file_holds_openai_batch_lines_with_the_live_body(tmp_path: Path) -> None:
    path = written(tmp_path)
    lines = [json.loads(raw) for raw in path.read_text("utf-8").splitlines()]
    assert [set(line) for line in lines] == [{"custom_id", "method", "url", "body"}] * 3
    assert {(line["method"], line["url"]) for line in lines} == {("POST", "/v1/chat/completions")}
    assert len({line["custom_id"] for line in lines}) == 3
    # The live path sends this very body for the article.
    stub = Stub()
    collect_file(
        engine_output(path, [None, None, None], tmp_path / "output.jsonl"),
        Job(out=tmp_path / "out"),
        settings(),
        console=Console(file=io.StringIO()),
        transport=stub.transport(),
    )
    assert sorted(json.dumps(b, sort_keys=True) for b in stub.bodies) == sorted(
        json.dumps(line["body"], sort_keys=True) for line in lines
    )
    assert all(body["max_tokens"] == 900 for body in stub.bodies)


def test_collect_commits_valid_answers_and_reasks_the_rest_live(tmp_path: Path) -> None:
    path = written(tmp_path)
    output = engine_output(path, [good_meeting(), wrong(), None], tmp_path / "output.jsonl")
    stub = Stub()
    stats = collect_file(
        output,
        Job(out=tmp_path / "out"),
        settings(),
        console=Console(file=io.StringIO()),
        transport=stub.transport(),
    )
    assert stats.done["ok"] == 3
    assert stub.per_article == {1: 1, 2: 1}  # a re-ask for 1, the failed request of 2
    reask = next(b for b in stub.bodies if "Ref 0001" in json.dumps(b["messages"]))
    assert NOT_IN_ARTICLE in json.dumps(reask["messages"][2:], ensure_ascii=False)
    lines = results(tmp_path / "out")
    assert [line["meta"]["reasks"] for line in lines] == [0, 1, 0]
    assert [line["meta"]["attempts"] for line in lines] == [1, 2, 1]
    # Collected twice: nothing is asked again.
    again = Stub()
    collect_file(
        output,
        Job(out=tmp_path / "out"),
        settings(),
        console=Console(file=io.StringIO()),
        transport=again.transport(),
    )
    assert again.requests == 0 and len(results(tmp_path / "out")) == 3


def test_the_cli_writes_the_file_says_where_and_collects_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = write_articles(tmp_path / "in", range(2))
    out = tmp_path / "out"
    code, stdout, err = run_cli(
        ["batch", *map(str, paths), "--out", str(out), "--via", "batch-file"], monkeypatch, capsys
    )
    assert code == 0, err  # the inputs wait in the file: handed on, not left undone
    requests = Path(stdout.strip())
    assert requests.parent == out and requests.is_file()
    assert "vllm run-batch -i" in " ".join(err.split()) and "--collect-file" in err
    output = engine_output(requests, [good_meeting(), wrong()], tmp_path / "output.jsonl")

    code, _, err = run_cli(
        ["batch", "--collect-file", str(output), "--out", str(out)], monkeypatch, capsys
    )
    assert code == 2 and "no API key" in err  # re-asks need a server: a usage error, at once

    with serve([good_meeting()]) as server:
        code, _, err = run_cli(
            ["batch", "--collect-file", str(output), "--out", str(out)]
            + ["--base-url", server.url],  # type: ignore[attr-defined]
            monkeypatch,
            capsys,
        )
        assert len(server.requests) == 1  # the re-ask of the second article
    assert code == 0, err
    assert [line["status"] for line in results(out)] == ["ok", "ok"]


def test_a_long_article_is_not_in_the_file_and_runs_live_at_collect(tmp_path: Path) -> None:
    from .test_batch_provider import PartsProvider
    from .test_chunking import LONG_ARTICLE

    inputs = tmp_path / "in"
    write_articles(inputs, range(1))
    (inputs / "long.txt").write_text(LONG_ARTICLE, encoding="utf-8")
    said = io.StringIO()
    small = settings(model="local-small-model")
    path, _ = write_batch_file(
        [inputs], Job(out=tmp_path / "out"), small, console=Console(file=said, width=300)
    )
    assert path is not None and len(path.read_text("utf-8").splitlines()) == 1
    assert "long.txt: a long article" in said.getvalue()
    provider = PartsProvider()
    stats = collect_file(
        engine_output(path, [good_meeting()], tmp_path / "output.jsonl"),
        Job(out=tmp_path / "out"),
        small,
        console=Console(file=io.StringIO()),
        transport=provider.transport(),
    )
    assert stats.done["ok"] == 2 and provider.per_article.get(0, 0) == 0
    long_line = next(line for line in results(tmp_path / "out") if line["id"].endswith("long.txt"))
    assert long_line["meta"]["parts"] > 1


@pytest.mark.parametrize(
    "odd",
    [
        pytest.param("[1]", id="json-array"),
        pytest.param('"text"', id="json-string"),
        pytest.param('{"custom_id": "CID", "response": {"status_code": 500, "body": "oops"}}'),
        pytest.param('{"custom_id": "CID", "response": "not an object"}', id="response-text"),
        pytest.param('{"custom_id": "CID", "response": {"status_code": 200, "body": [1]}}'),
    ],
)
def test_an_odd_output_line_runs_its_input_live_and_loses_nothing(odd: str, tmp_path: Path) -> None:
    path = written(tmp_path)
    output = engine_output(path, [good_meeting(), good_meeting(), good_meeting()], tmp_path / "o")
    lines = output.read_text("utf-8").splitlines()
    custom_id = json.loads(lines[1])["custom_id"]
    lines[1] = odd.replace("CID", custom_id)
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    said = io.StringIO()
    stub = Stub()
    stats = collect_file(
        output,
        Job(out=tmp_path / "out"),
        settings(),
        console=Console(file=said, width=300),
        transport=stub.transport(),
    )
    assert stats.done["ok"] == 3 and stub.per_article == {1: 1}  # the odd one, live
    assert [line["status"] for line in results(tmp_path / "out")] == ["ok", "ok", "ok"]
    assert "Traceback" not in said.getvalue()

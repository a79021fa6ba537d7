"""The review desk: how long ``summarizer serve`` takes to answer its first request, and how
long the results page takes over N results.

    .venv/bin/python -m benchmarks.serve --n 10000

Figures, not a test. Startup is wall time from starting the process to its first answer
(the style sheet: imports, the app, uvicorn listening), and to its first results page (the
server reads every run's results in the background from its start), the median of three
starts. The results
page is timed in-process (Starlette's test client, no network): the first request reads and
cleans every results line, later ones use what the desk kept until the file changes; the
page shows the first 200 rows and counts them all. The N results are the event gold set's
ten, repeated under new ids.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _desk(work: Path, n: int) -> Path:
    from summarizer.evaluation.events import run_gold

    run_gold(ROOT / "fixtures" / "events", ROOT / "fixtures" / "cassettes" / "events", work)
    lines = (work / "run" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    data = work / "desk"
    run = data / "runs" / "bench"
    run.mkdir(parents=True)
    with (run / "results.jsonl").open("w", encoding="utf-8") as out:
        for i in range(n):
            line = json.loads(lines[i % len(lines)])
            line["id"] = f"{line['id']}-{i:06d}"
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return data


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def startup(data: Path) -> tuple[float, float]:
    """Seconds from starting ``summarizer serve`` to its first answer, and to its first
    results page (the rows are read in the background from the start)."""
    port = _free_port()
    started = time.perf_counter()
    command = [sys.executable, "-m", "summarizer.entry", "serve", "--data", str(data)]
    server = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = started + 30
        while time.perf_counter() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/static/desk.css", timeout=5
                ) as page:
                    if page.status == 200:
                        answered = time.perf_counter() - started
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30):
                            return answered, time.perf_counter() - started
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("the desk did not answer within 30 s")
    finally:
        server.terminate()
        server.wait(timeout=10)


def results_page(data: Path) -> tuple[float, list[float]]:
    """The first results page (reading every line: no server start has read them yet) and
    five more, in seconds."""
    from starlette.testclient import TestClient

    from summarizer.serve.app import create_app

    client = TestClient(create_app(data))
    timings = []
    for _ in range(6):
        started = time.perf_counter()
        page = client.get("/")
        timings.append(time.perf_counter() - started)
        assert page.status_code == 200
    return timings[0], timings[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="results on the desk")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        data = _desk(Path(work), args.n)
        starts = [startup(data) for _ in range(3)]
        first, warm = results_page(data)
    answers, pages = [a for a, _ in starts], [p for _, p in starts]
    print(f"summarizer serve, first answer: median {statistics.median(answers):.2f} s"
          f" (of {', '.join(f'{s:.2f}' for s in answers)}); first results page"
          f" {statistics.median(pages):.2f} s after the start")  # fmt: skip
    print(f"results page over {args.n:,} results: first {first * 1000:.0f} ms (reads them all),"
          f" then median {statistics.median(warm) * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()

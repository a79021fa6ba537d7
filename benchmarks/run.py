"""Side by side, in one run, against the local stub server (``stub_server.py``):

1. ``summarizer batch`` over N article files (validation, state, md briefings, cache on);
2. the floor: plain asyncio + ``openai`` with a semaphore (``plain_openai.py``);
3. what users do today: a plain loop over instructor (``plain_instructor.py``), timed on the
   first ``--instructor-sample`` articles and scaled to N (a loop over 2,000 would take
   N x L, over a quarter of an hour at L = 500 ms);
4. the server's ideal, N x L / C;
then per-article overhead outside the model call, peak RSS at ``--n`` and ``--n-large`` (both
at ``--latency-large`` so that only N differs), and a re-run of each finished batch.

Each measured command runs as its own process (start-up included in its wall time); peak
RSS comes from ``os.wait4``. Prints a Markdown report.

    python -m benchmarks.run --n 2000 --latency 0.5 --cap 32 --n-large 20000 --latency-large 0.1
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.crafted import ARTICLE_000

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Measured:
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float  # user + system time of the process
    stdout: str
    stderr: str


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (Linux ``/proc``), in MB."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def measure(command: list[str], env: dict[str, str] | None = None) -> Measured:
    """Wall time, CPU time and peak RSS of one command, its worker processes included (RSS
    sampled every 50 ms and summed over the process tree)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=ROOT)
        peak = [0.0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.05):
                peak[0] = max(peak[0], tree_rss_mb(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{command[:4]} exited {process.returncode}: {stderr[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime  # waited-for children (the workers) included
    return Measured(seconds, max(peak[0], usage.ru_maxrss / 1024), cpu, stdout, stderr)


@contextmanager
def stub_server(latency: float, cap: int) -> Iterator[str]:
    server = subprocess.Popen(
        [PYTHON, "-m", "benchmarks.stub_server", "--latency", str(latency), "--cap", str(cap)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    port = int(line.rsplit(" ", 1)[1])
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait()


def server_stats(base: str) -> dict[str, int]:
    import urllib.request

    with urllib.request.urlopen(f"{base}/stats") as response:  # noqa: S310 (loopback)
        stats: dict[str, int] = json.load(response)
    return stats


def write_articles(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"a{i:06d}.txt").write_text(f"{ARTICLE_000}\nRef {i:06d}\n", "utf-8")
    return folder


def summarizer_batch(
    folder: Path, out: Path, base: str, cap: int, env: dict[str, str], *extra: str
) -> Measured:
    command = [PYTHON, "-m", "summarizer.cli", "batch", str(folder), "--out", str(out)]
    command += ["--concurrency", str(cap), "--format", "md", *extra]
    return measure(command, {**env, "OPENAI_BASE_URL": f"{base}/v1"})


def overhead(out: Path) -> tuple[float, float, float]:
    """Per article, milliseconds in the API outside the model call: mean, p50, p95."""
    spent = []
    with (out / "results.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            timings = json.loads(line)["meta"]["timings"]
            spent.append((timings["total"] - timings["model"]) * 1000)
    spent.sort()
    return statistics.fmean(spent), spent[len(spent) // 2], spent[int(len(spent) * 0.95)]


def cpu(measured: Measured, articles: int) -> str:
    return f"{measured.cpu_seconds / articles * 1000:.1f} ms"


def ok_lines(out: Path) -> int:
    with (out / "results.jsonl").open(encoding="utf-8") as lines:
        return sum(1 for line in lines if '"status": "ok"' in line)


def main() -> None:
    parser = argparse.ArgumentParser(description="summarizer batch benchmark")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--cap", type=int, default=32)
    parser.add_argument("--n-large", type=int, default=20000)
    parser.add_argument("--latency-large", type=float, default=0.1)
    parser.add_argument("--instructor-sample", type=int, default=100)
    args = parser.parse_args()
    n, latency, cap = args.n, args.latency, args.cap
    work = Path(tempfile.mkdtemp(prefix="summarizer-bench-"))
    env = {**os.environ, "OPENAI_API_KEY": "sk-bench", "SUMMARIZER_CACHE_DIR": str(work / "cache")}
    env.pop("SUMMARIZER_PRICES", None)
    small = write_articles(work / f"in-{n}", n)
    report: list[str] = [f"N={n}, L={latency * 1000:.0f} ms, C={cap}, {os.cpu_count()} cores", ""]

    with stub_server(latency, cap) as base:
        floor = measure(
            [PYTHON, "-m", "benchmarks.plain_openai", str(small), "--base-url", f"{base}/v1"]
            + ["--concurrency", str(cap)],
            env,
        )
        ours = summarizer_batch(small, work / "out-main", base, cap, env)
        served = server_stats(base)
        rerun = summarizer_batch(small, work / "out-main", base, cap, env)
        after = server_stats(base)
        fresh = {**env, "SUMMARIZER_CACHE_DIR": str(work / "cache-single")}  # no cache hits
        single = summarizer_batch(small, work / "out-single", base, cap, fresh, "--workers", "1")
        loop = measure(
            [PYTHON, "-m", "benchmarks.plain_instructor", str(small), "--base-url", f"{base}/v1"]
            + ["--limit", str(args.instructor_sample)],
            env,
        )
    ideal = n * latency / cap
    loop_scaled = loop.seconds * n / args.instructor_sample
    mean, p50, p95 = overhead(work / "out-main")
    report += [
        "| run | wall time | vs floor | CPU per article | peak RSS |",
        "|---|---|---|---|---|",
        f"| ideal N·L/C | {ideal:.1f} s | | | |",
        f"| plain asyncio + openai, semaphore {cap} (floor) | {floor.seconds:.1f} s | 1.00× "
        f"| {cpu(floor, n)} | {floor.peak_rss_mb:.0f} MB |",
        f"| **summarizer batch** --concurrency {cap} --format md | {ours.seconds:.1f} s | "
        f"**{ours.seconds / floor.seconds:.3f}×** | {cpu(ours, n)} | {ours.peak_rss_mb:.0f} MB |",
        f"| summarizer batch, same, --workers 1 (one process) | {single.seconds:.1f} s | "
        f"{single.seconds / floor.seconds:.3f}× | {cpu(single, n)} | {single.peak_rss_mb:.0f} MB |",
        f"| plain loop over instructor (timed on {args.instructor_sample}, "
        f"×{n // args.instructor_sample}) | {loop_scaled:.0f} s | "
        f"{loop_scaled / floor.seconds:.1f}× | {cpu(loop, args.instructor_sample)} "
        f"| {loop.peak_rss_mb:.0f} MB |",
        f"| re-run of the finished batch | {rerun.seconds:.1f} s | | "
        f"| {rerun.peak_rss_mb:.0f} MB |",
        "",
        f"- ok lines: {ok_lines(work / 'out-main')}/{n}; server: {served['served']} answered, "
        f"{served['refused']} refused with 429, peak {served['peak']} in flight; re-run sent "
        f"{after['served'] - served['served']} requests",
        f"- per article in the API outside the model call: mean {mean:.1f} ms, p50 {p50:.1f} ms,"
        f" p95 {p95:.1f} ms",
        f"- wall-time overhead over the floor per article slot: "
        f"{(ours.seconds - floor.seconds) * cap / n * 1000:.1f} ms",
    ]

    large = write_articles(work / f"in-{args.n_large}", args.n_large)
    rss_rows = ["", f"Peak RSS by N (L={args.latency_large * 1000:.0f} ms, C={cap}):", ""]
    rss_rows += ["| N | wall time | ideal N·L/C | peak RSS | re-run wall | re-run RSS |"]
    rss_rows += ["|---|---|---|---|---|---|"]
    peaks = []
    with stub_server(args.latency_large, cap) as base:
        for index, (size, folder) in enumerate(((n, small), (args.n_large, large))):
            out = work / f"out-rss-{index}-{size}"
            run = summarizer_batch(folder, out, base, cap, env)
            again = summarizer_batch(folder, out, base, cap, env)
            peaks.append(run.peak_rss_mb)
            rss_rows.append(
                f"| {size:,} | {run.seconds:.1f} s | {size * args.latency_large / cap:.1f} s | "
                f"{run.peak_rss_mb:.0f} MB | {again.seconds:.1f} s | {again.peak_rss_mb:.0f} MB |"
            )
            assert ok_lines(out) == size, f"{out}: not every article ok"
    rss_rows.append("")
    rss_rows.append(f"- RSS at {args.n_large:,} vs {n:,}: {peaks[1] / peaks[0]:.3f}×")
    print("\n".join(report + rss_rows))
    print(f"\n(work files in {work})", file=sys.stderr)


if __name__ == "__main__":
    main()

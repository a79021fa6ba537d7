"""What a batch tells its user while it runs and when it ends, on standard error.

On a terminal, a rich progress bar (done, failed, retried, tokens, ETA); otherwise plain log
lines every few seconds and one per failure, which read well in a CI log or ``nohup.out``.
At the end, a table: counts by status (partial and no_event included), skipped, not started,
requests, tokens, cost and wall time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from ..briefing.clean import clean_text

PLAIN_INTERVAL = 10.0  # seconds between plain progress lines
# How an input ends, and what the end table calls it.
STATUSES = {"ok": "ok", "partial": "partial", "no_event": "no event", "error": "failed"}


@dataclass
class Stats:
    """Counts of one run; ``skipped`` are articles an earlier run ended, by status."""

    total: int | None = None
    done: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    requests: int = 0
    retried: int = 0  # articles that needed more than one request (retries or re-asks)
    cached: int = 0
    usage: dict[str, int] = field(
        default_factory=lambda: {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    )
    cost: float = 0.0
    cost_known: bool = True
    started: float = field(default_factory=time.monotonic)
    stopped: str | None = None  # "budget" or "interrupted" when the run ended early
    # What went wrong outside any one input (the input stream broke, a row could not be
    # stored even as an error): the run cannot call itself done.
    faults: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for counts in (self.done, self.skipped):  # counts given in part start at 0 for the rest
            for status in STATUSES:
                counts.setdefault(status, 0)

    @property
    def finished(self) -> int:
        return sum(self.done.values())

    @property
    def seen(self) -> int:
        return self.finished + sum(self.skipped.values())

    @property
    def failed(self) -> int:
        return self.done["error"] + self.skipped["error"]

    @property
    def not_started(self) -> int:
        return max((self.total or self.seen) - self.seen, 0)

    def add(self, status: str, meta: dict[str, Any]) -> None:
        self.done[status] += 1
        attempts = int(meta.get("attempts") or 0)
        self.requests += attempts
        self.retried += attempts > 1
        self.cached += bool(meta.get("cached"))
        for key in self.usage:
            self.usage[key] += int((meta.get("usage") or {}).get(key, 0))
        cost = meta.get("cost")
        if cost is None and attempts:
            self.cost_known = False
        self.cost += cost or 0.0

    def spend(self, usage: dict[str, int], cost: float | None) -> None:
        """Tokens spent outside any article's own meta (a provider answer that failed)."""
        for key in self.usage:
            self.usage[key] += usage.get(key, 0)
        self.cost_known = self.cost_known and cost is not None
        self.cost += cost or 0.0


class Reporter(Protocol):
    def start(self, stats: Stats) -> None: ...
    def update(self, stats: Stats) -> None: ...
    def failure(self, article_id: str, error: str) -> None: ...
    def note(self, message: str) -> None: ...
    def stop(self, stats: Stats) -> None: ...


def make_reporter(console: Console) -> Reporter:
    return BarReporter(console) if console.is_terminal else LineReporter(console)


def _detail(stats: Stats) -> str:
    return (
        f"ok {stats.done['ok']} · partial {stats.done['partial']} · no event "
        f"{stats.done['no_event']} · failed {stats.done['error']} · retried {stats.retried} · "
        f"{stats.usage['total_tokens']:,} tokens"
    )


class BarReporter:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress = Progress(
            TextColumn("[bold]batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
        )
        self.task: TaskID | None = None

    def start(self, stats: Stats) -> None:
        self.progress.start()
        self.task = self.progress.add_task("batch", total=stats.total, detail=_detail(stats))

    def update(self, stats: Stats) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=stats.seen, detail=_detail(stats))

    def failure(self, article_id: str, error: str) -> None:
        self.progress.console.print(Text(f"failed {_failure(article_id, error)}", style="red"))

    def note(self, message: str) -> None:
        self.progress.console.print(Text(shown(message)))

    def stop(self, stats: Stats) -> None:
        self.update(stats)
        self.progress.stop()


class LineReporter:
    def __init__(self, console: Console, interval: float = PLAIN_INTERVAL) -> None:
        self.console = console
        self.interval = interval
        self._last = 0.0

    def _print(self, text: str) -> None:
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def start(self, stats: Stats) -> None:
        self._last = time.monotonic()
        self._print(f"batch: {stats.total if stats.total is not None else '?'} inputs")

    def update(self, stats: Stats) -> None:
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            total = stats.total if stats.total is not None else "?"
            self._print(f"batch: {stats.seen}/{total} · {_detail(stats)}{_eta(stats)}")

    def failure(self, article_id: str, error: str) -> None:
        self._print(f"failed {_failure(article_id, error)}")

    def note(self, message: str) -> None:
        self._print(shown(message))

    def stop(self, stats: Stats) -> None:
        pass


def _failure(article_id: str, error: str) -> str:
    # Input errors already start with the file's name; do not say it twice.
    return shown(error if error.startswith(article_id) else f"{article_id}: {error}")


def shown(text: str) -> str:
    """Text a server, a model or an input gave, fit for a terminal: one line, no control
    sequence, no secret."""
    return clean_text(text)


def _eta(stats: Stats) -> str:
    if not stats.total or not stats.finished:
        return ""
    rate = stats.finished / max(time.monotonic() - stats.started, 1e-9)
    left = stats.not_started / rate
    return f" · ETA {int(left // 60)}m{int(left % 60):02d}s"


def end_table(stats: Stats, out: str) -> Table:
    """The run in one table; the caller prints it to standard error."""
    table = Table(title=f"batch → {out}", show_header=True, title_justify="left")
    table.add_column("")
    table.add_column("this run", justify="right")
    table.add_column("earlier runs", justify="right")
    for status, label in STATUSES.items():
        table.add_row(label, f"{stats.done[status]:,}", f"{stats.skipped[status]:,}")
    if stats.not_started:
        table.add_row("not started", f"{stats.not_started:,}", "")
    table.add_row("requests (retried articles)", f"{stats.requests:,} ({stats.retried:,})", "")
    table.add_row("cached answers", f"{stats.cached:,}", "")
    usage = stats.usage
    table.add_row(
        "tokens (prompt + completion)",
        f"{usage['total_tokens']:,} ({usage['prompt_tokens']:,} + {usage['completion_tokens']:,})",
        "",
    )
    cost = f"${stats.cost:,.4f}" if stats.cost_known else f"≥ ${stats.cost:,.4f} (price unknown)"
    table.add_row("cost", cost, "")
    table.add_row("wall time", f"{time.monotonic() - stats.started:,.1f}s", "")
    return table

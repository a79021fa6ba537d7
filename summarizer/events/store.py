"""An events directory: the reports it has read and the events they make.

``EVENTS_DIR/reports.jsonl`` keeps every report read so far, in the order first seen;
``EVENTS_DIR/events.jsonl`` holds the events, one a line (SPEC, "Events across articles").
Adding runs reads only those runs: a report already kept is replaced by its new line (a batch
run again after ``--retry-failed``), a new one is appended. Grouping then runs over all kept
reports (it is cheap: see ``benchmarks/events.py``), and an event keeps the id of the report
it was first seen in, so events keep their ids as reports are added. When a new report joins
two events into one, the merged event keeps the id of the one seen first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError
from ..files import write_atomic
from .merge import merge
from .reports import RESULTS, Report, read_jsonl, read_kept, read_run
from .resolve import group
from .shape import check_event

REPORTS, EVENTS = "reports.jsonl", "events.jsonl"


@dataclass(frozen=True)
class Update:
    """What one ``events`` run did."""

    read: int  # reports read from the runs given
    reports: int  # reports kept in all
    events: int


def resolve(reports: list[Report]) -> list[dict[str, Any]]:
    """The events ``reports`` tell of, in date order; ``reports`` in the order first seen."""
    position = {r.id: i for i, r in enumerate(reports)}
    events = [
        merge(members, first=min(members, key=lambda r: position[r.id]))
        for members in group(reports)
    ]
    return sorted(events, key=lambda e: (e["date"] or "9999", e["id"]))


def update(events_dir: Path, run_dirs: list[Path]) -> Update:
    """Read ``run_dirs`` into ``events_dir`` and write its events again."""
    for run in run_dirs:
        if not (run / RESULTS).is_file():
            raise ConfigError(f"{run}: no {RESULTS} here (a batch --out directory is expected)")
    events_dir.mkdir(parents=True, exist_ok=True)
    kept = {r.id: r for r in load_reports(events_dir)}  # dicts keep the first-seen order
    read = 0
    for run in sorted(run_dirs, key=lambda p: p.name):
        for report in read_run(run):
            kept[report.id] = report
            read += 1
    reports = list(kept.values())
    events = resolve(reports)
    _write_lines(events_dir / REPORTS, [r.to_line() for r in reports])
    _write_lines(events_dir / EVENTS, events)
    return Update(read=read, reports=len(reports), events=len(events))


def load_reports(events_dir: Path) -> list[Report]:
    path = events_dir / REPORTS
    if not path.exists():
        return []
    reports = []
    for n, line in enumerate(read_jsonl(path), 1):
        try:
            report = read_kept(line)
        except (KeyError, TypeError):  # not a line `update` wrote
            raise InputError(
                f"{path}, report {n}: not a report as `summarizer events` keeps it"
            ) from None
        if report is not None:
            reports.append(report)
    return reports


def load_events(events_dir: Path) -> list[dict[str, Any]]:
    """The events of an events directory, as ``summarizer events`` wrote them."""
    path = events_dir / EVENTS
    if not path.is_file():
        raise InputError(f"{events_dir}: no {EVENTS} here (run `summarizer events` first)")
    return [check_event(value, f"{path}, event {n}") for n, value in enumerate(read_jsonl(path), 1)]


def _write_lines(path: Path, lines: list[dict[str, Any]]) -> None:
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    write_atomic(path, text.encode("utf-8"))

"""Scoring event resolution against gold groups: B-cubed precision and recall, look-alike
events kept apart, planted conflicts shown (``fixtures/events/groups.json``).

B-cubed (Bagga and Baldwin, 1998) scores each report by how much of its predicted event is
its gold event (precision) and how much of its gold event its predicted event holds (recall),
averaged over reports: a single wrong merge costs in proportion to the reports it touches,
which pairwise counts overstate for large events.

>>> bcubed([["a", "b"], ["c"]], [["a", "b", "c"]])
(1.0, 0.5555555555555556)
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from ..batch.job import Job
from ..batch.runner import run_batch
from ..config import Settings
from ..events.store import load_events, update
from ..replay import ReplayTransport

# The model the hand-written answers were recorded for (demo.DEMO_MODEL); part of every body.
RECORDED_MODEL = "gpt-4o-mini"


def bcubed(predicted: list[list[str]], gold: list[list[str]]) -> tuple[float, float]:
    """(precision, recall) over the reports both groupings hold."""
    cluster = {r: frozenset(g) for g in predicted for r in g}
    truth = {r: frozenset(g) for g in gold for r in g}
    reports = [r for r in truth if r in cluster]
    if not reports:
        return 0.0, 0.0
    precision = sum(len(cluster[r] & truth[r]) / len(cluster[r]) for r in reports)
    recall = sum(len(cluster[r] & truth[r]) / len(truth[r]) for r in reports)
    return precision / len(reports), recall / len(reports)


@dataclass(frozen=True)
class EventScore:
    precision: float
    recall: float
    apart_kept: int
    apart_total: int
    conflicts_shown: int
    conflicts_total: int
    missed: list[str]  # one line per look-alike merged or conflict not shown

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def score_events(events: list[dict[str, Any]], gold: dict[str, Any]) -> EventScore:
    """How ``events`` (as ``summarizer events`` wrote them) match the gold groups."""
    predicted = [[r["id"] for r in e["reports"]] for e in events]
    precision, recall = bcubed(predicted, gold["groups"])
    event_of = {r["id"]: e for e in events for r in e["reports"]}
    missed = []
    kept = 0
    for case in gold.get("apart", []):
        ids = {event_of[r]["id"] for r in case["reports"] if r in event_of}
        if len(ids) == len(case["reports"]):
            kept += 1
        else:
            missed.append(f"merged: {', '.join(case['reports'])} ({case['why']})")
    shown = 0
    for case in gold.get("conflicts", []):
        event = event_of.get(case["report"])
        fields = [c["field"] for c in event["conflicts"]] if event else []
        if any(f.startswith(case["field"]) for f in fields):
            shown += 1
        else:
            missed.append(f"conflict not shown: {case['field']} ({case['why']})")
    return EventScore(
        precision=precision,
        recall=recall,
        apart_kept=kept,
        apart_total=len(gold.get("apart", [])),
        conflicts_shown=shown,
        conflicts_total=len(gold.get("conflicts", [])),
        missed=missed,
    )


def load_gold(folder: Path) -> dict[str, Any]:
    gold: dict[str, Any] = json.loads((folder / "groups.json").read_text(encoding="utf-8"))
    return gold


def run_gold(gold: Path, cassettes: Path, work: Path) -> list[dict[str, Any]]:
    """The gold reports (``gold/articles.jsonl``) summarised by a batch on their recorded
    answers, then resolved: the events, as ``summarizer events`` writes them to ``work``."""
    run = work / "run"
    settings = Settings(model=RECORDED_MODEL, api_key="replay-no-key", use_cache=False)
    transport = ReplayTransport(sorted(cassettes.glob("*.yaml")))
    console = Console(file=io.StringIO())
    run_batch(
        [gold / "articles.jsonl"], Job(out=run), settings, console=console, transport=transport
    )
    update(work / "events", [run])
    return load_events(work / "events")

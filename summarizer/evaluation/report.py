"""Show evaluation figures: one run as a table, or two runs side by side."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from .score import RunScore

HEADLINE = (
    "no_event_precision",
    "no_event_recall",
    "relative_date_accuracy",
    "leaked_participants",
    "forbidden_categories",
    "grounding_rate_first_answer",
    "valid_first_answer_rate",
    "reasks_per_article",
    "tokens_per_article",
    "errors",
    "not_recorded",
    "runs",
)


def rows(summary: dict[str, Any]) -> list[tuple[str, Any]]:
    """(name, value) for every figure of an aggregate, fields first."""
    return [*summary["fields"].items(), *((name, summary.get(name)) for name in HEADLINE)]


def print_run(console: Console, runs: list[RunScore], summary: dict[str, Any]) -> None:
    per_run = Table(title="Runs", show_lines=False)
    for column in ("article", "schema", "status", "misses", "re-asks", "tokens"):
        per_run.add_column(column)
    for run in runs:
        misses = [name for name, value in run.fields.items() if value is not None and value < 1]
        if run.leaked_participants:
            misses.append(f"leaked×{run.leaked_participants}")
        if run.forbidden_categories:
            misses.append(f"background-as-topic×{run.forbidden_categories}")
        detail = run.error[:60] if run.error else ", ".join(misses) or "—"
        per_run.add_row(run.id, run.schema, run.status, detail, str(run.reasks), str(run.tokens))
    console.print(per_run)
    table = Table(title="Scores")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for name, value in rows(summary):
        table.add_row(name, _fmt(value))
    console.print(table)


def print_compare(
    console: Console, a: dict[str, Any], b: dict[str, Any], names: tuple[str, str]
) -> None:
    table = Table(title="Comparison")
    table.add_column("figure")
    table.add_column(names[0], justify="right")
    table.add_column(names[1], justify="right")
    table.add_column("Δ", justify="right")
    figures_a, figures_b = dict(rows(a["summary"])), dict(rows(b["summary"]))
    for name in dict.fromkeys([*figures_a, *figures_b]):
        va, vb = figures_a.get(name), figures_b.get(name)
        delta = vb - va if isinstance(va, int | float) and isinstance(vb, int | float) else None
        table.add_row(name, _fmt(va), _fmt(vb), _fmt(delta, signed=True))
    console.print(table)


def _fmt(value: Any, signed: bool = False) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:+.3f}" if signed else f"{value:.3f}"
    return f"{value:+d}" if signed and isinstance(value, int) else str(value)

"""The tables an analyst loads: events, reports, participants, parties, topics, outcomes.

One row per thing, with the canonical ids and evidence offsets beside the text, and the keys
that join them (``report_id``, ``event_id``). The columns are listed here once (``COLUMNS``)
and documented in ``docs/export.md``; every writer writes exactly these, in this order, so a
table read back has the same columns whatever the format. A batch run's directory has no
events: its ``events`` table is empty and ``event_id`` is null.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..events.reports import RESULTS, Report, read_run
from ..events.store import EVENTS, load_events, load_reports

Row = dict[str, Any]
_EVIDENCE = ["evidence_segment", "evidence_start", "evidence_end", "evidence_quote"]
COLUMNS: dict[str, list[str]] = {
    "events": ["event_id", "date", "city", "country", "country_code", "party_ids",
               "reports", "conflicts", "conflict_fields"],
    "reports": ["report_id", "event_id", "run", "outlet", "url", "lang", "published",
                "headline", "summary", "meeting_type", "date", "date_text", "city", "country",
                "country_code", "party_ids", "output_language"],
    "participants": ["report_id", "event_id", "position", "name", "name_source", "title",
                     "organization", "country", "country_code", "person_key", "role",
                     *_EVIDENCE],
    "parties": ["report_id", "event_id", "position", "name", "party_id"],
    "topics": ["report_id", "event_id", "position", "title", "category", "details",
               *_EVIDENCE],
    "outcomes": ["report_id", "event_id", "position", "description", "kind", *_EVIDENCE],
}  # fmt: skip


def tables_of(source: Path) -> dict[str, list[Row]]:
    """The tables of a batch run's directory or an events directory."""
    if (source / EVENTS).is_file():
        events = load_events(source)
        reports = load_reports(source)
    elif (source / RESULTS).is_file():
        events, reports = [], list(read_run(source))
    else:
        raise ConfigError(
            f"{source}: neither a batch --out directory ({RESULTS}) nor an events directory"
        )
    event_of = {r["id"]: e["id"] for e in events for r in e["reports"]}
    tables: dict[str, list[Row]] = {name: [] for name in COLUMNS}
    tables["events"] = [_event_row(e) for e in events]
    for report in reports:
        for name, row in _report_rows(report, event_of.get(report.id)):
            tables[name].append(row)
    return tables


def _event_row(event: dict[str, Any]) -> Row:
    location = event.get("location") or {}
    fields = sorted({c["field"] for c in event["conflicts"]})
    return {
        "event_id": event["id"],
        "date": event["date"],
        "city": location.get("city"),
        "country": location.get("country"),
        "country_code": location.get("country_code"),
        "party_ids": ";".join(p["id"] for p in event["parties"] if p["id"]),
        "reports": len(event["reports"]),
        "conflicts": len(event["conflicts"]),
        "conflict_fields": ";".join(fields),
    }


def _report_rows(report: Report, event_id: str | None) -> Iterator[tuple[str, Row]]:
    s = report.summary
    location = s.get("location") or {}
    keys = {"report_id": report.id, "event_id": event_id}
    yield (
        "reports",
        {
            **keys,
            "run": report.run,
            "outlet": report.outlet,
            "url": report.url,
            "lang": report.lang,
            "published": report.published.isoformat() if report.published else None,
            **{k: s.get(k) for k in ("headline", "summary", "meeting_type", "date", "date_text")},
            "city": location.get("city"),
            "country": location.get("country"),
            "country_code": location.get("country_code"),
            "party_ids": ";".join(p for p in s.get("party_ids") or [] if p),
            "output_language": s.get("output_language"),
        },
    )
    ids = s.get("party_ids") or []
    for i, name in enumerate(s.get("parties") or []):
        party_id = ids[i] if i < len(ids) else None
        yield "parties", {**keys, "position": i, "name": name, "party_id": party_id}
    for table, field in (("participants", "participants"), ("topics", "topics"),
                         ("outcomes", "outcomes")):  # fmt: skip
        for i, item in enumerate(s.get(field) or []):
            row = {**keys, "position": i}
            row |= {c: item.get(c) for c in COLUMNS[table] if c not in row and c in item}
            yield table, row | _evidence(item.get("evidence"))


def _evidence(evidence: dict[str, Any] | None) -> Row:
    evidence = evidence or {}
    return {
        "evidence_segment": evidence.get("segment"),
        "evidence_start": evidence.get("start"),
        "evidence_end": evidence.get("end"),
        "evidence_quote": evidence.get("quote"),
    }


def ordered(table: str, rows: list[Row]) -> list[list[Any]]:
    """The rows as lists in ``COLUMNS`` order (a missing value is None)."""
    return [[row.get(c) for c in COLUMNS[table]] for row in rows]

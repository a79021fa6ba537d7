"""One event from its reports: merged facts, each naming the reports that give it, and the
conflicts between reports, shown and never settled by a guess.

Facts are merged on canonical ids and keys, never on text: a party by its id (its name when
it has none), a participant by person key, a place by country code and city skeleton, a topic
by category, an outcome kept per report with its evidence. Where reports differ, the event
shows every value with its reports (``conflicts``):

- ``date``, ``location``: more than one value;
- ``participant``: a person some reports name and others do not (``null`` stands for "not
  named"), and ``title``: one person, different titles in reports of one language;
- ``outcome``: a kind of outcome (an MoU, an agreement...) only some reports give.

The event's own ``date`` and ``location`` are the value most reports give (the earliest date
on a tie): a headline choice, with the conflict beside it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

from ..canonical import same_person
from ..translit import skeleton
from .reports import Report


def event_id(first: Report) -> str:
    """An event's id: from the report it was first seen in, so adding reports keeps it."""
    return "ev-" + hashlib.sha256(f"{first.run}/{first.id}".encode()).hexdigest()[:12]


def merge(reports: list[Report], first: Report) -> dict[str, Any]:
    """The event ``reports`` tell of; ``first`` is the one seen first (it names the event)."""
    conflicts: list[dict[str, Any]] = []
    date = _pick(reports, lambda r: r.summary.get("date"), "date", conflicts)
    location = _location(reports, conflicts)
    participants = _participants(reports, conflicts)
    outcomes = _outcomes(reports, conflicts)
    return {
        "id": event_id(first),
        "date": date,
        "location": location,
        "parties": _parties(reports),
        "participants": participants,
        "topics": _topics(reports),
        "outcomes": outcomes,
        "conflicts": conflicts,
        "reports": [r.ref() for r in reports],
    }


def _ids(reports: list[Report]) -> list[str]:
    return [r.id for r in reports]


def _values(by_value: dict[Any, list[Report]]) -> list[dict[str, Any]]:
    return [{"value": v, "reports": _ids(rs)} for v, rs in by_value.items()]


def _pick(reports: list[Report], read: Any, field: str, conflicts: list[dict[str, Any]]) -> Any:
    """The value most reports give (the smallest on a tie); a conflict when they differ."""
    by_value: dict[Any, list[Report]] = defaultdict(list)
    for report in reports:
        value = read(report)
        if value is not None:
            by_value[value].append(report)
    if len(by_value) > 1:
        conflicts.append({"field": field, "values": _values(by_value)})
    if not by_value:
        return None
    return min(by_value, key=lambda v: (-len(by_value[v]), str(v)))


def _location(reports: list[Report], conflicts: list[dict[str, Any]]) -> dict[str, Any] | None:
    by_place: dict[tuple[str | None, str | None], list[Report]] = defaultdict(list)
    for report in reports:
        if report.place != (None, None):
            by_place[report.place].append(report)
    if not by_place:
        return None
    shown = {place: _location_text(rs[0]) for place, rs in by_place.items()}
    if len(by_place) > 1:
        values = [{"value": shown[p], "reports": _ids(rs)} for p, rs in by_place.items()]
        conflicts.append({"field": "location", "values": values})
    best = min(by_place, key=lambda p: (-len(by_place[p]), str(p)))
    return {**shown[best], "reports": _ids(by_place[best])}


def _location_text(report: Report) -> dict[str, Any]:
    loc = report.summary.get("location") or {}
    return {k: loc.get(k) for k in ("city", "country", "country_code")}


def _parties(reports: list[Report]) -> list[dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for report in reports:
        names = report.summary.get("parties") or []
        ids = report.summary.get("party_ids") or [None] * len(names)
        for name, ident in zip(names, ids, strict=False):
            key = ident or "name:" + " ".join(skeleton(name))
            entry = merged.setdefault(key, {"id": ident, "names": [], "reports": []})
            if name not in entry["names"]:
                entry["names"].append(name)
            if report.id not in entry["reports"]:
                entry["reports"].append(report.id)
    return sorted(merged.values(), key=lambda e: (-len(e["reports"]), e["id"] or "~"))


def _participants(reports: list[Report], conflicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = []
    for report in reports:
        for p in report.summary.get("participants") or []:
            key = p.get("person_key")
            entry = next(
                (e for e in people if key and e["key"] and same_person(key, e["key"])), None
            )
            if entry is None:
                entry = {
                    "key": key, "name": p.get("name"), "names": [], "names_source": [],
                    "titles": {}, "country_code": p.get("country_code"), "role": p.get("role"),
                    "reports": [], "evidence": [],
                }  # fmt: skip
                people.append(entry)
            for field, value in (("names", p.get("name")), ("names_source", p.get("name_source"))):
                if value and value not in entry[field]:
                    entry[field].append(value)
            if p.get("title"):
                entry["titles"].setdefault(p["title"], []).append(report)
            if report.id not in entry["reports"]:
                entry["reports"].append(report.id)
            entry["evidence"].append({"report": report.id, **(p.get("evidence") or {})})
    for entry in people:
        titles: dict[str, list[Report]] = entry.pop("titles")
        entry["titles"] = [{"value": t, "reports": _ids(rs)} for t, rs in titles.items()]
        if len(titles) > 1 and _same_language(titles):
            conflicts.append({"field": f"title of {entry['name']}", "values": entry["titles"]})
        if 1 < len(reports) and len(entry["reports"]) < len(reports):
            missing = [r.id for r in reports if r.id not in entry["reports"]]
            conflicts.append(
                {
                    "field": "participant",
                    "values": [
                        {"value": entry["name"], "reports": entry["reports"]},
                        {"value": None, "reports": missing},
                    ],
                }
            )
    return people


def _same_language(titles: dict[str, list[Report]]) -> bool:
    """Whether two titles of one person come from summaries in one language (titles in two
    languages always differ as text, and that is no conflict)."""
    languages = [{_output_language(r) for r in rs} for rs in titles.values()]
    return any(a & b for i, a in enumerate(languages) for b in languages[i + 1 :])


def _output_language(report: Report) -> str | None:
    return report.summary.get("output_language")


def _topics(reports: list[Report]) -> list[dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for report in reports:
        for topic in report.summary.get("topics") or []:
            entry = merged.setdefault(
                topic.get("category") or "other",
                {"category": topic.get("category"), "titles": [], "reports": [], "evidence": []},
            )
            if topic.get("title") and topic["title"] not in entry["titles"]:
                entry["titles"].append(topic["title"])
            if report.id not in entry["reports"]:
                entry["reports"].append(report.id)
            entry["evidence"].append({"report": report.id, **(topic.get("evidence") or {})})
    return sorted(merged.values(), key=lambda e: (-len(e["reports"]), e["category"] or ""))


def _outcomes(reports: list[Report], conflicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    outcomes = []
    by_kind: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        for outcome in report.summary.get("outcomes") or []:
            kind = outcome.get("kind") or "other"
            outcomes.append(
                {
                    "description": outcome.get("description"),
                    "kind": kind,
                    "reports": [report.id],
                    "evidence": [{"report": report.id, **(outcome.get("evidence") or {})}],
                }
            )
            if report not in by_kind[kind]:
                by_kind[kind].append(report)
    for kind, giving in by_kind.items():
        if len(reports) > 1 and len(giving) < len(reports):
            missing = [r.id for r in reports if r not in giving]
            conflicts.append(
                {
                    "field": "outcome",
                    "values": [
                        {"value": kind, "reports": _ids(giving)},
                        {"value": None, "reports": missing},
                    ],
                }
            )
    return outcomes

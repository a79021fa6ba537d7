"""Reviewed results as gold cases: what an analyst approved or corrected becomes what
``summarizer eval`` scores the next model against.

A case is written in the gold set's format (``fixtures/goldset/README.md``): the article
as the model read it (``<case>.txt``) and the rules a correct summary must meet
(``<case>.json``), taken from the reviewed summary: its meeting type, date and date text,
place, each participant (name, name as written, country, role), the topic categories, the
number of outcomes; for a cooperation summary, the framework, the parties and the area
categories. Names and places are given in the summary's own language only: a case made
from an English summary scores English summaries.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .article import article_of
from .desk import Desk

_PREFIX = "desk_"  # every case the desk writes, and only those


@dataclass(frozen=True)
class Exported:
    written: list[Path]
    skipped: list[str]  # "<run>/<id>: why"


def export_gold(desk: Desk, folder: Path) -> Exported:
    """Every approved or corrected result as a gold case in ``folder``; a case the desk wrote
    before for a result no longer approved is removed (other cases there are left alone)."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    skipped: list[str] = []
    states, fixes = desk.states(), desk.corrections()  # the audit trail read once each
    for row in desk.rows():
        if states.get((row.run, row.id)) not in ("approved", "corrected"):
            continue
        fixed = fixes.get((row.run, row.id))
        summary = fixed.summary if fixed is not None else _single(row.line.get("summary"))
        meta = row.line.get("meta") or {}
        found = article_of(row.line)
        if summary is None or found.text is None:
            skipped.append(f"{row.run}/{row.id}: {found.missing or 'no summary in one language'}")
            continue
        name = _case_name(row.run, row.id)
        article = meta.get("article") or {}
        case = gold_case(summary, str(meta.get("schema")), str(meta.get("lang")))
        case = {"article": f"{name}.txt", "source_language": article.get("source_language"),
                "metadata": {k: article[k] for k in ("published", "outlet", "url", "title")
                             if article.get(k)},
                "tags": ["desk", "corrected" if fixed is not None else "approved"],
                **case}  # fmt: skip
        (folder / f"{name}.txt").write_text(found.text, encoding="utf-8")
        (folder / f"{name}.json").write_text(
            json.dumps(case, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        written.append(folder / f"{name}.json")
    for stale in folder.glob(f"{_PREFIX}*"):  # cases no longer approved (marked wrong since)
        if stale.with_suffix(".json") not in written:
            stale.unlink()
    return Exported(written, skipped)


def gold_case(summary: dict[str, Any], schema: str, lang: str) -> dict[str, Any]:
    """The rules of one schema's section, from a reviewed summary in ``lang``."""

    def said(value: Any) -> dict[str, list[str]]:
        return {lang: [value]} if value else {}

    if schema == "cooperation":
        return {"cooperation": {
            "framework": said(summary.get("framework")) or None,
            "parties_contains": {lang: list(summary.get("parties") or [])},
            "area_categories_required": sorted({a["category"] for a in summary.get("areas") or []}),
        }}  # fmt: skip
    location = summary.get("location") or {}
    rules: dict[str, Any] = {
        "meeting_type": [summary.get("meeting_type")],
        "date": summary.get("date"),
        "location": {"city": said(location.get("city")), "country": said(location.get("country"))},
        "participants": [
            {"name": said(p.get("name")), "name_source_contains": p.get("name_source"),
             "country": said(p.get("country")), "role": [p.get("role")]}
            for p in summary.get("participants") or []
        ],
        "participants_count": len(summary.get("participants") or []),
        "topic_categories_required": sorted({t["category"] for t in summary.get("topics") or []}),
        "outcomes_count": len(summary.get("outcomes") or []),
    }  # fmt: skip
    if summary.get("date_text"):
        rules["date_text_contains"] = summary["date_text"]
    return {"meeting": rules}


def corrections_by_field(desk: Desk) -> list[tuple[str, int, int]]:
    """``(field, results corrected there, results reviewed)``, most corrected first: how
    often the model's answer to each field needed a correction."""
    reviews = desk.reviews()
    reviewed = {(r.run, r.id) for r in reviews}
    corrected: dict[str, set[tuple[str, str]]] = {}
    for review in reviews:
        if review.action in ("correct", "wrong") and review.field:
            field = re.split(r"[.\[]", review.field, maxsplit=1)[0]
            corrected.setdefault(field, set()).add((review.run, review.id))
    counts = Counter({field: len(results) for field, results in corrected.items()})
    return [(field, n, len(reviewed)) for field, n in counts.most_common()]


def _single(summary: Any) -> dict[str, Any] | None:
    return summary if isinstance(summary, dict) and "headline" in summary else None


def _case_name(run: str, ident: str) -> str:
    """A file name per result: readable, and told apart by a hash of the exact run and id
    ("case 1" and "case_1" read alike)."""
    digest = hashlib.sha256(f"{run}\n{ident}".encode()).hexdigest()[:8]
    readable = re.sub(r"[^A-Za-z0-9.-]+", "_", f"{run}_{ident}")[-60:]
    return f"{_PREFIX}{readable}_{digest}"

"""Reports: the checked meeting summaries of batch runs, with what resolution compares.

A report is one ``ok`` or ``partial`` line of a batch's ``results.jsonl`` whose schema is
``meeting``. Its canonical ids are read again on load (``canonical.annotate``), so runs made
before the ids existed resolve like new ones, and a better alias table improves old runs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..canonical import annotate
from ..dates import read_date
from ..errors import InputError
from ..schemas import MeetingSummary
from ..translit import skeleton

RESULTS = "results.jsonl"
EVENT_STATUSES = frozenset({"ok", "partial"})
# Meeting types that gather many sides: a summit is not the bilateral held on its sidelines.
MANY_SIDES = frozenset({"conference", "multilateral"})


@dataclass(frozen=True)
class Report:
    """One article's checked summary and the features resolution compares."""

    id: str
    run: str
    outlet: str | None
    url: str | None
    lang: str | None  # the article's language
    published: dt.date | None
    summary: dict[str, Any]  # the checked summary, in its output language
    day: dt.date | None
    loose_day: bool  # a Hijri or relative date: one day either way is the same event
    parties: frozenset[str]  # canonical ids of the parties and the participants' countries
    people: tuple[str, ...]  # person keys
    call: bool
    many_sides: bool
    place: tuple[str | None, str | None]  # (country code, city skeleton)

    def ref(self) -> dict[str, Any]:
        """The report as an event lists it."""
        return {
            "run": self.run,
            "id": self.id,
            "outlet": self.outlet,
            "url": self.url,
            "lang": self.lang,
            "published": self.published.isoformat() if self.published else None,
        }

    def to_line(self) -> dict[str, Any]:
        """What the events directory keeps of a report (``reports.jsonl``)."""
        return {**self.ref(), "summary": self.summary}


def report_from(
    line: dict[str, Any], run: str, article: dict[str, Any] | None = None
) -> Report | None:
    """The report a results line stands for; None for anything that is not a checked meeting."""
    meta = line.get("meta") or {}
    if line.get("status") not in EVENT_STATUSES or meta.get("schema", "meeting") != "meeting":
        return None
    raw = line.get("summary")
    if isinstance(raw, dict) and "headline" not in raw:  # lang both: {"en": ..., "ar": ...}
        raw = raw.get("en") or next(iter(raw.values()), None)
    if not isinstance(raw, dict):
        return None
    try:
        summary = MeetingSummary.model_validate(raw)
    except ValidationError:
        return None
    annotate(summary)
    article = article if article is not None else meta.get("article") or {}
    published = _date(article.get("published"))
    return _features(str(line.get("id")), run, article, published, summary)


def _features(
    ident: str, run: str, article: dict[str, Any], published: dt.date | None, s: MeetingSummary
) -> Report:
    reading = read_date(s.date_text, published) if s.date_text else None
    loose = reading is not None and (reading.relative or reading.calendar == "hijri")
    parties = {p for p in s.party_ids if p} | {
        p.country_code for p in s.participants if p.country_code
    }
    city = " ".join(skeleton(s.location.city)) if s.location and s.location.city else None
    return Report(
        id=ident,
        run=run,
        outlet=article.get("outlet"),
        url=article.get("url"),
        lang=article.get("source_language") or article.get("lang"),
        published=published,
        summary=s.model_dump(mode="json"),
        day=s.date,
        loose_day=loose,
        parties=frozenset(parties),
        people=tuple(p.person_key for p in s.participants if p.person_key),
        call=s.meeting_type == "call",
        many_sides=s.meeting_type in MANY_SIDES or len(parties) >= 3,
        place=(s.location.country_code if s.location else None, city or None),
    )


def read_run(run_dir: Path) -> Iterator[Report]:
    """Every report of one batch run (its directory holds ``results.jsonl``)."""
    for line in read_jsonl(run_dir / RESULTS):
        report = report_from(line, run_dir.name) if isinstance(line, dict) else None
        if report is not None:
            yield report


def read_jsonl(path: Path) -> list[Any]:
    """The JSON values of a JSON-lines file; a line that is not JSON, or a file that is not
    UTF-8, is an ``InputError`` naming where."""
    values = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    for number, text in enumerate(lines, 1):
        if text.strip():
            try:
                values.append(json.loads(text))
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from None
    return values


def read_kept(line: dict[str, Any]) -> Report | None:
    """A report as the events directory kept it (``Report.to_line``)."""
    wrapped = {"id": line["id"], "status": "ok", "summary": line["summary"]}
    return report_from(wrapped, line["run"], article=line)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None

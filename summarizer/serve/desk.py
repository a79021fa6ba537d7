"""The review desk's data: the batch runs under ``DATA/runs``, and the reviews kept beside
them in ``DATA/reviews.jsonl``, an audit trail that is only ever appended to.

A result is read from its run's ``results.jsonl`` as the batch wrote it; a review never
changes that file. Each review line says who did what to which result and when; what a
result's review state is comes from reading its lines in order, so nothing is overwritten
and every change can be traced.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..briefing.clean import clean, clean_text
from ..errors import InputError
from ..events.reports import RESULTS

RUNS = "runs"
REVIEWS = "reviews.jsonl"
GOLD = "gold"  # where reviewed results are written as gold cases
ACTIONS = ("approve", "wrong", "correct")
# The fields of a summary an analyst can mark wrong.
FIELDS = (
    "headline", "summary", "meeting_type", "date", "location", "participants", "topics",
    "outcomes", "parties",
)  # fmt: skip


@dataclass
class Row:
    """One result as the lists show it: its shown texts cleaned of control and bidi
    characters; ``line`` as the batch wrote it (``shown()`` cleans it for a page)."""

    run: str
    id: str
    status: str
    headline: str
    outlet: str
    published: str
    lang: str
    countries: frozenset[str]  # ISO codes and organisation ids (org:nato) the summary names
    areas: frozenset[str]  # topic and cooperation-area categories
    line: dict[str, Any]

    def matches(self, query: Query) -> bool:
        if query.status and self.status != query.status:
            return False
        if query.outlet and self.outlet != query.outlet:
            return False
        if query.country and query.country.upper() not in self.countries:
            return False
        if query.organisation and f"org:{query.organisation.lower()}" not in self.countries:
            return False
        if query.area and query.area not in self.areas:
            return False
        if query.since and (not self.published or self.published < query.since):
            return False
        if query.until and (not self.published or self.published > query.until):
            return False
        if query.text:
            return query.text.casefold() in self.haystack
        return True

    @cached_property
    def haystack(self) -> str:
        """What a search looks in: the id and the whole summary, casefolded; made on the
        first search, not when 10,000 rows are read."""
        summary = json.dumps(self.line.get("summary"), ensure_ascii=False)
        return f"{self.id}\n{summary}".casefold()

    def shown(self) -> dict[str, Any]:
        """The results line, cleaned for a page."""
        return dict(clean(self.line))


@dataclass(frozen=True)
class Query:
    """The results list's filters, as the form sends them; empty means any."""

    status: str = ""
    outlet: str = ""
    country: str = ""
    organisation: str = ""  # an id of the organisation table without "org:": nato, gcc
    area: str = ""
    since: str = ""
    until: str = ""
    text: str = ""


@dataclass(frozen=True)
class Review:
    """One line of the audit trail. A correction keeps the field's path, the value given
    and the whole summary as corrected (checked before it is kept)."""

    at: str
    who: str
    run: str
    id: str
    action: str
    field: str | None
    note: str
    value: str | None = None
    summary: dict[str, Any] | None = None


class Desk:
    """The data directory of one desk."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self._lock = threading.Lock()  # one appender at a time; readers read whole lines
        self._read: dict[str, tuple[tuple[int, int], list[Row]]] = {}
        self._reading = threading.Lock()

    def runs(self) -> list[str]:
        folder = self.data / RUNS
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if (p / RESULTS).is_file())

    def rows(self) -> Iterator[Row]:
        """Every result of every run, cleaned of control and bidi characters. A run's rows
        are read once and kept until its results file changes (a batch still running)."""
        for run in self.runs():
            path = self.data / RUNS / run / RESULTS
            with self._reading:  # two requests at once read a run once, not twice
                stat = path.stat()
                stamp = (stat.st_mtime_ns, stat.st_size)
                kept = self._read.get(run)
                if kept is None or kept[0] != stamp:
                    lines = _results(path)
                    rows = [_row(run, x) for x in lines if isinstance(x, dict) and _has_id(x)]
                    kept = self._read[run] = (stamp, rows)
            yield from kept[1]

    def row(self, run: str, ident: str) -> Row | None:
        if run not in self.runs():  # never a path built from the request
            return None
        return next((r for r in self.rows() if r.run == run and r.id == ident), None)

    def reviews(self, run: str | None = None, ident: str | None = None) -> list[Review]:
        path = self.data / REVIEWS
        if not path.is_file():
            return []
        kept = [Review(**clean(line)) for line in _results(path) if _is_review(line)]
        return [
            r for r in kept if (run is None or r.run == run) and (ident is None or r.id == ident)
        ]

    def states(self) -> dict[tuple[str, str], str]:
        """Each reviewed result's state (``state_of``); a result with no review is not in it
        (``unreviewed``). The audit trail is read once."""
        return {(r.run, r.id): VERDICTS[r.action] for r in self.reviews()}

    def corrections(self) -> dict[tuple[str, str], Review]:
        """Each corrected result's last correction, whose summary stands for it; the audit
        trail read once, for loops over every result."""
        return {(r.run, r.id): r for r in self.reviews() if r.action == "correct"}

    def corrected(self, run: str, ident: str) -> Review | None:
        """One result's last correction; None if never corrected."""
        return last_correction(self.reviews(run, ident))

    def reviewed_runs(self, folder: Path) -> list[Path]:
        """Every run written again into ``folder`` with its corrections applied (the same
        run names), for what is built from the results: events and their digest."""
        runs = []
        fixes = self.corrections()
        for run in self.runs():
            target = folder / run
            target.mkdir(parents=True, exist_ok=True)
            lines = [
                json.dumps(reviewed_line(r.line, fixes.get((r.run, r.id))), ensure_ascii=False)
                for r in self.rows()
                if r.run == run
            ]
            (target / RESULTS).write_text("".join(f"{x}\n" for x in lines), encoding="utf-8")
            runs.append(target)
        return runs

    def record(self, review: Review) -> None:
        """Append one review; the file is opened for appending only, and synced."""
        if review.action not in ACTIONS:
            raise InputError(f"unknown review action {review.action!r}")
        if review.action == "wrong" and review.field not in FIELDS:
            raise InputError(f"unknown field {review.field!r}")
        if review.action == "correct" and review.summary is None:
            raise InputError("a correction keeps the corrected summary")
        line = json.dumps(review.__dict__, ensure_ascii=False) + "\n"
        with self._lock, (self.data / REVIEWS).open("a+", encoding="utf-8") as out:
            # A line cut short (a crash, a full disk) is closed first, not glued to this one.
            if out.tell() and not _ends_with_newline(out.name):
                line = "\n" + line
            out.write(line)
            out.flush()
            os.fsync(out.fileno())


# What the last review of a result makes it: an approval after a correction stands, and the
# other way round.
VERDICTS = {"approve": "approved", "wrong": "wrong", "correct": "corrected"}


def state_of(reviews: list[Review]) -> str:
    """One result's state from its reviews, in order."""
    return VERDICTS[reviews[-1].action] if reviews else "unreviewed"


def last_correction(reviews: list[Review]) -> Review | None:
    corrections = [r for r in reviews if r.action == "correct"]
    return corrections[-1] if corrections else None


def _has_id(line: dict[str, Any]) -> bool:
    return isinstance(line.get("id"), str)


def _is_review(line: Any) -> bool:
    """A whole review line: one cut short or edited into another shape is passed over."""
    names = {f for f in Review.__dataclass_fields__}
    required = {"at", "who", "run", "id", "action", "field", "note"}
    return isinstance(line, dict) and required <= line.keys() <= names


def _ends_with_newline(path: str) -> bool:
    with open(path, "rb") as file:
        file.seek(-1, os.SEEK_END)
        return file.read(1) == b"\n"


def reviewed_line(line: dict[str, Any], fixed: Review | None) -> dict[str, Any]:
    """A results line with the summary a correction gave it, if any."""
    return {**line, "summary": fixed.summary} if fixed is not None else line


def _results(path: Path) -> Iterator[Any]:
    """The lines of a results file that hold JSON. A batch running from the inbox may be
    writing its last line: that line is read on the next request, when it is whole."""
    for text in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            yield json.loads(text)
        except json.JSONDecodeError:
            continue


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _row(run: str, line: dict[str, Any]) -> Row:
    summary = line.get("summary") or {}
    if isinstance(summary, dict) and "en" in summary and "headline" not in summary:
        summary = summary["en"]  # a bilingual result lists under its English headline
    article = (line.get("meta") or {}).get("article") or {}
    codes = {p.get("country_code") for p in summary.get("participants") or []}
    codes |= set(summary.get("party_ids") or [])
    codes.add((summary.get("location") or {}).get("country_code"))
    areas = {t.get("category") for t in summary.get("topics") or []}
    areas |= {a.get("category") for a in summary.get("areas") or []}
    return Row(
        run=run,
        id=clean_text(line["id"]),
        status=clean_text(str(line.get("status") or "error")),
        headline=clean_text(str(summary.get("headline") or line.get("error") or "")),
        outlet=clean_text(str(article.get("outlet") or "")),
        published=clean_text(str(article.get("published") or "")),
        lang=clean_text(str(article.get("source_language") or "")),
        countries=frozenset(c for c in codes if isinstance(c, str)),
        areas=frozenset(a for a in areas if isinstance(a, str)),
        line=line,
    )

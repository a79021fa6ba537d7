"""Which reports tell of the same event: blocking by day and party, then a rule per pair.

Record linkage is usually a learned score over all pairs in a block (splink's Fellegi-Sunter
model on DuckDB). Here the comparisons are few and each is a rule an analyst can state, and
the facts are already checked and canonical (ids, person keys), so a scored blocking of our
own does the job with no training data, no database and no new dependency, deterministically:

1. **Blocking.** A report is filed under each day it may be on (its date and the day either
   side, or, undated, the days up to ``WINDOW_DAYS`` before its publication) crossed with
   each pair of its parties (its one party, if it knows only one) and the country and family
   name of each person it names. Only reports that share a block are ever compared, never
   all pairs, and a busy day for one country is not one block. (A report that knows one side
   of a meeting joins the others through a person, not through the party alone.)
2. **A rule per pair** (``compatible``): a call is never an in-person meeting; a summit is
   never the bilateral held on its sidelines; two places in different countries are two
   events; the days must agree (one day apart only for a Hijri or relative date, or when the
   same person is named on both sides with most parties shared: a conflict the event then
   shows); and the two must share a person or, where one names nobody, most of their parties
   (two reports that both name who took part and share nobody are two meetings of one visit).
3. **Grouping.** Compatible pairs are taken strongest first, and two groups merge only when
   every report of one is compatible with every report of the other: a chain of look-alikes
   (Monday's meeting, Tuesday's report of it, Wednesday's second meeting) never collapses
   into one event.

The order of the input does not matter: reports are sorted by their key first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

from ..canonical import same_person
from .reports import Report

WINDOW_DAYS = 3  # an undated report tells of an event at most this many days before it
ONE_DAY = dt.timedelta(days=1)


def _days(report: Report) -> list[dt.date]:
    if report.day is not None:
        return [report.day - ONE_DAY, report.day, report.day + ONE_DAY]
    if report.published is not None:
        return [report.published - k * ONE_DAY for k in range(WINDOW_DAYS + 1)]
    return []


def _blocks(report: Report) -> set[tuple[dt.date, str]]:
    parties = sorted(report.parties)
    names = [f"sides:{a}|{b}" for a, b in combinations(parties, 2)] or [
        f"side:{p}" for p in parties
    ]
    # a person's country and family name: "KW:slm-nz" files under "KW:nz"
    names += [f"person:{_family(key)}" for key in report.people]
    return {(day, name) for day in _days(report) for name in names}


def _family(person_key: str) -> str:
    country, _, name = person_key.partition(":")
    return f"{country}:{name.rsplit('-', 1)[-1]}"


def _shares_person(a: Report, b: Report) -> bool:
    return any(same_person(x, y) for x in a.people for y in b.people)


def _party_overlap(a: Report, b: Report) -> float:
    union = a.parties | b.parties
    return len(a.parties & b.parties) / len(union) if union else 0.0


def compatible(a: Report, b: Report) -> bool:
    """Whether two reports may tell of one event (see the module's rules)."""
    if a.call != b.call or a.many_sides != b.many_sides:
        return False
    country_a, country_b = a.place[0], b.place[0]  # another city: a conflict, not two events
    if country_a and country_b and country_a != country_b:
        return False
    person = _shares_person(a, b)
    parties = _party_overlap(a, b)
    strong = person and parties >= 0.5
    if not _days_agree(a, b, strong):
        return False
    if a.people and b.people and not person:
        # Both name who took part and nobody matches: a visitor's day of separate meetings
        # (the chief of staff, then the minister) is reported as separate news.
        return False
    return person or parties >= 0.5


def _days_agree(a: Report, b: Report, strong: bool) -> bool:
    if a.day is not None and b.day is not None:
        gap = abs((a.day - b.day).days)
        return gap == 0 or (gap == 1 and (a.loose_day or b.loose_day or strong))
    dated, undated = (a, b) if a.day is not None else (b, a)
    if dated.day is None:  # neither dated: published within a day of each other
        pa, pb = a.published, b.published
        return strong and pa is not None and pb is not None and abs((pa - pb).days) <= 1
    if undated.published is None or not strong:
        return False
    return undated.published - WINDOW_DAYS * ONE_DAY <= dated.day <= undated.published


def _strength(a: Report, b: Report) -> float:
    same_day = a.day is not None and a.day == b.day
    return 2.0 * _shares_person(a, b) + _party_overlap(a, b) + 0.5 * same_day


def candidate_pairs(reports: list[Report]) -> set[tuple[int, int]]:
    """Index pairs that share a block (i < j)."""
    blocks: dict[tuple[dt.date, str], list[int]] = defaultdict(list)
    for i, report in enumerate(reports):
        for block in _blocks(report):
            blocks[block].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                pairs.add((i, j))
    return pairs


def group(reports: Iterable[Report]) -> list[list[Report]]:
    """The reports grouped into events, each group and the list in a stable order."""
    ordered = sorted(reports, key=lambda r: (r.id, r.run))
    scored = sorted(
        (-_strength(ordered[i], ordered[j]), i, j)
        for i, j in candidate_pairs(ordered)
        if compatible(ordered[i], ordered[j])
    )
    compatible_pairs = {(i, j) for _, i, j in scored}
    owner = list(range(len(ordered)))  # group id per report
    members: dict[int, list[int]] = {i: [i] for i in range(len(ordered))}
    for _, i, j in scored:
        gi, gj = owner[i], owner[j]
        if gi == gj:
            continue
        if all(
            (min(x, y), max(x, y)) in compatible_pairs for x in members[gi] for y in members[gj]
        ):
            keep, gone = min(gi, gj), max(gi, gj)
            for x in members[gone]:
                owner[x] = keep
            members[keep] += members.pop(gone)
    return [[ordered[i] for i in sorted(ids)] for _, ids in sorted(members.items())]

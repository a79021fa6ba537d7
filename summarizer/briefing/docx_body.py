"""What a DOCX briefing says, section by section: the HTML template's order and labels.

Kept apart from ``docx.py`` (how OOXML is written) so that a change of content reads like a
change of the template, and a change of right-to-left mechanics touches only the writer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..schemas import CooperationSummary, MeetingSummary
from .context import Briefing, Section

if TYPE_CHECKING:
    from .docx import DocxWriter

ACCENT, MUTED = "0D4A8A", "5D6978"


def write_section(w: DocxWriter, sec: Section, b: Briefing) -> None:
    """One language's briefing: header, lead, key facts, fact lists, background, footer."""
    L, s = sec.L, sec.s
    source = b.source_line(sec)
    kicker = w.para(sec.lang)
    w.text(kicker, sec.kicker, sec.lang, bold=True, color=ACCENT, size=9)
    if source:
        w.text(kicker, f" · {source}", sec.lang, color=MUTED, size=9)
    w.heading(s.headline if s else L["no_event"], sec.lang, 1)
    if s is None:
        w.text(w.para(sec.lang), b.meta.no_event or "", sec.lang)
    else:
        w.text(w.para(sec.lang), s.summary, sec.lang)
        partial = b.partial_note(sec)
        if partial:
            w.text(w.para(sec.lang), partial, sec.lang, bold=True)
        if isinstance(s, MeetingSummary):
            _meeting(w, sec, s)
        else:
            _cooperation(w, sec, s)
        if s.background:
            _plain_list(w, sec, L["background"], s.background)
    footer = w.para(sec.lang)
    if b.meta.warnings:
        w.text(footer, f"{L['warnings']}: {'; '.join(b.meta.warnings)}\n", sec.lang, size=8)
    made = L["replayed"] if b.replayed else f"{L['generated']} {b.meta.model}"
    w.text(footer, f"{made} · {L['prompt']} {b.meta.prompt_version}", sec.lang, color=MUTED, size=8)


def _meeting(w: DocxWriter, sec: Section, s: MeetingSummary) -> None:
    L = sec.L
    date = sec.day(s.date) or L["date_unknown"]
    if s.date_text:
        date += f" ({L['as_written']}: «{s.date_text}»)"
    rows = [(L["date"], date)]
    if sec.place():
        rows.append((L["location"], sec.place()))
    rows.append((L["type"], sec.code[s.meeting_type]))
    if s.parties:
        rows.append((L["parties"], sec.join(list(s.parties))))
    w.facts_table(sec, rows)

    w.heading(L["participants"], sec.lang, 2)
    for p in s.participants:
        name = p.name or p.title or ""
        source = f" ({p.name_source})" if p.name_source and p.name_source != p.name else ""
        office = sec.join([p.title if p.name else None, p.organization, p.country])
        w.item(
            sec,
            [
                (name, True),
                (source, False),
                (f"{sec.sep}{office}" if office else "", False),
                (f" — {sec.code[p.role]}", False),
            ],
            p.evidence,
        )
    _none_if_empty(w, sec, s.participants)
    w.heading(L["topics"], sec.lang, 2)
    for t in s.topics:
        details = f": {t.details}" if t.details else ""
        w.item(sec, [(t.title, True), (f" ({sec.area[t.category]}){details}", False)], t.evidence)
    _none_if_empty(w, sec, s.topics)
    w.heading(L["outcomes"], sec.lang, 2)
    for o in s.outcomes:
        w.item(sec, [(f"{sec.code[o.kind]}: ", True), (o.description, False)], o.evidence)
    _none_if_empty(w, sec, s.outcomes)
    if s.next_steps:
        _plain_list(w, sec, L["next_steps"], s.next_steps)
    if s.other_events:
        w.heading(L["other_events"], sec.lang, 2)
        for e in s.other_events:
            w.item(sec, [(e.description, False)], e.evidence)


def _cooperation(w: DocxWriter, sec: Section, s: CooperationSummary) -> None:
    L = sec.L
    rows = [(L["parties"], sec.join([p.name for p in s.parties]))]
    if s.framework:
        rows.insert(0, (L["framework"], s.framework))
    w.facts_table(sec, rows)
    w.heading(L["parties"], sec.lang, 2)
    for p in s.parties:
        w.item(sec, [(p.name, True), (f"{sec.sep}{p.role}" if p.role else "", False)], p.evidence)
    w.heading(L["areas"], sec.lang, 2)
    for a in s.areas:
        w.item(sec, [(f"{sec.area[a.category]}: ", True), (a.description, False)], a.evidence)
    _none_if_empty(w, sec, s.areas)
    for label, items in (
        ("mechanisms", s.mechanisms),
        ("challenges", s.challenges),
        ("outlook", s.outlook),
    ):
        if items:
            _plain_list(w, sec, L[label], items)


def _plain_list(w: DocxWriter, sec: Section, title: str, items: list[str]) -> None:
    w.heading(title, sec.lang, 2)
    for item in items:
        w.item(sec, [(item, False)])


def _none_if_empty(w: DocxWriter, sec: Section, items: Sequence[object]) -> None:
    if not items:
        w.text(w.para(sec.lang), sec.L["none_reported"], sec.lang, color=MUTED)

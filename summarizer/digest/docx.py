"""A digest as DOCX: the HTML digest's order and labels, through the briefing's OOXML writer
(right to left in Arabic, script runs marked, evidence highlighted)."""

from __future__ import annotations

from ..briefing.docx import DocxWriter
from ..briefing.docx_body import ACCENT, MUTED
from .content import Digest, EventView, Section


def digest_to_docx(digest: Digest) -> bytes:
    writer = DocxWriter()
    for i, sec in enumerate(digest.sections):
        if i:
            writer.page_break()
        _section(writer, sec, digest)
    return writer.saved(rtl=digest.sections[0].rtl)


def _section(w: DocxWriter, sec: Section, d: Digest) -> None:
    L, lang = sec.L, sec.lang
    w.heading(f"{L['title']}: {d.period_text(sec)}", lang, 1)
    count = L["events_reports"].format(events=len(sec.events), reports=d.reports)
    w.text(w.para(lang), count, lang, color=MUTED)
    if not sec.events:
        w.text(w.para(lang), L["no_events"], lang)
        return
    w.heading(L["who_met_whom"], lang, 2)
    header = [L["date"], L["host"], L["other_side"], L["place"]]
    w.table(lang, [header, *([e.day, e.hosts, e.guests, e.place] for e in sec.events)])
    w.heading(L["areas"], lang, 2)
    w.table(lang, [[L["area"], L["count"]], *([area, str(n)] for area, n in sec.areas)])
    for group in sec.groups:
        w.heading(group.label, lang, 1)
        for event in group.events:
            _event(w, sec, event)
    w.heading(L["quotes"], lang, 2)
    w.text(w.para(lang), L["quotes_note"], lang, color=MUTED, size=9)
    for fact in sec.facts:
        if not fact.quotes:
            continue
        paragraph = w.para(lang)
        w.text(paragraph, f"[{fact.n}] ", lang, bold=True, color=ACCENT)
        w.text(paragraph, fact.text, lang, bold=True)
        for quote in fact.quotes:
            line = w.para(lang, style="List Bullet")
            w.text(line, quote.text, quote.lang or lang, highlight=True)
            where = f" [{quote.start}–{quote.end}]" if quote.start is not None else ""
            w.text(line, f" — {quote.outlet}{where}", lang, color=MUTED, size=9)
            if quote.link:
                w.text(line, f" {quote.link}", "en", color=ACCENT, size=8)
    made = (
        L["replayed"]
        if d.replayed
        else f"{L['written_by']} {d.model}"
        if d.model
        else L["paragraph_off"]
    )
    w.text(w.para(lang), f"{L['facts_note']} {made}", lang, color=MUTED, size=8)


def _event(w: DocxWriter, sec: Section, e: EventView) -> None:
    L, lang = sec.L, sec.lang
    w.heading(" · ".join(x for x in (e.day, e.place, e.kind) if x), lang, 2)
    if e.paragraph.text:
        w.text(w.para(lang), e.paragraph.text, lang)
    else:
        w.text(w.para(lang), e.note or "", lang, bold=True)
    for fact in e.facts:
        line = w.para(lang, style="List Bullet")
        w.text(line, f"{L[fact.kind + '_fact']}: ", lang, bold=True)
        w.text(line, fact.text, lang)
        if fact.quotes:
            w.text(line, f" [{fact.n}]", lang, color=ACCENT, size=8)
    if e.conflicts:
        w.text(w.para(lang), L["conflicts"], lang, bold=True)
        for conflict in e.conflicts:
            w.text(w.para(lang, style="List Bullet"), conflict, lang)
    w.text(w.para(lang), L["sources"], lang, bold=True)
    for s in e.sources:
        shown = " · ".join(x for x in (s.outlet, s.lang, s.published, s.link or s.url) if x)
        w.text(w.para(lang, style="List Bullet"), shown, lang, size=9)

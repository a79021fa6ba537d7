"""What a digest shows, worked out once for every format: sections per language, events
grouped by their parties, numbered facts with their quotes, conflicts in plain words, the
who-met-whom table and the counts by cooperation area.

Built from a cleaned copy of the events and reports (``briefing.clean``): no format ever
sees a control character or a bidi override from a report's summary or its metadata. Facts
are numbered once, in digest order, so a fact has the same number in every language and
format; each number leads to the fact's quotes, each in the report it came from.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count
from typing import TYPE_CHECKING, Any
from urllib.parse import quote as percent

from ..briefing.clean import clean, http_url
from ..briefing.context import Directed, format_day
from ..briefing.labels import AREAS, CODES, SEPARATORS
from ..canonical import display_name
from ..script import has_arabic_letters
from .labels import DIGEST_LABELS

if TYPE_CHECKING:
    from .paragraph import Written

# A text fragment longer than this is linked by its first and last words (textStart,textEnd).
_FRAGMENT_WORDS = 8


@dataclass(frozen=True)
class Quote:
    """One report's words for a fact: what the model quoted and where, and the report."""

    report: str
    outlet: str
    lang: str | None  # the report's language: the quote is in it
    text: str
    start: int | None
    end: int | None
    link: str | None  # the report's http(s) URL, opened at the quote where browsers can


@dataclass(frozen=True)
class Fact:
    n: int
    kind: str  # date, participant, topic, outcome
    text: str
    quotes: list[Quote]


@dataclass(frozen=True)
class Source:
    outlet: str
    lang: str | None
    published: str | None
    link: str | None
    url: str | None  # as given, shown as text when it may not be a link


@dataclass(frozen=True)
class Paragraph:
    """An event's paragraph in one language, or why it is missing."""

    text: str | None
    missing: str | None = None  # why the model's paragraph is not here; None: not asked for


@dataclass
class EventView:
    id: str
    anchor: str
    day: str  # the date as the reader writes it, or "date not given"
    place: str
    kind: str
    paragraph: Paragraph
    facts: list[Fact]
    conflicts: list[str]
    sources: list[Source]
    hosts: str
    guests: str
    L: dict[str, str]

    @property
    def note(self) -> str | None:
        """What stands where the paragraph is missing, in the event's language."""
        if self.paragraph.text is not None:
            return None
        if self.paragraph.missing is None:
            return self.L["paragraph_off"]
        return self.L["no_paragraph"].format(reason=self.paragraph.missing)


@dataclass
class Group:
    label: str
    events: list[EventView]


@dataclass
class Section(Directed):
    lang: str
    groups: list[Group]
    areas: list[tuple[str, int]]
    L: dict[str, str] = field(init=False)
    sep: str = field(init=False)

    def __post_init__(self) -> None:
        self.L, self.sep = DIGEST_LABELS[self.lang], SEPARATORS[self.lang]

    @property
    def events(self) -> list[EventView]:
        return [e for g in self.groups for e in g.events]

    @property
    def facts(self) -> list[Fact]:
        return [f for e in self.events for f in e.facts]

    def fact_anchor(self, fact: Fact) -> str:
        return f"{self.lang}-fact-{fact.n}"

    def quote_anchor(self, fact: Fact) -> str:
        return f"{self.lang}-quote-{fact.n}"


@dataclass
class Digest:
    sections: list[Section]
    start: dt.date | None
    end: dt.date | None
    reports: int
    model: str | None  # who wrote the paragraphs; None when none were asked for
    replayed: bool = False
    written: Written | None = None  # what asking for the paragraphs did

    @property
    def event_count(self) -> int:
        """How many events the period holds (every section shows all of them)."""
        return len(self.sections[0].events) if self.sections else 0

    def period_text(self, section: Section) -> str:
        L = section.L
        start, end = format_day(self.start, section.lang), format_day(self.end, section.lang)
        if start and end:
            return L["from_to"].format(start=start, end=end)
        if start:
            return L["from"].format(start=start)
        if end:
            return L["to"].format(end=end)
        return L["all_dates"]


def event_day(event: dict[str, Any]) -> dt.date | None:
    """The day an event is filed under: its date, else its earliest report's publication."""
    if event.get("date"):
        return dt.date.fromisoformat(event["date"])
    published = [r["published"] for r in event["reports"] if r.get("published")]
    return dt.date.fromisoformat(min(published)) if published else None


def build_sections(
    events: list[dict[str, Any]],
    summaries: dict[str, dict[str, Any]],
    langs: list[str],
    paragraphs: dict[tuple[str, str], Paragraph],
) -> list[Section]:
    """One section per language; ``summaries`` are the reports' checked summaries by id."""
    events, summaries, paragraphs = clean(events), clean(summaries), clean(paragraphs)
    sections = []
    for lang in langs:
        numbers = count(1)
        grouped: dict[tuple[str, ...], list[EventView]] = {}
        labels: dict[tuple[str, ...], str] = {}
        for event in events:
            key = _group_key(event)
            labels.setdefault(key, _group_label(event, lang))
            view = _view(event, summaries, lang, numbers, paragraphs)
            grouped.setdefault(key, []).append(view)
        groups = [Group(labels[key], views) for key, views in grouped.items()]
        sections.append(Section(lang, groups, _areas(events, lang)))
    return sections


def _group_key(event: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(p["id"] or p["names"][0] for p in event["parties"])) or ("",)


def _group_label(event: dict[str, Any], lang: str) -> str:
    names = sorted(_party_name(p, lang) for p in event["parties"])
    return " – ".join(names) if names else "—"


def _party_name(party: dict[str, Any], lang: str) -> str:
    shown = display_name(party["id"], lang) if party["id"] else None
    return shown or _in_language(party["names"], lang)


def _in_language(names: list[str], lang: str) -> str:
    """The first of ``names`` in ``lang``'s script, else the first."""
    chosen = [n for n in names if has_arabic_letters(n) == (lang == "ar")]
    return (chosen or names or [""])[0]


def _areas(events: list[dict[str, Any]], lang: str) -> list[tuple[str, int]]:
    counts = Counter(t["category"] or "other" for e in events for t in e["topics"])
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(AREAS[lang].get(category, AREAS[lang]["other"]), n) for category, n in ranked]


def _view(
    event: dict[str, Any],
    summaries: dict[str, dict[str, Any]],
    lang: str,
    numbers: Iterator[int],
    paragraphs: dict[tuple[str, str], Paragraph],
) -> EventView:
    L, sep = DIGEST_LABELS[lang], SEPARATORS[lang]
    outlets = outlets_of(event)
    links = {r["id"]: http_url(r.get("url")) for r in event["reports"]}
    facts = _facts(
        event,
        summaries,
        lang,
        numbers,
        outlets,
        links,
        {
            r["id"]: r.get("lang") if r.get("lang") in DIGEST_LABELS else None
            for r in event["reports"]
        },
    )
    hosts, guests = _sides(event, lang)
    kind = meeting_type(event, summaries)
    return EventView(
        id=event["id"],
        anchor=f"{lang}-{event['id']}",
        day=format_day(event.get("date"), lang) or L["undated"],
        place=_place(event.get("location"), lang),
        kind=CODES[lang].get(kind or "other", CODES[lang]["other"]),
        paragraph=paragraphs.get((event["id"], lang), Paragraph(None)),
        facts=facts,
        conflicts=[describe(c, outlets, lang) for c in event["conflicts"]],
        sources=[
            Source(
                outlets[r["id"]],
                r.get("lang"),
                format_day(r.get("published"), lang),
                links[r["id"]],
                r.get("url"),
            )  # fmt: skip
            for r in event["reports"]
        ],
        hosts=sep.join(hosts),
        guests=sep.join(guests),
        L=L,
    )


def _facts(
    event: dict[str, Any],
    summaries: dict[str, dict[str, Any]],
    lang: str,
    numbers: Iterator[int],
    outlets: dict[str, str],
    links: dict[str, str | None],
    langs: dict[str, str | None],
) -> list[Fact]:
    def quotes(evidence: list[dict[str, Any]]) -> list[Quote]:
        return [
            Quote(e["report"], outlets[e["report"]], langs[e["report"]], e["quote"], e.get("start"),
                  e.get("end"), fragment_link(links[e["report"]], e["quote"]))
            for e in evidence
            if e.get("quote")
        ]  # fmt: skip

    facts = []
    if event.get("date"):
        dated = [
            {"report": r["id"], "quote": summaries.get(r["id"], {}).get("date_text")}
            for r in event["reports"]
            if summaries.get(r["id"], {}).get("date") == event["date"]
        ]
        facts.append(("date", format_day(event["date"], lang) or "", quotes(dated)))
    for p in event["participants"]:
        facts.append(("participant", person_line(p, lang), quotes(p["evidence"])))
    for t in event["topics"]:
        area = AREAS[lang].get(t["category"] or "other", AREAS[lang]["other"])
        facts.append(
            ("topic", f"{SEPARATORS[lang].join(t['titles'])} ({area})", quotes(t["evidence"]))
        )
    for o in _same_outcomes_joined(event["outcomes"]):
        kind = CODES[lang].get(o["kind"], CODES[lang]["other"])
        facts.append(("outcome", f"{kind}: {o['description']}", quotes(o["evidence"])))
    return [Fact(next(numbers), kind, text, found) for kind, text, found in facts]


def _same_outcomes_joined(outcomes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One fact per kind of outcome when each report gives at most one of that kind (two
    outlets' words for the same MoU), with every report's evidence; a report that gives two
    of a kind (two agreements signed) keeps them apart. Events keep outcomes per report."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for o in outcomes:
        by_kind.setdefault(o["kind"], []).append(o)
    joined = []
    for same in by_kind.values():
        reports = [e["report"] for o in same for e in o["evidence"]]
        if len(reports) == len(set(reports)):
            evidence = [e for o in same for e in o["evidence"]]
            joined.append({**same[0], "evidence": evidence})
        else:
            joined.extend(same)
    return joined


def person_line(person: dict[str, Any], lang: str) -> str:
    """ "Salem Al-Enezi, Chief of General Staff, Kuwait": the name in the reader's script
    when a report gives it so, the title most reports give, the country by its code."""
    name = _in_language([*person["names"], *person.get("names_source", [])], lang)
    country = display_name(person["country_code"], lang) if person.get("country_code") else None
    return SEPARATORS[lang].join(x for x in (name, main_title(person), country) if x)


def main_title(person: dict[str, Any]) -> str | None:
    """The title most of an event's reports give a person (the first of those at a tie)."""
    titles = sorted(person["titles"], key=lambda t: -len(t["reports"]))
    return titles[0]["value"] if titles else None


def meeting_type(event: dict[str, Any], summaries: dict[str, dict[str, Any]]) -> str | None:
    """The meeting type most of an event's reports give."""
    kinds = Counter(summaries.get(r["id"], {}).get("meeting_type") for r in event["reports"])
    return kinds.most_common(1)[0][0] if kinds else None


def outlets_of(event: dict[str, Any]) -> dict[str, str]:
    """Each report's outlet by report id; a report without one is named by its id."""
    return {r["id"]: r.get("outlet") or r["id"] for r in event["reports"]}


def _sides(event: dict[str, Any], lang: str) -> tuple[list[str], list[str]]:
    """Who hosted and who came: by role; without roles, the first person and the rest."""
    people = event["participants"]
    hosts = [p for p in people if p.get("role") == "host"]
    guests = [p for p in people if p.get("role") in ("guest", "delegation_head")]
    if not hosts and not guests:
        hosts, guests = people[:1], people[1:]
    return [person_line(p, lang) for p in hosts], [person_line(p, lang) for p in guests]


def _place(location: dict[str, Any] | None, lang: str) -> str:
    if not location:
        return ""
    code = location.get("country_code")
    country = (display_name(code, lang) if code else None) or location.get("country")
    return SEPARATORS[lang].join(x for x in (location.get("city"), country) if x)


def describe(conflict: dict[str, Any], outlets: dict[str, str], lang: str) -> str:
    """A conflict between reports in plain words, in ``lang``, naming the outlets."""
    L = DIGEST_LABELS[lang]

    def who(reports: list[str]) -> str:
        return L["and"].join(dict.fromkeys(outlets.get(r, r) for r in reports))

    def shown(value: Any) -> str:
        if isinstance(value, dict):
            return _place(value, lang)
        if conflict["field"] == "date":
            return format_day(value, lang) or str(value)
        return str(value)

    values = conflict["values"]
    named = [v for v in values if v["value"] is not None]
    missing = [r for v in values if v["value"] is None for r in v["reports"]]
    listed = "؛ ".join if lang == "ar" else "; ".join
    by = listed(
        L["value_by"].format(value=shown(v["value"]), outlets=who(v["reports"])) for v in named
    )
    field_name: str = conflict["field"]
    if field_name == "date":
        return L["differ_date"].format(values=by)
    if field_name == "location":
        return L["differ_location"].format(values=by)
    if field_name.startswith("title of "):
        return L["differ_title"].format(name=field_name.removeprefix("title of "), values=by)
    some = who([r for v in named for r in v["reports"]])
    if field_name == "participant":
        return L["only_participant"].format(name=named[0]["value"], some=some, others=who(missing))
    kind = CODES[lang].get(named[0]["value"], named[0]["value"])
    return L["only_outcome"].format(kind=kind, some=some, others=who(missing))


def fragment_link(url: str | None, quote: str) -> str | None:
    """``url`` opened at ``quote`` (a URL text fragment, ``#:~:text=``), which browsers that
    support it scroll to and highlight; None when ``url`` may not be a link."""
    if url is None:
        return None
    words = quote.split()
    if len(words) > _FRAGMENT_WORDS:
        half = _FRAGMENT_WORDS // 2
        target = f"{_encode(' '.join(words[:half]))},{_encode(' '.join(words[-half:]))}"
    else:
        target = _encode(" ".join(words))
    base = url.split("#", 1)[0]
    return f"{base}#:~:text={target}"


def _encode(text: str) -> str:
    # A fragment's own syntax characters (, - &) must be escaped inside its text.
    return percent(text, safe="")

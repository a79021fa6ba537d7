"""Score one run (an article, a schema, a language) against its gold, field by field.

Every score is a number in [0, 1] or a count, ``None`` where the gold says nothing about that
field, so that averages cover only what was annotated. ``aggregate`` turns many runs into
the figures ``summarizer eval`` prints and ``--compare`` sets side by side.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from statistics import mean
from typing import Any

from ..translit import PARTICLES, skeleton
from .gold import aliases, has_alias

# Tags whose cases measure dates that need the publication date or ignore a page's widget.
RELATIVE_DATE_TAGS = frozenset({"relative_date", "no_year", "date_widget"})


@dataclass
class RunScore:
    id: str
    schema: str
    lang: str
    status: str  # ok | partial | no_event | error | not_recorded
    tags: list[str] = field(default_factory=list)
    fields: dict[str, float | None] = field(default_factory=dict)
    leaked_participants: int = 0
    forbidden_categories: int = 0
    gold_no_event: bool = False
    first_answer_valid: bool | None = None
    grounding_first: float | None = None
    reasks: int = 0
    tokens: int = 0
    dropped: int = 0  # items a partial result left out (meta.dropped)
    date_null: bool = False  # a summary with no date (left out, or none given)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def score_run(
    summary: dict[str, Any] | None,
    gold: dict[str, Any],
    schema: str,
    lang: str,
) -> tuple[dict[str, float | None], int, int]:
    """(field scores, leaked participants, forbidden categories) for one checked summary."""
    rules: dict[str, Any] = gold.get(schema, {})
    if rules.get("no_event") or summary is None:
        # Either the gold wants no event, or the run gave none: only that decision is scored.
        return {}, 0, 0
    if schema == "meeting":
        return _meeting(summary, rules, lang)
    return _cooperation(summary, rules, lang)


def _meeting(
    s: dict[str, Any], g: dict[str, Any], lang: str
) -> tuple[dict[str, float | None], int, int]:
    scores: dict[str, float | None] = {
        "date": float(s["date"] == g["date"]) if "date" in g else None,
        "meeting_type": float(s["meeting_type"] in g["meeting_type"])
        if "meeting_type" in g
        else None,
        "location": _location(s["location"], g.get("location", {}), lang),
        "outcomes": float(len(s["outcomes"]) == g["outcomes_count"])
        if "outcomes_count" in g
        else None,
        "other_events": float(len(s.get("other_events", [])) == g["other_events_count"])
        if "other_events_count" in g
        else None,
    }
    precision, recall = _participants(s["participants"], g.get("participants"), lang)
    scores["participants_precision"], scores["participants_recall"] = precision, recall
    found = {t["category"] for t in s["topics"]}
    topic_p, topic_r, forbidden = _categories(found, g, "topic_categories")
    scores["topics_precision"], scores["topics_recall"] = topic_p, topic_r
    if kinds := g.get("outcome_kinds"):
        present = {o["kind"] for o in s["outcomes"]}
        scores["outcome_kinds"] = len(present & set(kinds)) / len(kinds)
    forbidden_names = aliases(g.get("participants_forbidden", {}), lang)
    leaked = sum(1 for p in s["participants"] if _person_matches(p, forbidden_names))
    return scores, leaked, forbidden


def _cooperation(
    s: dict[str, Any], g: dict[str, Any], lang: str
) -> tuple[dict[str, float | None], int, int]:
    scores: dict[str, float | None] = {}
    if "framework" in g:
        expected = g["framework"]
        scores["framework"] = float(
            s["framework"] is None
            if expected is None
            else has_alias(s["framework"], aliases(expected, lang))
        )
    wanted = aliases(g.get("parties_contains", {}), lang)
    if wanted:
        names = [p["name"] for p in s["parties"]]
        scores["parties_recall"] = sum(any(has_alias(n, [w]) for n in names) for w in wanted) / len(
            wanted
        )
    found = {a["category"] for a in s["areas"]}
    area_p, area_r, forbidden = _categories(found, g, "area_categories")
    scores["areas_precision"], scores["areas_recall"] = area_p, area_r
    return scores, 0, forbidden


def _location(loc: dict[str, Any], g: dict[str, Any], lang: str) -> float | None:
    parts = [float(has_alias(loc.get(part), aliases(spec, lang))) for part, spec in g.items()]
    return mean(parts) if parts else None


def _person_matches(person: dict[str, Any], names: list[str]) -> bool:
    return bool(names) and (
        has_alias(person.get("name"), names)
        or has_alias(person.get("name_source"), names)
        or any(_transliterated(person.get("name"), name) for name in names)
    )


def _transliterated(value: str | None, name: str) -> bool:
    """``value`` spells ``name`` another way: every word of a name of two words or more is in
    it, compared as consonant skeletons ("Sami Ben Mohamed Dousri" is "Sami bin Mohammed
    Al-Dosari" and "سامي بن محمد الدوسري"). The gold's aliases cannot list every
    transliteration a model may write; a one-word alias stays a plain match."""
    wanted = {w for w in skeleton(name) if w not in PARTICLES}
    return len(wanted) >= 2 and wanted <= set(skeleton(value or ""))


def _participants(
    predicted: list[dict[str, Any]], gold: list[dict[str, Any]] | None, lang: str
) -> tuple[float | None, float | None]:
    if gold is None:
        return None, None

    def matches(p: dict[str, Any], g: dict[str, Any]) -> bool:
        names = aliases(g.get("name") or {}, lang) + aliases(g.get("name") or {}, "ar")
        if names and _person_matches(p, names):
            return True
        source = g.get("name_source_contains")
        if source and has_alias(p.get("name_source"), [source]):
            return True
        # Someone the article names only by office: a name given for them is invented.
        titles = aliases(g.get("title") or {}, lang)
        return bool(titles) and not p.get("name") and has_alias(p.get("title"), titles)

    matched_predicted = sum(any(matches(p, g) for g in gold) for p in predicted)
    matched_gold = sum(any(matches(p, g) for p in predicted) for g in gold)
    precision = matched_predicted / len(predicted) if predicted else (1.0 if not gold else 0.0)
    recall = matched_gold / len(gold) if gold else None
    return precision, recall


def _categories(
    found: set[str], g: dict[str, Any], prefix: str
) -> tuple[float | None, float | None, int]:
    required = set(g.get(f"{prefix}_required", []))
    forbidden = set(g.get(f"{prefix}_forbidden", []))
    allowed = g.get(f"{prefix}_allowed")
    if not (required or forbidden or allowed is not None):
        return None, None, 0
    permitted = (required | set(allowed)) if allowed is not None else None
    correct = {
        c for c in found if (c in permitted if permitted is not None else c not in forbidden)
    }
    precision = len(correct) / len(found) if found else (1.0 if not required else 0.0)
    recall = len(found & required) / len(required) if required else None
    return precision, recall, len(found & forbidden)


def aggregate(runs: list[RunScore]) -> dict[str, Any]:
    """The figures of a whole run: field means, no-event precision/recall, cost per article."""
    scored = [r for r in runs if r.status in ("ok", "partial", "no_event", "error")]
    names = sorted({name for r in scored for name, v in r.fields.items() if v is not None})
    fields = {
        name: round(mean(v for r in scored if (v := r.fields.get(name)) is not None), 3)
        for name in names
    }
    predicted = [r for r in scored if r.status == "no_event"]
    expected = [r for r in scored if r.gold_no_event]
    hits = [r for r in predicted if r.gold_no_event]
    relative = [
        v
        for r in scored
        if RELATIVE_DATE_TAGS & set(r.tags) and (v := r.fields.get("date")) is not None
    ]
    answered = [r for r in scored if r.first_answer_valid is not None]
    grounded = [r.grounding_first for r in scored if r.grounding_first is not None]
    return {
        "runs": len(runs),
        "errors": sum(r.status == "error" for r in runs),
        "partial": sum(r.status == "partial" for r in runs),
        "not_recorded": sum(r.status == "not_recorded" for r in runs),
        "fields": fields,
        "no_event_precision": round(len(hits) / len(predicted), 3) if predicted else None,
        "no_event_recall": round(len(hits) / len(expected), 3) if expected else None,
        "relative_date_accuracy": round(mean(relative), 3) if relative else None,
        "leaked_participants": sum(r.leaked_participants for r in scored),
        "forbidden_categories": sum(r.forbidden_categories for r in scored),
        "grounding_rate_first_answer": round(mean(grounded), 3) if grounded else None,
        "valid_first_answer_rate": round(
            mean(float(bool(r.first_answer_valid)) for r in answered), 3
        )
        if answered
        else None,
        "reasks_per_article": round(mean(r.reasks for r in scored), 3) if scored else None,
        "tokens_per_article": round(mean(r.tokens for r in scored)) if scored else None,
    }

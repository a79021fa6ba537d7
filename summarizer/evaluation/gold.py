"""Compare a summary with a gold annotation (the format of ``fixtures/gold/``).

Each rule of a gold file becomes a named check; ``compare`` returns the ones that fail, as
sentences. Names and places match by alias: an alias counts when it occurs in the value
after Arabic-aware normalisation ("Khalid bin Salman" in "Khalid bin Salman bin Abdulaziz").
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ..normalize import normalize


def fold(text: str) -> str:
    """Arabic-aware normalisation, then Latin accents and the dotless i away: "Türkiye"
    matches "Turkiye", "Aydın" matches "Aydin"."""
    decomposed = unicodedata.normalize("NFKD", normalize(text).replace("ı", "i"))
    # Arabic marks are already gone (normalize), so every combining mark left is a Latin accent.
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def has_alias(value: str | None, names: list[str]) -> bool:
    """True when one of ``names`` occurs in ``value``, both folded."""
    if not value:
        return False
    folded = fold(value)
    return any(fold(name) in folded for name in names)


def aliases(spec: Any, lang: str) -> list[str]:
    """The aliases of a gold value for ``lang`` (``{"en": [...], "ar": [...]}`` or a list)."""
    if spec is None:
        return []
    return list(spec.get(lang, [])) if isinstance(spec, dict) else list(spec)


def compare(
    summary: dict[str, Any] | None, gold: dict[str, Any], schema: str, lang: str
) -> list[str]:
    """Every way ``summary`` (as JSON) disagrees with the ``schema`` part of ``gold``."""
    rules = gold.get(schema)
    if rules is None:
        return []
    if summary is None:
        return ["no summary, but the gold annotation describes an event"]
    check = _meeting if schema == "meeting" else _cooperation
    return check(summary, rules, lang)


def _meeting(s: dict[str, Any], g: dict[str, Any], lang: str) -> list[str]:
    misses: list[str] = []
    if "meeting_type" in g and s["meeting_type"] not in g["meeting_type"]:
        misses.append(f"meeting_type {s['meeting_type']} not in {g['meeting_type']}")
    if "date" in g and s["date"] != g["date"]:
        misses.append(f"date {s['date']} should be {g['date']}")
    if "date_text_contains" in g and g["date_text_contains"] not in (s.get("date_text") or ""):
        misses.append(f"date_text lacks {g['date_text_contains']!r}")
    for part, spec in g.get("location", {}).items():
        if not has_alias(s["location"].get(part), aliases(spec, lang)):
            misses.append(f"location.{part} {s['location'].get(part)!r} not one of {spec}")
    people = s["participants"]
    for expected in g.get("participants", []):
        names = aliases(expected["name"], lang)
        found = [p for p in people if has_alias(p.get("name"), names)]
        if not found:
            misses.append(f"participant {names[0]!r} missing")
            continue
        person = found[0]
        if "role" in expected and person["role"] not in expected["role"]:
            misses.append(
                f"participant {names[0]!r} role {person['role']} not in {expected['role']}"
            )
        source = expected.get("name_source_contains")
        if source and not has_alias(person.get("name_source"), [source]):
            misses.append(f"participant {names[0]!r} name_source lacks {source!r}")
        if "country" in expected and not has_alias(
            person.get("country"), aliases(expected["country"], lang)
        ):
            misses.append(f"participant {names[0]!r} country {person.get('country')!r}")
    if "participants_count" in g and len(people) != g["participants_count"]:
        misses.append(f"{len(people)} participants, gold has {g['participants_count']}")
    categories = {t["category"] for t in s["topics"]}
    misses += _categories("topic", categories, g, "topic_categories")
    if "outcomes_count" in g and len(s["outcomes"]) != g["outcomes_count"]:
        misses.append(f"{len(s['outcomes'])} outcomes, gold has {g['outcomes_count']}")
    misses += _nonempty(s, g, ("background",))
    return misses


def _cooperation(s: dict[str, Any], g: dict[str, Any], lang: str) -> list[str]:
    misses: list[str] = []
    if "framework" in g:
        expected = g["framework"]
        if expected is None and s["framework"] is not None:
            misses.append(f"framework {s['framework']!r} where the article names none")
        elif expected is not None and not has_alias(s["framework"], aliases(expected, lang)):
            misses.append(f"framework {s['framework']!r} not one of {expected}")
    names = [p["name"] for p in s["parties"]]
    for alias in aliases(g.get("parties_contains", {}), lang):
        if not any(has_alias(name, [alias]) for name in names):
            misses.append(f"party {alias!r} missing")
    categories = {a["category"] for a in s["areas"]}
    misses += _categories("area", categories, g, "area_categories")
    misses += _nonempty(s, g, ("background", "challenges", "outlook"))
    return misses


def _categories(what: str, found: set[str], g: dict[str, Any], prefix: str) -> list[str]:
    misses = [
        f"{what} category {c} missing" for c in g.get(f"{prefix}_required", []) if c not in found
    ]
    misses += [
        f"{what} category {c} is background, not this event's"
        for c in g.get(f"{prefix}_forbidden", [])
        if c in found
    ]
    allowed = g.get(f"{prefix}_allowed")
    if allowed is not None:
        permitted = set(allowed) | set(g.get(f"{prefix}_required", []))
        misses += [f"{what} category {c} not allowed" for c in sorted(found - permitted)]
    return misses


def _nonempty(s: dict[str, Any], g: dict[str, Any], fields: tuple[str, ...]) -> list[str]:
    return [f"{f} is empty" for f in fields if g.get(f"{f}_nonempty") and not s.get(f)]

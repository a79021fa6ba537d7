"""Canonical ids for what a summary names: ISO 3166-1 alpha-2 codes for countries, ``org:…``
ids for organisations (SPEC, "Events across articles").

The same country reaches a summary as "المملكة العربية السعودية", "السعودية", "السعودي",
"Saudi Arabia", "Saudi" or "KSA"; reports of one meeting can only be matched once all of them
read ``SA``. Names come from maintained data where it exists: ``pycountry`` ships ISO 3166-1
with official and common names and their Arabic translations. What it lacks is ours
(``canonical_tables``): English short forms and adjectives, Arabic short forms, and the
organisations this domain meets (NATO, the GCC, the Arab League...).

Arabic adjectives (nisba) are read by rule rather than listed: "السعودي", "السعودية" and
"السعودية" the country share a stem once the article "ال" and the endings "ي", "ية", "ا" are
taken off ("سعود"); so do "الإيطالي" and "إيطاليا", "المصري" and "مصر". A name or stem that
two ids share is ambiguous and gives no id. Anything not found gives ``None``: never a guess.

>>> country_code("السعودي"), country_code("KSA"), country_code("Türkiye"), country_code("Mars")
('SA', 'SA', 'TR', None)
>>> party_id("حلف شمال الأطلسي"), party_id("Italian")
('org:nato', 'IT')
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections import defaultdict
from functools import cache
from typing import Any

import pycountry

from .canonical_tables import COUNTRY_ALIASES, ORGANISATIONS
from .normalize import normalize
from .translit import PARTICLES, skeleton

__all__ = [
    "annotate", "country_code", "display_name", "names_of", "organisation_id", "party_id",
    "person_key", "same_person",
]  # fmt: skip
UNKNOWN_COUNTRY = "xx"

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_NOT_WORD = re.compile(r"[^\w\s]+")
_ENDINGS = ("يه", "ي", "ه", "ا")  # nisba and feminine endings after folding (ة -> ه)
_AMBIGUOUS = "?"


def _key(name: str) -> str:
    """A name folded for lookup: Arabic folding, Latin accents off, case and punctuation out,
    a leading English "the" dropped."""
    folded = unicodedata.normalize("NFKD", normalize(name))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    words = _NOT_WORD.sub(" ", folded).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def _stem(key: str) -> str | None:
    """The stem of a one-word Arabic name or adjective; None for anything else."""
    if " " in key or not _ARABIC.search(key):
        return None
    word = key[2:] if key.startswith("ال") and len(key) > 4 else key
    changed = True
    while changed:
        changed = False
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word, changed = word[: -len(ending)], True
                break
    return word


def _add(index: dict[str, str], key: str, ident: str) -> None:
    if not key:
        return
    index[key] = ident if index.get(key, ident) == ident else _AMBIGUOUS


@cache
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """(names, Arabic stems), each folded key to an alpha-2 code (or ambiguous)."""
    arabic = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    names: dict[str, str] = {}
    stems: dict[str, str] = {}
    seen: dict[str, list[str]] = defaultdict(list)
    for country in pycountry.countries:
        code = country.alpha_2
        english = [getattr(country, f, None) for f in ("name", "official_name", "common_name")]
        for name in [n for n in english if n]:
            seen[code] += [name, arabic.gettext(name)]
    for code, aliases in COUNTRY_ALIASES.items():
        seen[code] += aliases
    for code, given in seen.items():
        for name in given:
            key = _key(name)
            _add(names, key, code)
            if (stem := _stem(key)) is not None:
                _add(stems, stem, code)
    return names, stems


@cache
def _organisations() -> dict[str, str]:
    index: dict[str, str] = {}
    for ident, entry in ORGANISATIONS.items():
        for name in entry["names"]:
            _add(index, _key(name), ident)
    return index


def _found(index: dict[str, str], key: str) -> str | None:
    ident = index.get(key)
    return None if ident in (None, _AMBIGUOUS) else ident


def country_code(name: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country named in either language, or None."""
    if not name or not name.strip():
        return None
    names, stems = _countries()
    key = _key(name)
    if (code := _found(names, key)) is not None:
        return code
    stem = _stem(key)
    return _found(stems, stem) if stem is not None else None


def organisation_id(name: str | None) -> str | None:
    """The project's id of an organisation (``org:nato``), or None."""
    if not name or not name.strip():
        return None
    return _found(_organisations(), _key(name))


def party_id(name: str | None) -> str | None:
    """A party's id: an organisation's, else a country's code; None when unknown."""
    return organisation_id(name) or country_code(name)


def person_key(name: str | None, country: str | None) -> str | None:
    """A person's key across reports and scripts: the country's code (``xx`` when unknown)
    and the name's skeleton without particles (``translit.skeleton``); None without a name.

    >>> person_key("خالد بن سلمان", "SA"), person_key("Khaled bin Salman", "SA")
    ('SA:kld-slmn', 'SA:kld-slmn')
    """
    words = [w for w in skeleton(name or "") if w not in PARTICLES]
    return f"{country or UNKNOWN_COUNTRY}:{'-'.join(words)}" if words else None


def same_person(one: str, other: str) -> bool:
    """Two person keys for one person: the same country (or either unknown), and the shorter
    name's every word in the longer, or at least two words shared ("Al Mohannadi" is "Jassim
    bin Fahad Al Mohannadi"; "Khalid bin Salman" is not "Khalid bin Fahd").

    >>> same_person("QA:mhnd", "QA:jsm-fhd-mhnd"), same_person("SA:kld-slmn", "SA:kld-fhd")
    (True, False)
    """
    country_a, _, name_a = one.partition(":")
    country_b, _, name_b = other.partition(":")
    if UNKNOWN_COUNTRY not in (country_a, country_b) and country_a != country_b:
        return False
    words_a, words_b = set(name_a.split("-")), set(name_b.split("-"))
    shared = len(words_a & words_b)
    return shared >= 2 or (shared > 0 and shared == min(len(words_a), len(words_b)))


def annotate(summary: Any) -> None:
    """Fill a summary's canonical ids in place: ``participants[].country_code`` and
    ``person_key``, ``location.country_code`` and ``party_ids`` (one per party, in order)."""
    for participant in getattr(summary, "participants", []):
        participant.country_code = country_code(participant.country)
        participant.person_key = person_key(participant.name, participant.country_code)
    location = getattr(summary, "location", None)
    if location is not None:
        location.country_code = country_code(location.country)
    parties = getattr(summary, "parties", [])
    summary.party_ids = [party_id(p if isinstance(p, str) else p.name) for p in parties]


def display_name(ident: str, lang: str) -> str | None:
    """How a reader of ``lang`` names a country code or an organisation id: "Kuwait",
    "الكويت", "NATO", "الناتو"; None for an id the tables do not hold.

    >>> display_name("KW", "ar"), display_name("org:gcc", "en")
    ('الكويت', 'GCC')
    """
    names = [n for n in names_of(ident) if (_ARABIC.search(n) is not None) == (lang == "ar")]
    # pycountry's Arabic is vowelled ("السّعوديّة") and puts the long form after a comma
    # ("إيران، الجمهوريّة الإسلاميّة الإيرانيّة"): a digest prints the plain short name.
    plain = [_unvowelled(n) for n in names if "،" not in n]
    return plain[0] if plain else None


def _unvowelled(name: str) -> str:
    return "".join(c for c in name if unicodedata.category(c) != "Mn")


@cache
def names_of(ident: str) -> tuple[str, ...]:
    """Every name the tables hold for a country code or an organisation id, in both
    languages, the shortest usual form of each language first."""
    if ident.startswith("org:"):
        entry = ORGANISATIONS.get(ident)
        return tuple(entry["names"]) if entry else ()
    country = pycountry.countries.get(alpha_2=ident)
    if country is None:
        return ()
    arabic = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    english = getattr(country, "common_name", None) or country.name
    given = [english, arabic.gettext(country.name), *COUNTRY_ALIASES.get(ident, [])]
    return tuple(dict.fromkeys(given))

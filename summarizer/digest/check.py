"""What a digest paragraph may name: only the people, places, parties and days of its facts.

The paragraph is written by a model from an event's merged facts (``paragraph.py``); this
check is what makes it a checked paragraph rather than a model's prose. It finds, in the
paragraph:

- every day named ("10 February 2025", "١٠ فبراير", a Hijri date): each must be a day of the
  facts (the event's date, a date a report gives, a day a fact's text names), every year one
  of theirs (Gregorian or Hijri), every weekday named the weekday of one of them;
- every country or organisation named, in either language (``canonical``'s tables): each must
  be a party of the event, a participant's country or the place's;
- in English, every capitalised word that is not the first of its sentence, a month or a
  weekday, or an office or rank word (``OFFICE_WORDS``): it must be a word of the facts,
  compared by transliteration skeleton, so "Al-Enezi" passes for "Al Enezi" and a name the
  facts do not hold does not;
- in English, a person given another country by a possessive ("the UAE's Minister ... Al
  Marri" when he is Qatar's), a mistake a small model makes with a list of parties.

Arabic has no capitals: an Arabic paragraph's people are not checked word by word, only its
days, countries and organisations (a gap the closing note of the events issue states).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from hijridate import Gregorian

from ..canonical import names_of, party_id
from ..date_tables import ANY_WEEKDAY_NUMBER, MONTH_NUMBER, WEEKDAY_NUMBER, key
from ..dates import days_named
from ..normalize import normalize
from ..prompts import LANGUAGE_NAMES
from ..script import in_script
from ..translit import PARTICLES, skeleton

# Capitalised words of offices, ranks and bodies that a paragraph may write in its own
# words ("Defence Minister" for "Minister of Defense"): they name no one on their own.
OFFICE_WORDS = frozenset(
    """Minister Ministry Defence Defense Foreign Affairs Interior Chief Staff General Admiral
    Commander Navy Naval Army Air Force Forces Armed Military Joint Lieutenant Lt Gen Maj Brig
    Colonel Col Major Brigadier Marshal Field Vice Rear Deputy Assistant Secretary
    Undersecretary Under President Prime Crown Prince King Emir Sheikh Sultan Royal Highness
    Excellency His Her Ambassador Embassy Envoy Special National Security Guard Council
    Cooperation Gulf Kingdom Republic State Memorandum Understanding Agreement Statement
    MoU Head Delegation Summit Meeting Ministers Staffs Commanders Chiefs Coast""".split()
)
_SENTENCE = re.compile(r"(?<=[.!?؟])\s+")
# Ranks and titles written with a full stop, which ends no sentence ("Lt. Gen. Salem").
_ABBREVIATIONS = frozenset(
    "Lt Gen Maj Brig Col Capt Cdr Adm Sgt Dr Mr Mrs Ms Prof Rev St Sr Jr No".split()
)
_WORD = re.compile(r"[^\W\d_][\w\-.]*")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d|14\d\d)(?!\d)")
# Words inside names: "Al" of "Hamad bin Faisal Al Busaidi" names no one by itself.
_PARTICLES = frozenset({"al", "el", "bin", "ibn", "bint", "ben", "abu", "abd", "bn"})
_LONGEST_NAME = 5  # words in the longest country or organisation name looked for
# One written word, two places: "عمان" is Oman and Amman (Jordan's capital).
_HOMOGRAPHS = {normalize("عمان"): frozenset({"OM", "JO"})}


@dataclass(frozen=True)
class Allowed:
    """What the facts hold: days and years, country and organisation ids, word skeletons."""

    days: frozenset[dt.date]
    years: frozenset[int]  # Gregorian and Hijri years of the days, and years the texts name
    ids: frozenset[str]
    words: frozenset[str]
    people: frozenset[str]  # the skeletons of people's names alone
    # (a person's last name as the facts write it, their country's code): whose they are
    countries: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def of(
        cls,
        days: set[dt.date],
        ids: set[str],
        texts: list[str],
        people: list[str],
        countries: set[tuple[str, str]] | None = None,
    ) -> Allowed:
        """From the facts' days, ids, every text they hold (titles, places, outcomes...) and
        people's names; the ids' names in both languages count as words of the facts too,
        and a day or year a text names ("renewing the 2019 agreement") as one of theirs."""
        named = [d.day for text in texts for d in days_named(text) if d.day is not None]
        all_days = {*days, *named}
        years = {d.year for d in all_days} | {_hijri_year(d) for d in all_days}
        years |= {int(y) for text in texts for y in _YEAR.findall(normalize(text))}
        names = [name for ident in ids for name in names_of(ident)]
        words = {w for text in [*texts, *names, *people] for w in skeleton(text)}
        people_words = {w for name in people for w in skeleton(name)}
        return cls(frozenset(all_days), frozenset(years), frozenset(ids), frozenset(words),
                   frozenset(people_words), frozenset(countries or ()))  # fmt: skip


def _hijri_year(day: dt.date) -> int:
    return int(Gregorian(day.year, day.month, day.day).to_hijri().year)


def outside_facts(paragraph: str, allowed: Allowed, lang: str) -> list[str]:
    """Why ``paragraph`` is not a paragraph of these facts in ``lang``; empty when it is."""
    problems = []
    if not in_script(paragraph, lang):
        problems.append(f"the paragraph is not in {LANGUAGE_NAMES[lang]}")
    problems += _days(paragraph, allowed)
    problems += _parties(paragraph, allowed)
    if lang == "en":
        problems += _names(paragraph, allowed)
        problems += _whose(paragraph, allowed)
    return list(dict.fromkeys(problems))


def _days(paragraph: str, allowed: Allowed) -> list[str]:
    problems = []
    month_days = {(d.month, d.day) for d in allowed.days}
    for named in days_named(paragraph):
        if named.day in allowed.days or named.month_day in month_days:
            continue
        problems.append(f'it names the date "{named.text}", which is not a date of the facts')
    for found in _YEAR.finditer(normalize(paragraph)):
        if int(found[1]) not in allowed.years:
            problems.append(f"it names the year {found[1]}, which is not a year of the facts")
    weekdays = {d.weekday() for d in allowed.days}
    for word in _WORD.findall(paragraph):
        number = WEEKDAY_NUMBER.get(key(word))
        if number is not None and number not in weekdays:
            problems.append(f'it names "{word}", which is not the weekday of a date of the facts')
    return problems


def _parties(paragraph: str, allowed: Allowed) -> list[str]:
    """Countries and organisations named, longest names first, each word read once."""
    words = [m[0] for m in _WORD.finditer(paragraph)]
    problems, i = [], 0
    while i < len(words):
        for size in range(min(_LONGEST_NAME, len(words) - i), 0, -1):
            name = " ".join(words[i : i + size]).rstrip(".")
            ident = _party(name)
            if ident is None:
                continue
            if _in_a_name(words, i, name, allowed):
                i += size - 1
                break
            if (
                ident not in allowed.ids
                and not _HOMOGRAPHS.get(normalize(name), set()) & allowed.ids
            ):
                problems.append(f'it names "{name}", which is not a party or place of the facts')
            i += size - 1
            break
        i += 1
    return problems


def _in_a_name(words: list[str], i: int, name: str, allowed: Allowed) -> bool:
    """Whether ``name`` (at ``words[i]``) is a word of a person's name: "Turki" of "Faisal
    bin Turki", "تركي" of "فيصل بن تركي". It must be a word of the facts' people and follow
    another word of a name or a particle; "Turkey" on its own, or "UAE" (no consonants to
    compare), is a country."""
    own = skeleton(name)
    if not own or not set(own) <= allowed.people or i == 0:
        return False
    before = skeleton(words[i - 1])
    return bool(before) and set(before) <= allowed.people | PARTICLES


def _party(name: str) -> str | None:
    # In English only a capitalised name is one: "us" is not the United States.
    if name[0].isascii() and not name[0].isupper():
        return None
    return party_id(name)


def _calendar(word: str) -> bool:
    """A month or weekday name: the days check reads those."""
    return key(word) in MONTH_NUMBER or key(word) in ANY_WEEKDAY_NUMBER


# "Qatar's Minister of State", "the UAE’s": a country's possessive, which says whose a person is.
_POSSESSIVE = re.compile(r"\b([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})['’]s\b")
_ATTRIBUTION_REACH = 120  # characters before a name that a possessive may govern


def _whose(paragraph: str, allowed: Allowed) -> list[str]:
    """A person called another country's: "the UAE's Minister ... Hamad bin Ali Al Marri"
    when the facts make him Qatar's. The possessive read is the last one before the name,
    in its sentence, with no other person's name between them."""
    problems = []
    last_names = {name for name, _ in allowed.countries}
    for name, code in allowed.countries:
        for found in re.finditer(rf"\b{re.escape(name)}\b", paragraph):
            before = paragraph[max(0, found.start() - _ATTRIBUTION_REACH) : found.start()]
            before = _SENTENCE.split(before)[-1]
            owners = list(_POSSESSIVE.finditer(before))
            if not owners:
                continue
            owner = owners[-1]
            between = before[owner.end() :]
            if any(re.search(rf"\b{re.escape(other)}\b", between) for other in last_names):
                continue
            ident = _party(owner[1]) or _party(owner[1].split()[-1])
            if ident is not None and len(ident) == 2 and ident != code:
                problems.append(
                    f'it calls {name} "{owner[0]}", but the facts give {name} another country'
                )
    return problems


def _sentences(paragraph: str) -> list[str]:
    """The sentences of ``paragraph``; "Lt. Gen. Salem" is one sentence, not three."""
    sentences: list[str] = []
    for piece in _SENTENCE.split(paragraph):
        last = sentences[-1].split()[-1].rstrip(".") if sentences and sentences[-1].split() else ""
        if sentences and (last in _ABBREVIATIONS or len(last) == 1):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def _names(paragraph: str, allowed: Allowed) -> list[str]:
    problems = []
    for sentence in _sentences(paragraph):
        for found in list(_WORD.finditer(sentence))[1:]:
            word = found[0].strip(".-'’")
            if not word or not word[0].isupper() or word in OFFICE_WORDS or _calendar(word):
                continue
            if word.lower() in _PARTICLES or _party(word) is not None:  # parties: read above
                continue
            if any(w not in allowed.words for w in skeleton(word)):
                problems.append(f'it names "{word}", which is not in the facts')
    return problems

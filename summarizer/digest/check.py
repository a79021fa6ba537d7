"""What a digest paragraph may name: only the people, places, parties and days of its facts.

The paragraph is written by a model from an event's merged facts (``paragraph.py``); this
check is what makes it a checked paragraph rather than a model's prose. It finds, in the
paragraph:

- every day named ("10 February 2025", "١٠ فبراير", a Hijri date): each must be a day of the
  facts (the event's date or a date a report gives), and every year one of theirs;
- every country or organisation named, in either language (``canonical``'s tables): each must
  be a party of the event, a participant's country or the place's;
- in English, every capitalised word that is not the first of its sentence, a month or a
  weekday, or an office or rank word (``OFFICE_WORDS``): it must be a word of the facts,
  compared by transliteration skeleton, so "Al-Enezi" passes for "Al Enezi" and a name the
  facts do not hold does not.

Arabic has no capitals: an Arabic paragraph's people are not checked word by word, only its
days, countries and organisations (a gap the closing note of the events issue states).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..canonical import names_of, party_id
from ..date_tables import ANY_WEEKDAY_NUMBER, MONTH_NUMBER, key
from ..dates import days_named
from ..normalize import normalize
from ..prompts import LANGUAGE_NAMES
from ..script import in_script
from ..translit import skeleton

# Capitalised words of offices, ranks and bodies that a paragraph may write in its own
# words ("Defence Minister" for "Minister of Defense"): they name no one on their own.
OFFICE_WORDS = frozenset(
    """Minister Ministry Defence Defense Foreign Affairs Interior Chief Staff General Admiral
    Commander Navy Naval Army Air Force Forces Armed Military Joint Lieutenant Lt Gen Maj Brig
    Colonel Col Major Brigadier Marshal Field Vice Rear Deputy Assistant Secretary
    Undersecretary Under President Prime Crown Prince King Emir Sheikh Sultan Royal Highness
    Excellency His Her Ambassador Embassy Envoy Special National Security Guard Council
    Cooperation Gulf Kingdom Republic State Memorandum Understanding Agreement Joint Statement
    MoU Head Delegation Summit Meeting Ministers Staffs Commanders Chiefs Coast""".split()
)
_SENTENCE = re.compile(r"(?<=[.!?؟])\s+")
_WORD = re.compile(r"[^\W\d_][\w\-.]*")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d|14\d\d)(?!\d)")
# Words inside names: "Al" of "Hamad bin Faisal Al Busaidi" names no one by itself.
_PARTICLES = frozenset({"al", "el", "bin", "ibn", "bint", "ben", "abu", "abd", "bn"})
_LONGEST_NAME = 5  # words in the longest country or organisation name looked for
# One written word, two places: "عمان" is Oman and Amman (Jordan's capital).
_HOMOGRAPHS = {normalize("عمان"): frozenset({"OM", "JO"})}


@dataclass(frozen=True)
class Allowed:
    """What the facts hold: days, country and organisation ids, and word skeletons."""

    days: frozenset[dt.date]
    ids: frozenset[str]
    words: frozenset[str]
    people: frozenset[str]  # the skeletons of people's names alone

    @classmethod
    def of(cls, days: set[dt.date], ids: set[str], texts: list[str], people: list[str]) -> Allowed:
        """From the facts' days, ids, every text they hold (titles, places...) and people's
        names; the ids' names in both languages count as words of the facts too."""
        names = [name for ident in ids for name in names_of(ident)]
        words = {w for text in [*texts, *names, *people] for w in skeleton(text)}
        people_words = {w for name in people for w in skeleton(name)}
        return cls(frozenset(days), frozenset(ids), frozenset(words), frozenset(people_words))


def outside_facts(paragraph: str, allowed: Allowed, lang: str) -> list[str]:
    """Why ``paragraph`` is not a paragraph of these facts in ``lang``; empty when it is."""
    problems = []
    if not in_script(paragraph, lang):
        problems.append(f"the paragraph is not in {LANGUAGE_NAMES[lang]}")
    problems += _days(paragraph, allowed)
    problems += _parties(paragraph, allowed)
    if lang == "en":
        problems += _names(paragraph, allowed)
    return list(dict.fromkeys(problems))


def _days(paragraph: str, allowed: Allowed) -> list[str]:
    problems = []
    month_days = {(d.month, d.day) for d in allowed.days}
    for named in days_named(paragraph):
        if named.day in allowed.days or named.month_day in month_days:
            continue
        problems.append(f'it names the date "{named.text}", which is not a date of the facts')
    years = {d.year for d in allowed.days}
    for found in _YEAR.finditer(normalize(paragraph)):
        if int(found[1]) not in years:
            problems.append(f"it names the year {found[1]}, which is not a year of the facts")
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
            if set(skeleton(name)) <= allowed.people:  # "تركي" of "فيصل بن تركي" is a name
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


def _party(name: str) -> str | None:
    # In English only a capitalised name is one: "us" is not the United States.
    if name[0].isascii() and not name[0].isupper():
        return None
    return party_id(name)


def _calendar(word: str) -> bool:
    """A month or weekday name: the days check reads those."""
    return key(word) in MONTH_NUMBER or key(word) in ANY_WEEKDAY_NUMBER


def _names(paragraph: str, allowed: Allowed) -> list[str]:
    problems = []
    for sentence in _SENTENCE.split(paragraph):
        for found in list(_WORD.finditer(sentence))[1:]:
            word = found[0].strip(".-'’")
            if not word or not word[0].isupper() or word in OFFICE_WORDS or _calendar(word):
                continue
            if word.lower() in _PARTICLES or _party(word) is not None:  # parties: read above
                continue
            if any(w not in allowed.words for w in skeleton(word)):
                problems.append(f'it names "{word}", which is not in the facts')
    return problems

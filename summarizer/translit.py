"""Name skeletons: one spelling for a name written in Arabic or in any Latin transliteration.

Reports of one meeting name its people and city in both scripts and in many spellings:
"خالد بن سلمان", "Khalid bin Salman", "Khaled bin Salman"; "الرياض", "Riyadh". Matching them
needs no dictionary if both sides are reduced to the consonants they share: Arabic is written
without short vowels, so a transliteration's vowels, long-vowel letters (و ي ا, "w", "y") and
digraphs are exactly where spellings differ. ``anyascii`` (maintained, ISC licence) gives the
Arabic side in ASCII; the folding is ours:

- the article "ال" / "al-" / "el-" is dropped, and "bin", "ibn", "bn", "ben" are one particle;
- digraphs fold to one letter (kh, gh, sh, th, dh, ph), q and c read as k;
- vowels, "w", "y", apostrophes and ayin marks go; doubled letters are one; a final "h"
  (ة, "Doha") goes;
- "عبد" / "Abd" / "Abdul" joins the word after it ("عبد الرحمن", "Abdul Rahman", "Abdelrahman").

>>> skeleton("خالد بن سلمان"), skeleton("Khaled bin Salman"), skeleton("Khalid ibn Salman")
(['kld', 'bn', 'slmn'], ['kld', 'bn', 'slmn'], ['kld', 'bn', 'slmn'])
>>> skeleton("الرياض") == skeleton("Riyadh"), skeleton("مسقط") == skeleton("Muscat")
(True, True)

A skeleton is a key for matching, never shown: different names can share one (a skeleton of
one short word matches often, which is why a person is matched on several words and a country).
"""

from __future__ import annotations

import re

from anyascii import anyascii

from .normalize import normalize

__all__ = ["PARTICLES", "skeleton"]

_ARABIC_ARTICLE = re.compile(r"(?<!\S)ال(?=\S{2,})")
_LATIN_ARTICLE = re.compile(r"(?<![a-z])(?:al|el)[-\s']+(?=[a-z])")
_DIGRAPHS = (
    ("kh", "k"), ("gh", "g"), ("sh", "s"), ("th", "t"), ("dh", "d"), ("ph", "f"), ("q", "k"),
    ("c", "k"),
)  # fmt: skip
_NOT_CONSONANT = re.compile(r"[aeiouyw'`]|[^a-z\s]")
_REPEATED = re.compile(r"([a-z])\1+")
_PARTICLE_FORMS = frozenset({"bin", "ibn", "bn", "ben", "bint", "bnt"})
# Skeletons of particles, not names: kept in a skeleton, skipped when matching.
PARTICLES = frozenset({"bn", "bnt"})


def skeleton(text: str) -> list[str]:
    """The consonant skeleton of each word of ``text`` (empty words dropped)."""
    text = _ARABIC_ARTICLE.sub("", normalize(text))
    latin = anyascii(text).lower()
    latin = _LATIN_ARTICLE.sub("", latin)
    words = []
    for word in re.split(r"[\s\-]+", latin):
        if word in _PARTICLE_FORMS:
            words.append("bn")
            continue
        for digraph, letter in _DIGRAPHS:
            word = word.replace(digraph, letter)
        word = _REPEATED.sub(r"\1", _NOT_CONSONANT.sub("", word))
        if len(word) > 1 and word.endswith("h"):
            word = word[:-1]
        if word:
            words.append(word)
    return _join_abd(words)


def _join_abd(words: list[str]) -> list[str]:
    """ "bd" (عبد, Abd) or "bdl" (Abdul, Abdel) and the next word as one; a written-together
    "Abdelaziz" loses the article's "l" as "عبد العزيز" does ("Abdullah" stays "bdl")."""
    out: list[str] = []
    for word in words:
        if word.startswith("bdl") and len(word) > 3:
            word = "bd" + word[3:]
        if out and out[-1] in ("bd", "bdl") and word not in PARTICLES:
            out[-1] = "bd" + word
        else:
            out.append(word)
    return out

"""Arabic-aware text folding that remembers where every character came from.

A quote a model returns differs from the article in ways a reader calls "the same text":
diacritics, tatweel, hamza and alef forms, ta marbuta, alef maqsura, Arabic-Indic digits,
guillemets, bidi marks, line breaks. We compare folded forms, but offsets must point into the
article as received, so folding returns a map from each folded character to its origin.

Design:

- The text is cut into clusters, a character plus the combining marks after it, because NFKC
  composes across that boundary (alef + U+0654 -> أ, e + U+0301 -> é): folding whole clusters
  makes composed and decomposed spellings equal. Every character a cluster yields maps to the
  cluster's first index, so an expansion (ﻻ -> لا, ß -> ss) maps both characters to one index.
- Folding is data: ``_FOLD`` maps a character to its replacement ("" drops it). Category Cf
  (format and bidi controls) is dropped by category, since each Unicode version adds some.
  The table runs before NFKC, so ″ becomes one " and not two primes, and again after it, so
  presentation forms that NFKC opens into أ or ى are folded too.
- A whitespace run becomes one space mapped to the run's first character; invisible marks
  removed between two spaces cannot leave a double space behind.
- Folded clusters are memoised: an article has a few hundred distinct clusters, so folding
  60 KB costs roughly a dict lookup per character. Callers that search one text many times
  should keep the result (``grounding.ArticleIndex`` does).

After folding every digit is ASCII. In unfolded text beware that ``re``'s ``\\d`` matches
Arabic-Indic digits unless compiled with ``re.ASCII``, and ``int("٢٠٢٣") == 2023``.

>>> normalize("الأمير  خالدٌ، ٢٤ «أكتوبر»")
'الامير خالد, 24 "اكتوبر"'
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = [
    "normalize",
    "normalize_with_map",
    "original_span",
    "skeleton_of",
    "skeleton_with_map",
]


def _chars(first: int, last: int) -> list[str]:
    return [chr(code) for code in range(first, last + 1)]


# Vowel signs, Quranic annotation marks and tatweel change how a word looks, never which word
# it is; writers and models add or drop them freely.
_REMOVED: frozenset[str] = frozenset(
    _chars(0x0610, 0x061A)
    + _chars(0x064B, 0x065F)
    + ["\u0670"]
    + _chars(0x06D6, 0x06ED)
    + ["\u0640"]
)

# Spelling variants that news and models interchange; each folds to the plainest form.
_LETTERS: dict[str, str] = {
    "\u0623": "\u0627",  # أ -> ا
    "\u0625": "\u0627",  # إ -> ا
    "\u0622": "\u0627",  # آ -> ا
    "\u0671": "\u0627",  # ٱ -> ا
    "\u0649": "\u064a",  # ى -> ي  (alef maqsura)
    "\u06cc": "\u064a",  # ی -> ي  (Persian yeh)
    "\u0626": "\u064a",  # ئ -> ي
    "\u0624": "\u0648",  # ؤ -> و
    "\u0629": "\u0647",  # ة -> ه  (ta marbuta)
    "\u06c0": "\u0647",  # ۀ -> ه
    "\u06be": "\u0647",  # ھ -> ه
    "\u06a9": "\u0643",  # ک -> ك
}

# NFKC leaves Arabic-Indic (U+0660..) and Persian (U+06F0..) digits alone.
_DIGITS: dict[str, str] = {
    **{chr(0x0660 + k): str(k) for k in range(10)},
    **{chr(0x06F0 + k): str(k) for k in range(10)},
}

_PUNCTUATION: dict[str, str] = {
    "\u060c": ",",  # ،
    "\u061b": ";",  # ؛
    "\u061f": "?",  # ؟
    "\u066a": "%",  # ٪
    "\u066b": ".",  # ٫ Arabic decimal separator: ٣٫٥ is 3.5
    "\u066c": ",",  # ٬ Arabic thousands separator
}

_QUOTES: dict[str, str] = {
    **dict.fromkeys("\u00ab\u00bb\u201c\u201d\u201e\u201f\u2033", '"'),  # « » “ ” „ ‟ ″
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),  # ‘ ’ ‚ ‛ ′
}

# ‐ ‑ ‒ – — ― and the minus sign; compatibility dashes (﹘ ﹣ －) reach these through NFKC.
_DASHES: dict[str, str] = dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-")

_FOLD: dict[str, str] = {
    **dict.fromkeys(_REMOVED, ""),
    **_LETTERS,
    **_DIGITS,
    **_PUNCTUATION,
    **_QUOTES,
    **_DASHES,
}


def _fold_chars(text: str) -> str:
    parts: list[str] = []
    for ch in text:
        replacement = _FOLD.get(ch)
        if replacement is not None:
            parts.append(replacement)
        elif ch.isspace():
            parts.append(" ")
        elif unicodedata.category(ch) != "Cf":
            parts.append(ch)
    return "".join(parts)


@lru_cache(maxsize=8192)
def _fold_cluster(cluster: str) -> str:
    # Casefolding can leave text that is not NFKC (and NFKC can reintroduce table characters),
    # hence the second NFKC and the second pass through the table.
    folded = unicodedata.normalize("NFKC", _fold_chars(cluster)).casefold()
    return _fold_chars(unicodedata.normalize("NFKC", folded))


# Category lookups per character dominate folding time; an article has few distinct characters.
_MARK_CACHE: dict[str, bool] = {}


def _is_mark(ch: str) -> bool:
    mark = _MARK_CACHE.get(ch)
    if mark is None:
        mark = _MARK_CACHE[ch] = unicodedata.category(ch)[0] == "M"
    return mark


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` and map each folded character back to its original index.

    Returns ``(folded, pos)`` with ``len(pos) == len(folded) + 1``: ``folded[i]`` came from
    ``text[pos[i]]`` and ``pos[-1] == len(text)``. ``pos`` never decreases.

    >>> normalize_with_map("ﻻ بُدّ")
    ('لا بد', [0, 0, 1, 2, 4, 6])
    """
    out: list[str] = []
    pos: list[int] = []
    size = len(text)
    after_space = False
    start = 0  # first index of the cluster being gathered
    for i in range(1, size + 1):
        if i < size and _is_mark(text[i]):
            continue
        for ch in _fold_cluster(text[start:i]):
            if ch == " ":
                if after_space:
                    continue
                after_space = True
            else:
                after_space = False
            out.append(ch)
            pos.append(start)
        start = i
    pos.append(size)
    return "".join(out), pos


def normalize(text: str) -> str:
    """Fold ``text`` for comparison (see the module docstring for what is folded).

    >>> normalize("وزيرُ الدفاعِ\\u200f\\r\\nالسعوديّ")
    'وزير الدفاع السعودي'
    """
    return normalize_with_map(text)[0]


def skeleton_of(folded: str, pos: list[int]) -> tuple[str, list[int]]:
    """Keep only the letters and digits of an already folded text, carrying its map along."""
    keep = [k for k, ch in enumerate(folded) if ch.isalnum()]
    return "".join(folded[k] for k in keep), [pos[k] for k in keep] + [pos[-1]]


def skeleton_with_map(text: str) -> tuple[str, list[int]]:
    """Letters and digits of the folded text, with the same map convention.

    Spacing and punctuation disappear, so "عبد العزيز" and "عبدالعزيز" meet.

    >>> skeleton_with_map('" عبد العزيز "')[0]
    'عبدالعزيز'
    """
    return skeleton_of(*normalize_with_map(text))


def original_span(pos: list[int], i: int, j: int, *, text: str | None = None) -> tuple[int, int]:
    """Original ``(start, end)``, end exclusive, of the folded slice ``[i:j]``.

    The span runs from the first to the last original character that produced the slice, so it
    takes in whatever was folded away between them but nothing before or after. Given ``text``,
    the end also takes in combining marks on the last character (a tanween, a shadda): cutting
    a letter from its marks would split what a reader sees as one character.

    >>> original_span(normalize_with_map("قال ﻻ")[1], 4, 5)
    (4, 5)
    """
    if not 0 <= i < j < len(pos):
        raise ValueError(f"bad folded slice [{i}:{j}] for a map of {len(pos) - 1} characters")
    start, end = pos[i], pos[j - 1] + 1
    if text is not None:
        while end < len(text) and _is_mark(text[end]):
            end += 1
    return start, end

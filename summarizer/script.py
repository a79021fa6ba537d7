"""Which script a piece of text is written in (Arabic letters against all letters)."""

from __future__ import annotations

import re

# Arabic, Arabic Supplement, Arabic Extended-A and the presentation forms.
_ARABIC_LETTER = re.compile(
    r"[\u0620-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFC]"
)


def has_arabic_letters(text: str) -> bool:
    return _ARABIC_LETTER.search(text) is not None


def letter_count(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def arabic_share(text: str) -> float:
    """Share of Arabic letters among all letters; 0.0 for text without letters."""
    letters = letter_count(text)
    return len(_ARABIC_LETTER.findall(text)) / letters if letters else 0.0


# A text this short ("NATO", "ICI") says little about the script a summary is written in.
MIN_LETTERS_FOR_SCRIPT_CHECK = 8
MIN_ARABIC_SHARE = 0.5


def in_script(text: str, language: str) -> bool:
    """English text has no Arabic letters; Arabic text is mostly Arabic letters."""
    if language == "en":
        return not has_arabic_letters(text)
    return (
        letter_count(text) < MIN_LETTERS_FOR_SCRIPT_CHECK or arabic_share(text) >= MIN_ARABIC_SHARE
    )


def detect_language(text: str) -> str:
    """'ar' when most letters are Arabic, else 'en' (the two languages the product reads)."""
    return "ar" if arabic_share(text[:20_000]) >= 0.5 else "en"

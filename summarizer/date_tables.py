"""Name tables for `summarizer.dates` (months, weekdays, ordinal and relative-day words) and
the regular expressions built from them, so that `dates` holds only the reading and checking.

Spellings are written as news outlets write them; every key is folded through the same
normaliser as the text (hamza and alef forms, ta marbuta, alef maqsura, case), so one
spelling per folded form is enough. Spaces, hyphens and apostrophes inside a name are
optional when matching ("ذوالقعدة", "Dhul-Hijjah", "Shaban"). Each table becomes a regex
alternation (longest first) and a lookup from the folded `key` of a match to its number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from .normalize import normalize

Calendar = Literal["gregorian", "hijri"]

# fmt: off
# One line per month or group reads as a table; the formatter would put each name on a line.

# Egyptian/Gulf transliterations, Levantine/Iraqi names and the Lebanese/Syrian shorthand
# (ت1 ت2 ك1 ك2, "تشرين 2", "كانون1"), Algerian/Tunisian (French-derived) and Moroccan
# (يوليوز غشت شتنبر نونبر دجنبر; "ماي" is shared) names, and English full and abbreviated names.
GREGORIAN_MONTHS: dict[str, int] = {
    "يناير": 1, "كانون الثاني": 1, "كانون ثاني": 1, "جانفي": 1, "ك2": 1, "كانون 2": 1,
    "فبراير": 2, "شباط": 2, "فيفري": 2,
    "مارس": 3, "آذار": 3,
    "أبريل": 4, "ابريل": 4, "نيسان": 4, "أفريل": 4,
    "مايو": 5, "أيار": 5, "ماي": 5,
    "يونيو": 6, "يونيه": 6, "حزيران": 6, "جوان": 6,
    "يوليو": 7, "يوليه": 7, "تموز": 7, "جويلية": 7, "يوليوز": 7,
    "أغسطس": 8, "آب": 8, "أوت": 8, "غشت": 8,
    "سبتمبر": 9, "أيلول": 9, "شتنبر": 9,
    "أكتوبر": 10, "تشرين الأول": 10, "تشرين أول": 10, "ت1": 10, "تشرين 1": 10,
    "نوفمبر": 11, "تشرين الثاني": 11, "تشرين ثاني": 11, "نونبر": 11, "ت2": 11, "تشرين 2": 11,
    "ديسمبر": 12, "كانون الأول": 12, "كانون أول": 12, "دجنبر": 12, "ك1": 12, "كانون 1": 12,
    "January": 1, "Jan": 1, "February": 2, "Feb": 2, "March": 3, "Mar": 3,
    "April": 4, "Apr": 4, "May": 5, "June": 6, "Jun": 6, "July": 7, "Jul": 7,
    "August": 8, "Aug": 8, "September": 9, "Sept": 9, "Sep": 9, "October": 10, "Oct": 10,
    "November": 11, "Nov": 11, "December": 12, "Dec": 12,
}

# hijridate names month 4 "ربيع الثاني"; Saudi outlets write "ربيع الآخر": both are here.
HIJRI_MONTHS: dict[str, int] = {
    "محرم": 1, "المحرم": 1, "صفر": 2,
    "ربيع الأول": 3, "ربيع أول": 3,
    "ربيع الثاني": 4, "ربيع الآخر": 4, "ربيع ثاني": 4,
    "جمادى الأولى": 5, "جمادى الأول": 5,
    "جمادى الآخرة": 6, "جمادى الثانية": 6, "جمادى الآخر": 6, "جمادى الثاني": 6,
    "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10,
    "ذو القعدة": 11, "ذي القعدة": 11, "ذا القعدة": 11,
    "ذو الحجة": 12, "ذي الحجة": 12, "ذا الحجة": 12,
    "Muharram": 1, "Safar": 2, "Rabi al-Awwal": 3, "Rabi ul-Awwal": 3,
    "Rabi al-Thani": 4, "Rabi al-Akhir": 4, "Rabi ul-Thani": 4,
    "Jumada al-Ula": 5, "Jumada al-Awwal": 5, "Jumada al-Akhirah": 6, "Jumada al-Thani": 6,
    "Rajab": 7, "Sha'ban": 8, "Ramadan": 9, "Shawwal": 10,
    "Dhu al-Qa'dah": 11, "Dhu al-Qidah": 11, "Dhul-Qadah": 11, "Dhul-Qidah": 11,
    "Dhu al-Hijjah": 12, "Dhul-Hijjah": 12,
}

# Monday = 0, as datetime.date.weekday() counts.
WEEKDAYS: dict[str, int] = {
    "الإثنين": 0, "الثلاثاء": 1, "الثلثاء": 1, "الأربعاء": 2, "الخميس": 3,
    "الجمعة": 4, "السبت": 5, "الأحد": 6,
    "Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4,
    "Saturday": 5, "Sunday": 6,
}

# Only looked for right beside an absolute date: alone, "sun" or "sat" is an English word.
WEEKDAY_ABBREVIATIONS: dict[str, int] = {
    "Mon": 0, "Tue": 1, "Tues": 1, "Wed": 2, "Thu": 3, "Thur": 3, "Thurs": 3,
    "Fri": 4, "Sat": 5, "Sun": 6,
}

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Days counted from the publication date.
RELATIVE_DAYS: dict[str, int] = {
    "اليوم": 0, "today": 0, "earlier today": 0, "this morning": 0, "this afternoon": 0,
    "this evening": 0, "tonight": 0,
    "أمس": -1, "الأمس": -1, "بالأمس": -1, "yesterday": -1,
    "أمس الأول": -2, "أول أمس": -2, "أول من أمس": -2, "the day before yesterday": -2,
    "غدا": 1, "tomorrow": 1,
    "بعد غد": 2, "the day after tomorrow": 2,
}

# Words naming a month counted from the publication date: "يوم 12 الجاري", "12 من الشهر
# الماضي", "the 12th of this month", "earlier this month on the 12th".
MONTH_OFFSETS: dict[str, int] = {
    "الجاري": 0, "الشهر الجاري": 0, "الشهر الحالي": 0, "هذا الشهر": 0, "this month": 0,
    "الشهر الماضي": -1, "الشهر المنصرم": -1, "الشهر الفائت": -1, "last month": -1,
    "الشهر المقبل": 1, "الشهر القادم": 1, "next month": 1,
}

# Words that move a named weekday off "the latest such day on or before publication".
WEEKDAY_PAST = ("last", "past", "previous", "الماضي", "المنصرم", "الفائت")
WEEKDAY_NEXT = ("next", "coming", "المقبل", "القادم")

# Connectors of a day range ("3-5 March", "3 إلى 5 مارس", "من 3 حتى 5 مارس").
RANGE_WORDS = ("إلى", "الى", "حتى", "لغاية", "و", "to", "until", "till", "through", "and")

# Words between a month and its year ("24 أكتوبر من عام 2023").
YEAR_WORDS = ("عام", "العام", "لعام", "سنة", "لسنة")

# Month names that are also everyday words ("may", "march", أب "father" folds like آب):
# only read beside a day, never when a text is checked for the month it names.
AMBIGUOUS_MONTH_WORDS = ("May", "March", "Mar", "آب")

# Words that sit between a day and a year without being a month ("12 من 2024").
NOT_MONTH_WORDS = ("من", "في", "of", "on", "the", "in")

# Ordinal day words, masculine as a day of the month is written ("الثاني عشر من نوفمبر",
# "the twelfth of November"); spaces inside a name being optional, "الحادي و العشرين" also
# reads "الحادي والعشرين".
_AR_ONES = ("الحادي", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن",
            "التاسع")
_AR_TENS = (("العشرين", 20), ("العشرون", 20), ("الثلاثين", 30), ("الثلاثون", 30))
_EN_ONES = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_EN_TEENS = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
             "sixteenth", "seventeenth", "eighteenth", "nineteenth")
ORDINAL_DAYS: dict[str, int] = {
    "الأول": 1,
    **{word: n for n, word in enumerate(_AR_ONES[1:], 2)},
    "العاشر": 10,
    **{f"{word} عشر": n for n, word in enumerate(_AR_ONES, 11)},
    **{tens: n for tens, n in _AR_TENS},
    **{
        f"{word} و {tens}": n + k
        for tens, n in _AR_TENS
        for k, word in enumerate(_AR_ONES, 1)
        if n + k <= 31
    },
    **{word: n for n, word in enumerate(_EN_ONES, 1)},
    **{word: n for n, word in enumerate(_EN_TEENS, 10)},
    "twentieth": 20,
    **{f"twenty-{word}": n for n, word in enumerate(_EN_ONES, 21)},
    "thirtieth": 30,
    "thirty-first": 31,
}
# fmt: on

# Patterns over folded text.


def fold(text: str) -> str:
    # Tables and text go through the one normaliser grounding uses, so a month name written
    # with hamza, tashkeel or Arabic-Indic digits matches its table entry.
    return normalize(text)


def _name_rx(name: str) -> str:
    # Spaces, hyphens and apostrophes inside a name are optional: "ذوالقعده", "shaban".
    return r"[\s'-]*".join(re.escape(t) for t in re.split(r"[\s'-]+", fold(name)) if t)


def key(matched: str) -> str:
    return re.sub(r"[\s'.-]+", "", fold(matched))


def _table(names: dict[str, int]) -> tuple[str, dict[str, int]]:
    alternatives = sorted({_name_rx(n) for n in names}, key=len, reverse=True)
    return "|".join(alternatives), {key(n): v for n, v in names.items()}


def _words(words: Iterable[str]) -> str:
    return "|".join(sorted({_name_rx(w) for w in words}, key=len, reverse=True))


# \w is Unicode here, so these bounds see Arabic letters; digits are matched as [0-9]
# (the text is folded to ASCII digits, and Python's \d would match any script's digits).
_L = r"(?<![^\W\d_])"  # not preceded by a letter
_R = r"(?![^\W\d_])"  # not followed by a letter
_GREG_RX, GREG_NUMBER = _table(GREGORIAN_MONTHS)
_HIJRI_RX, HIJRI_NUMBER = _table(HIJRI_MONTHS)
MONTH_NUMBER = GREG_NUMBER | HIJRI_NUMBER  # no folded name is in both
_WD_RX, WEEKDAY_NUMBER = _table(WEEKDAYS)
_WDA_RX, ANY_WEEKDAY_NUMBER = _table({**WEEKDAYS, **WEEKDAY_ABBREVIATIONS})
_REL_RX, RELATIVE_OFFSET = _table(RELATIVE_DAYS)
_ORD_RX, ORDINAL_NUMBER = _table(ORDINAL_DAYS)
_MREL_RX, MONTH_OFFSET = _table(MONTH_OFFSETS)
_PROCLITIC = r"(?:[وف](?=ال))?"  # "والخميس", "فاليوم"

_DAY = r"(?<![0-9])(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?(?![0-9])"
_RANGE_WORDS = _words(RANGE_WORDS)
_RANGE = (
    rf"(?:\s*(?:-|{_L}(?:{_RANGE_WORDS}))\s*(?:(?:{_WD_RX})[,،]?\s*)?"
    r"[0-9]{1,2}(?:st|nd|rd|th)?(?![0-9]))?"
)
# Between a day and its month name, and a month name and its year, the separators a
# numeric date uses may stand too: "12 / رمضان / 1445 هـ", "12-Mar-2024", "12.مارس.2024".
_SEP = r"(?:\s*[-/.]\s*|\s*[,،]?\s*)"
_OF = r"\s*(?:[-/.]\s*)?(?:من\s+)?(?:شهر\s+|of\s+)?"
# An ordinal word needs its "من"/"of": "الأول" alone is also the end of "كانون الأول".
_ORDINAL = rf"{_L}(?P<o>{_ORD_RX}){_R}\s+(?:من\s+(?:شهر\s+)?|of\s+)"
_DAYX = rf"(?:{_DAY}|{_L}(?P<o>{_ORD_RX}){_R})"
_WORD = r"[^\W\d_]+"
_YEAR_WORD = rf"(?:{_L}(?:{_words(YEAR_WORDS)})\s*)?"
# A dual form ("تشرين الاول/اكتوبر", "يونيو (حزيران)", "يونيو حزيران") is read by its first
# known name: a slashed or bracketed other name may be one the tables lack ("novembre/نوفمبر"),
# which must not hide the known one.
_ALT = rf"(?:{_WORD}\s*[/(]\s*)??"
_GMONTH = (
    rf"{_L}(?P<m>{_GREG_RX}){_R}\.?(?:\s*[/(]\s*(?:{_GREG_RX}|{_WORD}){_R}\.?\s*\)?"
    rf"|\s+(?:{_GREG_RX}){_R}\.?\s*\)?)?"
)
_GYEAR = rf"(?:{_SEP}(?:من\s+)?{_YEAR_WORD}(?<![0-9])(?P<y>(?:19|20)[0-9]{{2}})(?![0-9]))?"

_ISO = r"(?<![0-9])(?P<y>[0-9]{4})(?P<s>[-/.])(?P<m>[0-9]{1,2})(?P=s)(?P<d>[0-9]{1,2})(?![0-9])"
_DMY = r"(?<![0-9])(?P<d>[0-9]{1,2})(?P<s>[-/.])(?P<m>[0-9]{1,2})(?P=s)(?P<y>[0-9]{4})(?![0-9])"
_HIJRI_YEAR = rf"{_SEP}(?:من\s+)?{_YEAR_WORD}(?<![0-9])(?P<y>1[345][0-9]{{2}})(?![0-9])"
_HYEAR = rf"(?:{_HIJRI_YEAR})?"
# Each pattern yields groups d, m and optionally y; the calendar goes with it.
_SOURCES: tuple[tuple[str, Calendar], ...] = (
    (rf"{_DAY}{_RANGE}{_OF}{_ALT}{_GMONTH}{_GYEAR}", "gregorian"),  # 3-5 مارس 2024
    (rf"{_ORDINAL}{_ALT}{_GMONTH}{_GYEAR}", "gregorian"),  # the first of March 2024
    (rf"{_GMONTH}\s*{_DAY}{_RANGE}{_GYEAR}", "gregorian"),  # March 3-5, 2024
    (_ISO, "gregorian"),  # 2023-10-24
    (_DMY, "gregorian"),  # 24/10/2023
    (rf"{_DAY}{_RANGE}{_OF}{_L}(?P<m>{_HIJRI_RX}){_R}{_HYEAR}", "hijri"),  # 9 ربيع الآخر 1445
    (rf"{_L}(?P<m>{_HIJRI_RX}){_R}\s*{_DAY}{_RANGE}{_HYEAR}", "hijri"),  # Ramadan 1, 1445
    (rf"{_ORDINAL}{_L}(?P<m>{_HIJRI_RX}){_R}{_HYEAR}", "hijri"),  # الأول من رمضان 1445
)
PATTERNS = tuple((re.compile(source), calendar) for source, calendar in _SOURCES)
WEEKDAY_NEAR = re.compile(rf"{_L}{_PROCLITIC}(?P<w>{_WDA_RX}){_R}")
_MODIFIER = _words(WEEKDAY_PAST + WEEKDAY_NEXT)
WEEKDAY_REL = re.compile(
    rf"(?:{_L}(?P<pre>{_MODIFIER})\s+)?{_L}{_PROCLITIC}(?P<w>{_WD_RX}){_R}"
    rf"(?:\s+(?P<post>{_MODIFIER}){_R})?"
)
RELATIVE = re.compile(rf"{_L}{_PROCLITIC}(?P<w>{_REL_RX}){_R}")
IN_MONTH = (  # "12 الجاري", "the 12th of last month"; "this month on the 12th"
    re.compile(rf"{_DAYX}\s*(?:(?:من|of)\s+)?{_L}(?P<r>{_MREL_RX}){_R}"),
    re.compile(rf"{_L}(?P<r>{_MREL_RX}){_R}[\s,،]+(?:on\s+(?:the\s+)?|the\s+|يوم\s+|في\s+){_DAYX}"),
)
# Looked for only when no day is read: a month named anywhere (a Hijri one, or one of the
# AMBIGUOUS_MONTH_WORDS, only with its year: "رجب" is also a name, "may" a verb), and a day
# beside a word that may be an unknown month.
NAMED_GREG = re.compile(rf"{_L}(?P<m>{_GREG_RX}){_R}{_GYEAR}")
NAMED_HIJRI = re.compile(rf"{_L}(?P<m>{_HIJRI_RX}){_R}{_HIJRI_YEAR}")
DAY_WORD_YEAR = re.compile(
    rf"{_DAY}\s+(?:من\s+)?(?P<w>{_WORD})\.?[\s,،]*{_YEAR_WORD}(?P<y>(?:19|20)[0-9]{{2}})(?![0-9])"
)
AMBIGUOUS_KEYS = {key(w) for w in AMBIGUOUS_MONTH_WORDS}
NOT_MONTH_KEYS = {key(w) for w in NOT_MONTH_WORDS + RANGE_WORDS + YEAR_WORDS}
RANGE_GAP = re.compile(rf"[\s,،-]*(?:(?:{_RANGE_WORDS})[\s,،]*)?(?:(?:{_WD_RX})[\s,،]*)?")
PAST_KEYS = {key(w) for w in WEEKDAY_PAST}
NEXT_KEYS = {key(w) for w in WEEKDAY_NEXT}

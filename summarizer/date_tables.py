"""Name tables for `summarizer.dates`: months, weekdays and relative-day words.

Spellings are written as news outlets write them; `summarizer.dates` folds every key
through the same normaliser as the text (hamza and alef forms, ta marbuta, alef maqsura,
case), so one spelling per folded form is enough. Spaces, hyphens and apostrophes inside a
name are optional when matching ("ذوالقعدة", "Dhul-Hijjah", "Shaban").
"""

from __future__ import annotations

# fmt: off
# One line per month or group reads as a table; the formatter would put each name on a line.

# Egyptian/Gulf transliterations, Levantine/Iraqi names, Maghrebi (French-derived) names,
# and English full and abbreviated names.
GREGORIAN_MONTHS: dict[str, int] = {
    "يناير": 1, "كانون الثاني": 1, "كانون ثاني": 1, "جانفي": 1,
    "فبراير": 2, "شباط": 2, "فيفري": 2,
    "مارس": 3, "آذار": 3,
    "أبريل": 4, "ابريل": 4, "نيسان": 4, "أفريل": 4,
    "مايو": 5, "أيار": 5, "ماي": 5,
    "يونيو": 6, "يونيه": 6, "حزيران": 6, "جوان": 6,
    "يوليو": 7, "يوليه": 7, "تموز": 7, "جويلية": 7,
    "أغسطس": 8, "آب": 8, "أوت": 8,
    "سبتمبر": 9, "أيلول": 9,
    "أكتوبر": 10, "تشرين الأول": 10, "تشرين أول": 10,
    "نوفمبر": 11, "تشرين الثاني": 11, "تشرين ثاني": 11,
    "ديسمبر": 12, "كانون الأول": 12, "كانون أول": 12,
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

# Words that move a named weekday off "the latest such day on or before publication".
WEEKDAY_PAST = ("last", "past", "previous", "الماضي", "المنصرم", "الفائت")
WEEKDAY_NEXT = ("next", "coming", "المقبل", "القادم")

# Connectors of a day range ("3-5 March", "3 إلى 5 مارس", "من 3 حتى 5 مارس").
RANGE_WORDS = ("إلى", "الى", "حتى", "لغاية", "و", "to", "until", "till", "through", "and")

# Words between a month and its year ("24 أكتوبر من عام 2023").
YEAR_WORDS = ("عام", "العام", "لعام", "سنة", "لسنة")
# fmt: on

"""Table-driven tests for summarizer.dates.

Every expected day was computed with datetime (weekdays) and hijridate 2.6.0 (Hijri days),
not by hand: 2023-10-24 is a Tuesday and 9 Rabi' al-Thani 1445 by Umm al-Qura; 19 Rajab
1446 is 2025-01-19, a Sunday; 12 Jumada al-Ula 1446 is 2024-11-14, the day after 2024-11-13
(11 Jumada al-Ula); 2024-04-09 is 30 Ramadan 1445 and 2024-04-20 is 11 Shawwal.
"""

from __future__ import annotations

import datetime
from typing import Literal

import pytest

from summarizer.dates import DateReading, check_date, read_date

D = datetime.date
WED = D(2023, 10, 25)  # a Wednesday: relative forms below count back from it
NOV20 = D(2024, 11, 20)  # a Wednesday: "12 الجاري" below is a day of its month
SEED = "اليوم الثلاثاء الموافق 24 من شهر أكتوبر 2023"
SEED_SENTENCE = (
    'حيث التقى وزير الدفاع السعودي الأمير " خالد بن سلمان بن عبد العزيز " في مدينة الرياض، '
    f"وزير الدولة وزير الدفاع الوطني في غينيا ، {SEED}."
)
MONDAY_CONFLICT = "the text says Monday but 2023-10-24 is a Tuesday"


Source = Literal["text", "published"]


def greg(day: D, source: Source = "text", conflict: str | None = None) -> DateReading:
    return DateReading(day, "gregorian", False, source, conflict)


def hijri(day: D, source: Source = "text") -> DateReading:
    return DateReading(day, "hijri", False, source, None)


def rel(day: D | None, conflict: str | None = None) -> DateReading:
    return DateReading(day, "gregorian", True, "published" if day else "none", conflict)


OCT24 = greg(D(2023, 10, 24))

READ_CASES: list[tuple[str, str, D | None, DateReading | None]] = [
    # The seed article and its weekday.
    ("seed", SEED, None, OCT24),
    ("seed-in-sentence", SEED_SENTENCE, None, OCT24),
    ("seed-published-later", SEED, D(2023, 10, 26), OCT24),
    (
        "weekday-conflict",
        "الاثنين الموافق 24 أكتوبر 2023",
        None,
        greg(D(2023, 10, 24), "text", MONDAY_CONFLICT),
    ),
    ("weekday-agrees", "الثلاثاء 24 من شهر أكتوبر 2023", None, OCT24),
    # Egyptian/Gulf month names, spelling variants, digits.
    ("min-month", "24 من أكتوبر 2023", None, OCT24),
    ("arabic-indic-digits", "٢٤ أكتوبر ٢٠٢٣", None, OCT24),
    ("no-hamza", "24 اكتوبر 2023", None, OCT24),
    ("diacritics-tatweel", "٢٤ أُكْتـــوبَر ٢٠٢٣", None, OCT24),
    ("year-word", "24 أكتوبر من عام 2023", None, OCT24),
    ("year-suffix-meem", "24 أكتوبر 2023م", None, OCT24),
    ("egyptian-yunyah", "5 يونيه 2024", None, greg(D(2024, 6, 5))),
    ("egyptian-yulyah", "12 يوليه 2022", None, greg(D(2022, 7, 12))),
    ("aghustus-no-hamza", "3 اغسطس 2023", None, greg(D(2023, 8, 3))),
    ("ibril-kasra", "15 إبريل 2024", None, greg(D(2024, 4, 15))),
    # Levantine names and dual forms.
    ("levant-tishrin-1", "24 تشرين الأول 2023", None, OCT24),
    ("levant-kanun-2", "5 كانون الثاني 2024", None, greg(D(2024, 1, 5))),
    ("levant-kanun-1", "31 كانون الأول 2023", None, greg(D(2023, 12, 31))),
    ("levant-adhar", "15 آذار 2024", None, greg(D(2024, 3, 15))),
    ("levant-ab", "1 آب 2023", None, greg(D(2023, 8, 1))),
    ("levant-ayyar", "20 أيار 2024", None, greg(D(2024, 5, 20))),
    ("dual-slash", "24 تشرين الأول/أكتوبر 2023", None, OCT24),
    ("dual-paren", "7 كانون الثاني (يناير) 2024", None, greg(D(2024, 1, 7))),
    # Maghrebi names.
    ("maghreb-janfi", "12 جانفي 2024", None, greg(D(2024, 1, 12))),
    ("maghreb-fifri", "3 فيفري 2024", None, greg(D(2024, 2, 3))),
    ("maghreb-afril", "15 أفريل 2024", None, greg(D(2024, 4, 15))),
    ("maghreb-mai", "2 ماي 2024", None, greg(D(2024, 5, 2))),
    ("maghreb-juwan", "20 جوان 2023", None, greg(D(2023, 6, 20))),
    ("maghreb-juilliya", "14 جويلية 2023", None, greg(D(2023, 7, 14))),
    ("maghreb-ut", "5 أوت 2023", None, greg(D(2023, 8, 5))),
    # Moroccan names ("ماي", "أبريل" and the Egyptian-shared ones are above).
    ("morocco-yulyuz", "3 يوليوز 2024", None, greg(D(2024, 7, 3))),
    ("morocco-ghusht", "15 غشت 2024", None, greg(D(2024, 8, 15))),
    ("morocco-shutanbir", "20 شتنبر 2024", None, greg(D(2024, 9, 20))),
    ("morocco-nunbir", "12 نونبر 2024", None, greg(D(2024, 11, 12))),
    ("morocco-dujanbir", "5 دجنبر 2024", None, greg(D(2024, 12, 5))),
    ("morocco-dual-paren", "12 نونبر (نوفمبر) 2024", None, greg(D(2024, 11, 12))),
    # Lebanese/Syrian shorthand: ت1/ت2 are Tishrin 1/2 (Oct/Nov), ك1/ك2 Kanun 1/2 (Dec/Jan).
    ("levant-t1", "15 ت1 2024", None, greg(D(2024, 10, 15))),
    ("levant-t2", "12 ت2 2024", None, greg(D(2024, 11, 12))),
    ("levant-k1", "3 ك1 2024", None, greg(D(2024, 12, 3))),
    ("levant-k2", "5 ك2 2025", None, greg(D(2025, 1, 5))),
    ("levant-t2-indic", "١٢ ت٢ ٢٠٢٤", None, greg(D(2024, 11, 12))),
    ("levant-tishrin2-joined", "12 تشرين2 2024", None, greg(D(2024, 11, 12))),
    ("levant-tishrin-2-spaced", "12 تشرين 2 2024", None, greg(D(2024, 11, 12))),
    ("levant-kanun1-joined", "3 كانون1 2024", None, greg(D(2024, 12, 3))),
    ("levant-k2-month-first", "ك2 5, 2025", None, greg(D(2025, 1, 5))),
    ("levant-tishrin-2-no-day", "تشرين 2 2024", None, None),
    # A dual form whose first name no table holds is read by the known one.
    ("dual-unknown-first", "12 novembre/نوفمبر 2024", None, greg(D(2024, 11, 12))),
    # Ordinal day words need "من"/"of" before the month.
    ("ordinal-ar-12", "الثاني عشر من نوفمبر 2024", None, greg(D(2024, 11, 12))),
    ("ordinal-ar-1", "الأول من مارس 2024", None, greg(D(2024, 3, 1))),
    ("ordinal-ar-21", "الحادي والعشرين من مارس 2024", None, greg(D(2024, 3, 21))),
    ("ordinal-ar-31-spaced", "الحادي و الثلاثين من ديسمبر 2024", None, greg(D(2024, 12, 31))),
    ("ordinal-ar-levant", "الأول من كانون الثاني 2024", None, greg(D(2024, 1, 1))),
    ("ordinal-en-12", "the twelfth of November 2024", None, greg(D(2024, 11, 12))),
    ("ordinal-en-21", "the twenty-first of March, 2024", None, greg(D(2024, 3, 21))),
    ("ordinal-hijri", "العاشر من ذي الحجة 1444هـ", None, hijri(D(2023, 6, 28))),
    ("ordinal-in-month-name", "ربيع الأول 1445", None, None),
    # English.
    ("en-month-day-year", "October 24, 2023", None, OCT24),
    ("en-day-month-year", "24 October 2023", None, OCT24),
    ("en-ordinal-of", "the 24th of October 2023", None, OCT24),
    ("en-abbrev-ordinal", "Oct 24th, 2023", None, OCT24),
    ("en-sept", "Sept. 5, 2023", None, greg(D(2023, 9, 5))),
    ("en-weekday-no-year", "Tuesday, Oct. 24", D(2023, 11, 1), greg(D(2023, 10, 24), "published")),
    (
        "en-weekday-abbrev-conflict",
        "Mon, Oct. 24, 2023",
        None,
        greg(D(2023, 10, 24), "text", MONDAY_CONFLICT),
    ),
    # Numeric, day first.
    ("num-slash", "24/10/2023", None, OCT24),
    ("num-dash", "24-10-2023", None, OCT24),
    ("num-dot", "24.10.2023", None, OCT24),
    ("num-iso", "2023-10-24", None, OCT24),
    ("num-arabic-indic", "٢٤/١٠/٢٠٢٣", None, OCT24),
    ("num-month-first-only-reading", "10/24/2023", None, OCT24),
    ("num-day-first-ambiguous", "03/04/2024", None, greg(D(2024, 4, 3))),
    # Ranges give their first day.
    ("range-en-dm", "3-5 March 2024", None, greg(D(2024, 3, 3))),
    ("range-ar-ila", "3 إلى 5 مارس 2024", None, greg(D(2024, 3, 3))),
    ("range-ar-min-hatta", "من 3 حتى 5 مارس", D(2024, 3, 10), greg(D(2024, 3, 3), "published")),
    ("range-en-md", "March 3-5, 2024", None, greg(D(2024, 3, 3))),
    ("range-ar-wa", "3 و5 مارس 2024", None, greg(D(2024, 3, 3))),
    ("range-en-to", "from 3 to 5 March 2024", None, greg(D(2024, 3, 3))),
    ("range-cross-month", "30 September - 2 October 2023", None, greg(D(2023, 9, 30))),
    ("range-cross-year", "30 ديسمبر - 2 يناير 2024", None, greg(D(2023, 12, 30))),
    # Hijri.
    ("hijri-akhir", "9 ربيع الآخر 1445هـ", None, hijri(D(2023, 10, 24))),
    ("hijri-thani-indic", "٩ ربيع الثاني ١٤٤٥ هـ", None, hijri(D(2023, 10, 24))),
    ("hijri-no-marker", "1 رمضان 1445", None, hijri(D(2024, 3, 11))),
    ("hijri-dhi-alhijja", "10 ذي الحجة 1444هـ", None, hijri(D(2023, 6, 28))),
    ("hijri-dhu-alhijja", "10 ذو الحجة 1444", None, hijri(D(2023, 6, 28))),
    ("hijri-jumada-ula", "15 جمادى الأولى 1445هـ", None, hijri(D(2023, 11, 29))),
    ("hijri-muharram", "1 محرم 1446", None, hijri(D(2024, 7, 7))),
    ("hijri-english", "9 Rabi al-Thani 1445 AH", None, hijri(D(2023, 10, 24))),
    ("hijri-numeric", "1445/4/9هـ", None, hijri(D(2023, 10, 24))),
    ("hijri-30-sighted", "30 شعبان 1445", None, hijri(D(2024, 3, 11))),
    ("hijri-no-year", "9 رمضان", D(2024, 3, 25), hijri(D(2024, 3, 19), "published")),
    # Umm al-Qura puts 12 Jumada I 1446 the day after publication: by sighting it may be the
    # publication day, so it is read there and not a year earlier (2023-11-26).
    (
        "hijri-no-year-day-after-published",
        "12 جمادى الأولى",
        D(2024, 11, 13),
        hijri(D(2024, 11, 14), "published"),
    ),
    ("hijri-and-gregorian", "9 ربيع الآخر 1445هـ الموافق 24 أكتوبر 2023م", None, OCT24),
    # Day and month without a year.
    ("no-year-no-published", "12 مارس", None, DateReading(None, "gregorian", False, "none")),
    ("no-year-published", "12 مارس", D(2024, 3, 20), greg(D(2024, 3, 12), "published")),
    ("no-year-previous-year", "28 December", D(2024, 1, 5), greg(D(2023, 12, 28), "published")),
    ("no-year-on-march", "on March 12", D(2024, 3, 1), greg(D(2023, 3, 12), "published")),
    ("no-year-leap-day", "29 فبراير", D(2025, 6, 1), greg(D(2024, 2, 29), "published")),
    # Relative forms, counted back from Wednesday 2023-10-25.
    ("today-ar", "اليوم", WED, rel(WED)),
    ("today-ar-unknown", "اليوم", None, rel(None)),
    ("today-en", "earlier today", WED, rel(WED)),
    ("yesterday-ar", "أمس", WED, rel(D(2023, 10, 24))),
    ("yesterday-ar-bare-alef", "مساء امس", WED, rel(D(2023, 10, 24))),
    ("yesterday-ar-bil", "بالأمس", WED, rel(D(2023, 10, 24))),
    ("yesterday-en", "yesterday", WED, rel(D(2023, 10, 24))),
    ("yesterday-unknown", "yesterday", None, rel(None)),
    ("before-yesterday-ar", "أمس الأول", WED, rel(D(2023, 10, 23))),
    ("before-yesterday-ar-2", "أول أمس", WED, rel(D(2023, 10, 23))),
    ("before-yesterday-en", "the day before yesterday", WED, rel(D(2023, 10, 23))),
    ("weekday-ar-hamza", "الإثنين", WED, rel(D(2023, 10, 23))),
    ("weekday-ar-yawm", "يوم الاثنين", WED, rel(D(2023, 10, 23))),
    ("weekday-ar-madi", "الإثنين الماضي", WED, rel(D(2023, 10, 23))),
    ("weekday-ar-thursday", "الخميس", WED, rel(D(2023, 10, 19))),
    ("weekday-en-on", "on Monday", WED, rel(D(2023, 10, 23))),
    ("weekday-en-last", "last Monday", WED, rel(D(2023, 10, 23))),
    ("weekday-same-day", "Wednesday", WED, rel(WED)),
    ("weekday-last-same-day", "last Wednesday", WED, rel(D(2023, 10, 18))),
    ("weekday-unknown", "الإثنين", None, rel(None)),
    ("today-weekday-agrees", "اليوم الثلاثاء", D(2023, 10, 24), rel(D(2023, 10, 24))),
    (
        "today-weekday-conflict",
        "اليوم الثلاثاء",
        WED,
        rel(WED, "the text says Tuesday but 2023-10-25 is a Wednesday"),
    ),
    ("tomorrow-ar", "غداً", WED, rel(D(2023, 10, 26))),
    ("next-weekday-en", "next Monday", WED, rel(D(2023, 10, 30))),
    ("next-weekday-ar", "الأحد المقبل", WED, rel(D(2023, 10, 29))),
    # A day of the publication's month, whatever the publication's own day.
    ("this-month-ar", "يوم 12 الجاري", NOV20, rel(D(2024, 11, 12))),
    ("this-month-ar-shahr", "12 من الشهر الجاري", NOV20, rel(D(2024, 11, 12))),
    ("this-month-ar-later-day", "يوم 25 الجاري", NOV20, rel(D(2024, 11, 25))),
    ("this-month-ar-ordinal", "الثاني عشر من الشهر الجاري", NOV20, rel(D(2024, 11, 12))),
    ("this-month-en", "the 12th of this month", NOV20, rel(D(2024, 11, 12))),
    ("this-month-en-after", "earlier this month on the 12th", NOV20, rel(D(2024, 11, 12))),
    ("this-month-unknown", "يوم 12 الجاري", None, rel(None)),
    ("this-month-no-such-day", "31 الجاري", NOV20, rel(None)),
    ("last-month-ar", "12 من الشهر الماضي", D(2025, 1, 5), rel(D(2024, 12, 12))),
    ("last-month-en", "the 12th of last month", NOV20, rel(D(2024, 10, 12))),
    (
        "this-month-weekday-conflict",
        "الأربعاء 12 الجاري",
        NOV20,
        rel(D(2024, 11, 12), "the text says Wednesday but 2024-11-12 is a Tuesday"),
    ),
    ("this-year-is-no-day", "في العام الجاري", NOV20, None),
    # The separators numeric dates use, between a day, a month name and a year.
    ("hijri-slashes", "12 / رمضان / 1445 هـ", None, hijri(D(2024, 3, 22))),
    ("hijri-dashes", "12-رمضان-1445", None, hijri(D(2024, 3, 22))),
    ("hijri-numeric", "1445/09/12هـ", None, hijri(D(2024, 3, 22))),
    ("hijri-numeric-indic", "١٤٤٥/٠٩/١٢هـ", None, hijri(D(2024, 3, 22))),
    ("greg-slashes-ar", "12 / مارس / 2024", None, greg(D(2024, 3, 12))),
    ("greg-dots-ar", "12.مارس.2024", None, greg(D(2024, 3, 12))),
    ("greg-dashes-en", "12-Mar-2024", None, greg(D(2024, 3, 12))),
    ("greg-slashes-en", "12/March/2024", None, greg(D(2024, 3, 12))),
    ("range-across-months-dash", "3 مارس - 5 أبريل 2024", None, greg(D(2024, 3, 3))),
    # Nothing readable as a day.
    ("unreadable-phrase", "في وقت سابق من هذا الشهر", WED, None),
    ("month-year-only", "أكتوبر 2023", None, None),
    ("empty", "", WED, None),
    ("invalid-day", "31 نوفمبر 2023", None, None),
]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [pytest.param(t, p, e, id=i) for i, t, p, e in READ_CASES],
)
def test_read_date(text: str, published: D | None, expected: DateReading | None) -> None:
    assert read_date(text, published) == expected


def test_read_date_accepts_datetime_as_published() -> None:
    reading = read_date("أمس", datetime.datetime(2023, 10, 25, 18, 30))
    assert reading is not None and reading.day == D(2023, 10, 24)


# (id, date, date_text, published, problems, warnings): each message is a substring check
# on the one problem or warning expected, so wording can improve without churning the table.
CHECK_CASES: list[tuple[str, D | None, str | None, D | None, list[str], list[str]]] = [
    ("nothing", None, None, None, [], []),
    ("null-date-absolute-text", None, "24 أكتوبر 2023", None, [], []),
    ("null-date-relative-unknown", None, "اليوم", None, [], []),
    ("date-without-text", D(2023, 10, 24), None, WED, ["given without date_text"], []),
    ("date-with-blank-text", D(2023, 10, 24), "  ", WED, ["given without date_text"], []),
    ("seed-agrees", D(2023, 10, 24), SEED, None, [], []),
    (
        "gregorian-mismatch",
        D(2023, 10, 25),
        "24 من شهر أكتوبر 2023",
        None,
        [
            'date 2023-10-25 disagrees with date_text "24 من شهر أكتوبر 2023", '
            "which gives 2023-10-24"
        ],
        [],
    ),
    ("range-first-day", D(2024, 3, 4), "3-5 March 2024", None, ["which gives 2024-03-03"], []),
    (
        "year-guess-no-published",
        D(2024, 3, 12),
        "12 مارس",
        None,
        [
            'the year 2024 of date 2024-03-12 comes neither from date_text "12 مارس" nor from '
            "the publication date: give date null or a date_text that holds the year"
        ],
        [],
    ),
    ("year-from-published", D(2023, 12, 28), "28 December", D(2024, 1, 5), [], []),
    (
        "year-wrong-with-published",
        D(2022, 3, 12),
        "12 مارس",
        D(2024, 3, 20),
        ["gives 2024-03-12"],
        [],
    ),
    ("announced-ahead", D(2024, 3, 12), "12 مارس", D(2024, 3, 5), [], ["announced ahead"]),
    (
        "relative-unknown-published",
        D(2023, 10, 25),
        "اليوم",
        None,
        ['date_text "اليوم" is relative and the publication date is unknown: date must be null'],
        [],
    ),
    ("relative-agrees", D(2023, 10, 24), "أمس", WED, [], []),
    (
        "relative-mismatch",
        D(2023, 10, 25),
        "أمس",
        WED,
        ["counted from the publication date 2023-10-25, gives 2023-10-24"],
        [],
    ),
    ("weekday-relative-agrees", D(2023, 10, 23), "الإثنين", WED, [], []),
    ("weekday-relative-mismatch", D(2023, 10, 16), "on Monday", WED, ["gives 2023-10-23"], []),
    ("hijri-exact", D(2023, 10, 24), "9 ربيع الآخر 1445هـ", None, [], []),
    ("hijri-one-day", D(2023, 10, 25), "9 ربيع الآخر 1445هـ", None, [], ["moon sighting"]),
    (
        "hijri-two-days",
        D(2023, 10, 26),
        "9 ربيع الآخر 1445هـ",
        None,
        ["which gives 2023-10-24"],
        [],
    ),
    (
        "weekday-conflict-warns",
        D(2023, 10, 24),
        "الاثنين الموافق 24 أكتوبر 2023",
        None,
        [],
        [MONDAY_CONFLICT],
    ),
    (
        "today-weekday-conflict-warns",
        WED,
        "اليوم الثلاثاء",
        WED,
        [],
        ["says Tuesday but 2023-10-25"],
    ),
    ("unreadable-year-in-text", D(2023, 10, 24), "أواخر أكتوبر 2023", None, [], []),
    ("unreadable-year-published", D(2023, 10, 10), "في وقت سابق", WED, [], []),
    (
        "unreadable-year-guessed",
        D(2022, 10, 10),
        "في وقت سابق",
        WED,
        ["the year 2022 of date 2022-10-10"],
        [],
    ),
    ("datetime-published", D(2023, 10, 24), "أمس", datetime.datetime(2023, 10, 25, 9, 0), [], []),
    ("morocco-mismatch", D(2024, 11, 15), "12 نونبر 2024", None, ["gives 2024-11-12"], []),
    ("levant-t2-agrees", D(2024, 11, 12), "12 ت2 2024", None, [], []),
    (
        "ordinal-mismatch",
        D(2024, 11, 13),
        "الثاني عشر من نوفمبر 2024",
        None,
        ["gives 2024-11-12"],
        [],
    ),
    # "الجاري": the publication's month; relative, so no publication date means no date.
    ("this-month-agrees", D(2024, 11, 12), "يوم 12 الجاري", NOV20, [], []),
    ("this-month-mismatch", D(2024, 10, 12), "يوم 12 الجاري", NOV20, ["gives 2024-11-12"], []),
    (
        "this-month-unknown-published",
        D(2024, 11, 12),
        "يوم 12 الجاري",
        None,
        ["publication date is unknown: date must be null"],
        [],
    ),
    (
        "this-month-no-such-day",
        D(2024, 11, 30),
        "31 الجاري",
        NOV20,
        ["names no day of the month of the publication date 2024-11-20"],
        [],
    ),
    # A weekday beside a Hijri date picks the day among those moon sighting allows.
    ("hijri-weekday-agrees", D(2025, 1, 19), "يوم الأحد 19 رجب 1446هـ", None, [], []),
    (
        "hijri-weekday-contradicts-date",
        D(2025, 1, 20),
        "يوم الأحد 19 رجب 1446هـ",
        None,
        [
            'date 2025-01-20 is a Monday, but date_text "يوم الأحد 19 رجب 1446هـ" says Sunday '
            "and the Umm al-Qura calendar reads it as 2025-01-19"
        ],
        [],
    ),
    (
        "hijri-weekday-confirms-sighting",
        D(2025, 1, 20),
        "يوم الاثنين 19 رجب 1446هـ",
        None,
        [],
        ["moon sighting can shift a Hijri date by a day, and the Monday it names agrees"],
    ),
    (
        "hijri-weekday-overrules-umm-al-qura",
        D(2025, 1, 19),
        "يوم الاثنين 19 رجب 1446هـ",
        None,
        ["of the days moon sighting allows, only 2025-01-20 is a Monday"],
        [],
    ),
    (
        "hijri-weekday-matches-nothing",
        D(2025, 1, 20),
        "يوم الثلاثاء 19 رجب 1446هـ",
        None,
        [],
        ["the text says Tuesday but 2025-01-19 is a Sunday", "moon sighting"],
    ),
    # Published 2024-11-13 = 11 Jumada I 1446: a date on the publication day is not "after"
    # it; the day after is.
    (
        "hijri-no-year-on-published",
        D(2024, 11, 13),
        "12 جمادى الأولى",
        D(2024, 11, 13),
        [],
        ["moon sighting"],
    ),
    (
        "hijri-no-year-after-published",
        D(2024, 11, 14),
        "12 جمادى الأولى",
        D(2024, 11, 13),
        [],
        ["date 2024-11-14 is after the publication date 2024-11-13"],
    ),
    # With no day read, an unknown month word or a bare month still cannot pass a wrong date.
    ("unknown-month-wrong-day", D(2024, 11, 15), "12 Brumaire 2024", None, ["not on day 12"], []),
    (
        "unknown-month-day-agrees",
        D(2024, 11, 12),
        "12 Brumaire 2024",
        None,
        [],
        ['"brumaire" is not read as a month'],
    ),
    (
        "dual-unknown-first-wrong-day",
        D(2024, 11, 15),
        "12 novembre/نوفمبر 2024",
        None,
        ["gives 2024-11-12"],
        [],
    ),
    ("month-only-wrong", D(2023, 11, 24), "أواخر أكتوبر 2023", None, ["in none of the months"], []),
    (
        "month-only-ambiguous-with-year",
        D(2024, 6, 1),
        "late May 2024",
        None,
        ["none of the months"],
        [],
    ),
    ("month-only-ambiguous-verb", D(2024, 6, 1), "talks that may resume in 2024", None, [], []),
    ("invalid-day", D(2023, 11, 30), "31 نوفمبر 2023", None, ["a day its month does not have"], []),
    # A right answer whose date_text uses separators is not a guessed year.
    ("hijri-slashes-right", D(2024, 3, 22), "12 / رمضان / 1445 هـ", None, [], []),
    ("hijri-numeric-right", D(2024, 3, 22), "1445/09/12هـ", None, [], []),
    (
        "hijri-slashes-wrong",
        D(2024, 3, 25),
        "12 / رمضان / 1445 هـ",
        None,
        ["disagrees with"],
        [],
    ),
    ("hijri-month-only", D(2024, 4, 9), "أواخر رمضان 1445", None, [], []),  # 30 Ramadan
    (
        "hijri-month-only-wrong",
        D(2024, 4, 20),
        "أواخر رمضان 1445",
        None,
        ["in none of the months"],
        [],
    ),
]


@pytest.mark.parametrize(
    ("date", "date_text", "published", "problems", "warnings"),
    [pytest.param(d, t, p, pr, w, id=i) for i, d, t, p, pr, w in CHECK_CASES],
)
def test_check_date(
    date: D | None,
    date_text: str | None,
    published: D | None,
    problems: list[str],
    warnings: list[str],
) -> None:
    check = check_date(date, date_text, published)
    assert len(check.problems) == len(problems), check.problems
    assert len(check.warnings) == len(warnings), check.warnings
    for got, want in zip(check.problems + check.warnings, problems + warnings, strict=True):
        assert want in got
    assert check.ok == (not problems)

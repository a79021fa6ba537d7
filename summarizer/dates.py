"""Read the date an article gives for an event, and check a model's `date` against it.

dateparser misses the forms Arabic news uses ("الثلاثاء 24 من شهر أكتوبر 2023",
Levantine, Maghrebi and Moroccan month names and "ت2", dual forms "تشرين الأول/أكتوبر",
ordinal days "الثاني عشر من نوفمبر", "12 الجاري", Hijri dates), so this is a regex reader
over folded text with the tables and patterns of `summarizer.date_tables`.

A Hijri date a day off Umm al-Qura is a warning (moon sighting), unless a weekday in the
text settles the day. A text with no readable day still has its month, and a day beside an
unknown month word, checked, so an unknown word never lets a wrong date pass silently.

>>> read_date("اليوم الثلاثاء الموافق 24 من شهر أكتوبر 2023").day
datetime.date(2023, 10, 24)
>>> check_date(datetime.date(2023, 10, 25), "24 أكتوبر 2023", None).problems
['date 2023-10-25 disagrees with date_text "24 أكتوبر 2023", which gives 2023-10-24']
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Literal

from hijridate import Gregorian, Hijri

from .date_tables import (
    AMBIGUOUS_KEYS,
    ANY_WEEKDAY_NUMBER,
    DAY_WORD_YEAR,
    GREG_NUMBER,
    HIJRI_NUMBER,
    IN_MONTH,
    MONTH_NUMBER,
    MONTH_OFFSET,
    NAMED_GREG,
    NAMED_HIJRI,
    NEXT_KEYS,
    NOT_MONTH_KEYS,
    ORDINAL_NUMBER,
    PAST_KEYS,
    PATTERNS,
    RANGE_GAP,
    RELATIVE,
    RELATIVE_OFFSET,
    WEEKDAY_NAMES,
    WEEKDAY_NEAR,
    WEEKDAY_NUMBER,
    WEEKDAY_REL,
    Calendar,
    fold,
    key,
)
from .normalize import normalize_with_map, original_span

YearSource = Literal["text", "published", "none"]


@dataclass(frozen=True)
class DateReading:
    """What a date text names. `day` is None when it cannot be resolved."""

    day: datetime.date | None
    calendar: Calendar
    relative: bool
    year_source: YearSource
    weekday_conflict: str | None = None


@dataclass(frozen=True)
class DateCheck:
    """Problems go back to the model in a re-ask; warnings go to `meta.warnings`."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    calendar: Calendar
    year: int | None
    month: int
    day: int


@dataclass(frozen=True)
class _Read:
    reading: DateReading
    found: _Found | None  # the absolute date read, None for a relative text
    weekday: int | None = None  # the weekday the text names beside an absolute date


def _to_date(calendar: Calendar, year: int, month: int, day: int) -> datetime.date | None:
    try:
        if calendar == "gregorian":
            return datetime.date(year, month, day)
        return datetime.date(*Hijri(year, month, day).to_gregorian().datetuple())
    except OverflowError:
        return None
    except ValueError:
        if calendar == "hijri" and day == 30:
            # Where the moon was sighted late, a month Umm al-Qura ends on the 29th has a
            # 30th: the day after the 29th.
            before = _to_date(calendar, year, month, 29)
            return before + datetime.timedelta(days=1) if before else None
        return None


def _year_of(calendar: Calendar, day: datetime.date) -> int:
    if calendar == "gregorian":
        return day.year
    year: int = Gregorian.fromdate(day).to_hijri().year
    return year


def _latest(found: _Found, published: datetime.date) -> datetime.date | None:
    """The latest day with this day and month on or before `published`.

    A Hijri day Umm al-Qura puts the day after publication may be the publication day by
    moon sighting, so it counts too: reading it a year earlier would call the publication
    day "after publication" (a yearless "12 جمادى الأولى" published 2024-11-13).
    """
    base = _year_of(found.calendar, published)
    last = published + datetime.timedelta(days=1 if found.calendar == "hijri" else 0)
    for year in range(base, base - 9, -1):  # 29 February recurs within 8 years
        day = _to_date(found.calendar, year, found.month, found.day)
        if day is not None and day <= last:
            return day
    return None


def _day_of(m: re.Match[str]) -> int:
    digits = m.groupdict().get("d")
    return int(digits) if digits else ORDINAL_NUMBER[key(m["o"])]


def _candidates(folded: str) -> list[_Found]:
    found: list[_Found] = []
    for pattern, calendar in PATTERNS:
        for m in pattern.finditer(folded):
            month, day, year = m["m"], _day_of(m), int(m["y"]) if m["y"] else None
            number = int(month) if month.isdigit() else MONTH_NUMBER[key(month)]
            cal: Calendar = calendar
            if year is not None and 1343 <= year <= 1500:
                cal = "hijri"  # a numeric date with a Hijri year: "1445/4/9هـ"
            if year is not None and cal == "gregorian" and not 1800 <= year <= 2200:
                continue
            if month.isdigit() and day <= 12 < number:
                number, day = day, number  # "10/24/2023" can only be month first
            # Validate a yearless day against a leap year, so "29 February" stays readable.
            probe = year or (2024 if cal == "gregorian" else 1445)
            if _to_date(cal, probe, number, day) is not None:
                found.append(_Found(m.start(), m.end(), cal, year, number, day))
    return sorted(found, key=lambda f: (f.start, -f.end))


def _borrow_year(found: _Found, others: list[_Found], folded: str) -> _Found:
    """Give "30 September" in "30 September - 2 October 2023" the year of the range's end."""
    for other in others:
        if other.start < found.end or other.year is None or other.calendar != found.calendar:
            continue
        if RANGE_GAP.fullmatch(folded, found.end, other.start):
            year = other.year - 1 if found.month > other.month else other.year
            return _Found(found.start, found.end, found.calendar, year, found.month, found.day)
        break
    return found


def _conflict(named: int | None, day: datetime.date | None) -> str | None:
    if named is None or day is None or day.weekday() == named:
        return None
    names = WEEKDAY_NAMES
    return f"the text says {names[named]} but {day.isoformat()} is a {names[day.weekday()]}"


def _weekday_near(folded: str, start: int, end: int) -> int | None:
    before = list(WEEKDAY_NEAR.finditer(folded, max(0, start - 40), start))
    after = WEEKDAY_NEAR.search(folded, end, end + 20)
    m = before[-1] if before else after
    return ANY_WEEKDAY_NUMBER[key(m["w"])] if m else None


def _absolute(folded: str, published: datetime.date | None) -> _Read | None:
    candidates = _candidates(folded)
    if not candidates:
        return None
    # A Gregorian date beside a Hijri one wins.
    first = next((f for f in candidates if f.calendar == "gregorian"), candidates[0])
    if first.year is None:
        first = _borrow_year(first, candidates, folded)
    day: datetime.date | None
    source: YearSource
    if first.year is not None:
        day, source = _to_date(first.calendar, first.year, first.month, first.day), "text"
    elif published is not None:
        day, source = _latest(first, published), "published"
    else:
        day, source = None, "none"
    named = _weekday_near(folded, first.start, first.end)
    reading = DateReading(day, first.calendar, False, source, _conflict(named, day))
    return _Read(reading, first, named)


def _in_month(folded: str, published: datetime.date | None) -> _Read | None:
    """A day of a month counted from publication ("12 الجاري"): relative, as "أمس" is."""
    m = IN_MONTH[0].search(folded) or IN_MONTH[1].search(folded)
    if m is None:
        return None
    day: datetime.date | None = None
    if published is not None:
        month = published.year * 12 + published.month - 1 + MONTH_OFFSET[key(m["r"])]
        try:
            day = datetime.date(month // 12, month % 12 + 1, _day_of(m))
        except ValueError:  # "31 الجاري" in a 30-day month names no day
            pass
    named = _weekday_near(folded, m.start(), m.end())
    source: YearSource = "published" if day is not None else "none"
    return _Read(DateReading(day, "gregorian", True, source, _conflict(named, day)), None)


def _relative(folded: str, published: datetime.date | None) -> _Read | None:
    word = RELATIVE.search(folded)
    weekday = WEEKDAY_REL.search(folded)
    if word is None and weekday is None:
        return None
    named = WEEKDAY_NUMBER[key(weekday["w"])] if weekday else None
    day: datetime.date | None = None
    if published is not None and word is not None:
        day = published + datetime.timedelta(days=RELATIVE_OFFSET[key(word["w"])])
    elif published is not None and weekday is not None and named is not None:
        modifiers = {key(weekday[g]) for g in ("pre", "post") if weekday[g]}
        if modifiers & NEXT_KEYS:
            day = published + datetime.timedelta(days=(named - published.weekday()) % 7 or 7)
        else:
            back = (published.weekday() - named) % 7
            # "last Monday" said on a Monday means a week ago, not today.
            day = published - datetime.timedelta(days=back or (7 if modifiers & PAST_KEYS else 0))
    conflict = _conflict(named, day) if word is not None else None
    source: YearSource = "published" if day is not None else "none"
    return _Read(DateReading(day, "gregorian", True, source, conflict), None)


def _plain(value: datetime.date | None) -> datetime.date | None:
    # A datetime is a date too, but mixing the two in comparisons raises TypeError.
    return value.date() if isinstance(value, datetime.datetime) else value


def _read(text: str, published: datetime.date | None) -> _Read | None:
    folded = fold(text)
    return (
        _absolute(folded, published) or _in_month(folded, published) or _relative(folded, published)
    )


def read_date(text: str, published: datetime.date | None = None) -> DateReading | None:
    """Read the first date `text` names; None when it names none.

    >>> read_date("أمس", datetime.date(2023, 10, 25)).day
    datetime.date(2023, 10, 24)
    """
    read = _read(text, _plain(published))
    return read.reading if read else None


def check_date(
    date: datetime.date | None, date_text: str | None, published: datetime.date | None
) -> DateCheck:
    """Check a model's `date` against its `date_text` and the publication date.

    >>> check_date(None, "اليوم", None).ok
    True
    """
    check = DateCheck()
    _check(check, _plain(date), (date_text or "").strip(), _plain(published))
    return check


def _check(
    check: DateCheck, date: datetime.date | None, text: str, published: datetime.date | None
) -> None:
    problems, warnings = check.problems, check.warnings
    if not text:
        if date is not None:
            problems.append(
                f"date {date} is given without date_text: quote in date_text the words"
                " where the article gives the date, or give date null"
            )
        return
    quoted = f'date_text "{text}"'
    read = _read(text, published)
    found = read.found if read else None
    conflict = read.reading.weekday_conflict if read else None
    if conflict and (date is None or found is None):
        # An absolute date's weekday is weighed below, against the day the date is held to.
        warnings.append(f"{quoted}: {conflict}")
    if date is None:
        return  # a null date is never wrong: it is what the model gives when unsure
    guess = (
        f"the year {date.year} of date {date} comes neither from {quoted} nor from the "
        "publication date: give date null or a date_text that holds the year"
    )
    if read is None:
        _check_unread(check, date, fold(text), quoted, published, guess)
        return
    reading = read.reading
    if found is None:  # a relative text
        if reading.day is None:
            problems.append(
                f"{quoted} is relative and the publication date is unknown: date must be null"
                if published is None
                else f"{quoted} names no day of the month of the publication date {published}:"
                " date must be null"
            )
        elif date != reading.day:
            problems.append(
                f"date {date} disagrees with {quoted}, which, counted from the "
                f"publication date {published}, gives {reading.day}"
            )
        return
    expected = reading.day
    if reading.year_source == "none":
        problems.append(guess)
        return
    cal = found.calendar
    if reading.year_source == "published" and published is not None:
        # Besides the latest such day on or before publication, the same day in the
        # publication's year is right for an event announced ahead. The warning asks about
        # `date` itself: a Hijri day one off may be the publication day (moon sighting).
        ahead = _to_date(cal, _year_of(cal, published), found.month, found.day)
        tolerance = 1 if cal == "hijri" else 0
        if ahead is not None and abs((date - ahead).days) <= tolerance:
            expected = ahead
            if date > published:
                warnings.append(
                    f"date {date} is after the publication date {published} and "
                    f"{quoted} gives no year: an event announced ahead?"
                )
    if expected is None:
        return
    gap, named = abs((date - expected).days), read.weekday
    # Moon sighting lets a Hijri date fall a day either side of Umm al-Qura; a weekday the
    # text names picks which of those days it is.
    near = [expected + datetime.timedelta(days=k) for k in (-1, 0, 1)]
    sighted = next((d for d in near if d.weekday() == named), None) if cal == "hijri" else None
    if sighted is None and (conflict := _conflict(named, expected)):
        warnings.append(f"{quoted}: {conflict}")
    days = WEEKDAY_NAMES
    if sighted is not None and gap <= 1 and date != sighted:
        problems.append(
            f"date {date} is a {days[date.weekday()]}, but {quoted} says {days[sighted.weekday()]}"
            f" and the Umm al-Qura calendar reads it as {expected}: of the days moon sighting"
            f" allows, only {sighted} is a {days[sighted.weekday()]}"
        )
    elif gap == 1 and cal == "hijri":
        agrees = f", and the {days[date.weekday()]} it names agrees with {date}" if sighted else ""
        warnings.append(
            f"date {date} is one day from {quoted}, which the Umm al-Qura calendar "
            f"reads as {expected}: moon sighting can shift a Hijri date by a day{agrees}"
        )
    elif gap:
        problems.append(f"date {date} disagrees with {quoted}, which gives {expected}")


def _check_unread(
    check: DateCheck,
    date: datetime.date,
    folded: str,
    quoted: str,
    published: datetime.date | None,
    guess: str,
) -> None:
    """No day is read, but an unknown word must not let any date pass: the date must be in
    a month the text names, and on the day it gives beside a word that is not a month."""
    greg = [m for m in NAMED_GREG.finditer(folded) if m["y"] or key(m["m"]) not in AMBIGUOUS_KEYS]
    hijri = list(NAMED_HIJRI.finditer(folded))
    try:  # moon sighting: the Hijri month of the day before or after counts too
        near = [
            Gregorian.fromdate(date + datetime.timedelta(days=k)).to_hijri() for k in (-1, 0, 1)
        ]
    except OverflowError:
        near, hijri = [], []
    in_text = re.search(rf"(?<![0-9]){date.year}(?![0-9])", folded) is not None
    in_text |= any(h.year == int(m["y"]) for m in hijri for h in near)  # "رمضان 1445"
    if not in_text and (published is None or published.year != date.year):
        check.problems.append(guess)
    months = {GREG_NUMBER[key(m["m"])] for m in greg}
    hijri_months = {HIJRI_NUMBER[key(m["m"])] for m in hijri}
    if (greg or hijri) and date.month not in months and not {h.month for h in near} & hijri_months:
        names = ", ".join(dict.fromkeys(m["m"] for m in greg + hijri))
        check.problems.append(f"date {date} is in none of the months {quoted} names ({names})")
    m = DAY_WORD_YEAR.search(folded)
    if m is None or (word := key(m["w"])) in NOT_MONTH_KEYS:
        return
    if word in MONTH_NUMBER:  # a known month with a day it lacks ("31 نوفمبر")
        check.problems.append(f"{quoted} names a day its month does not have: date must be null")
    elif int(m["d"]) != date.day:
        check.problems.append(
            f'date {date} is not on day {m["d"]}, which {quoted} gives beside "{m["w"]}", '
            "a word not read as a month"
        )
    else:
        check.warnings.append(
            f'{quoted}: "{m["w"]}" is not read as a month, so only the day and year of '
            f"date {date} were checked"
        )


_WORD = re.compile(r"\S+")
_MAX_DATE_WORDS = 8  # "الثلاثاء 11 جمادى الأولى 1446 هـ - 13 نوفمبر" is eight
_EDGE_PUNCTUATION = ".,،؛:()[]\"'«»"


def written_date(
    article: str, day: datetime.date, published: datetime.date | None
) -> tuple[int, int] | None:
    """Where ``article`` writes ``day``: the fewest words that read as that day and pass
    ``check_date`` with it, a date written out in full before one that borrows its year or is
    relative ("today" says the day only when the publication date is right), the first of
    equals; None when the article never writes that day.

    A small model asked for an English summary of an Arabic article gives the right ``date``
    with a ``date_text`` of its own ("Tuesday, October 24, 2023"); the article's own words
    for that day ground the date as well as a copied ``date_text`` would.

    >>> article = "التقى الوزير اليوم الثلاثاء الموافق 24 من شهر أكتوبر 2023 نظيره."
    >>> start, end = written_date(article, datetime.date(2023, 10, 24), datetime.date(2023, 10, 24))
    >>> article[start:end]
    '24 من شهر أكتوبر 2023'
    >>> written_date("التقى الوزير اليوم نظيره.", datetime.date(2023, 10, 24), None) is None
    True
    """
    words = [(m.start(), m.end()) for m in _WORD.finditer(article)]
    published = _plain(published)
    best: tuple[bool, bool, int, int, int] | None = None  # preference order, then the span
    for i, (start, _) in enumerate(words):
        stop = min(i + _MAX_DATE_WORDS, len(words))
        if _read(article[start : words[stop - 1][1]], published) is None:  # none starts here
            continue
        for j in range(i, stop):
            text = article[start : words[j][1]].strip(_EDGE_PUNCTUATION)
            reading = read_date(text, published)
            if reading and reading.day == day and check_date(day, text, published).ok:
                offset = article.index(text, start)
                borrowed = reading.year_source != "text"
                found = (reading.relative, borrowed, j - i + 1, offset, offset + len(text))
                best = min(best, found) if best else found
    return (best[-2], best[-1]) if best else None


@dataclass(frozen=True)
class NamedDay:
    """A day a text names, as written: ``day`` when its year is given (a Hijri day is turned
    into its Gregorian day), ``month_day`` (month, day) for a Gregorian day without a year;
    both None for a Hijri day without a year, which names no day on its own."""

    text: str
    day: datetime.date | None
    month_day: tuple[int, int] | None


def days_named(text: str) -> list[NamedDay]:
    """Every day ``text`` names with a month name or in numbers ("10 February 2025", "١٠
    فبراير", "10/2/2025"), in order. What a digest paragraph's check compares with its facts.

    >>> [d.day for d in days_named("They met on 10 February 2025 and on 2 شعبان 1446.")]
    [datetime.date(2025, 2, 10), datetime.date(2025, 2, 1)]
    """
    folded, pos = normalize_with_map(text)  # what ``fold`` does, mapped back to ``text``
    named = []
    for found in _candidates(folded):
        start, end = original_span(pos, found.start, found.end, text=text)
        words = text[start:end]
        if found.year is not None:
            day = _to_date(found.calendar, found.year, found.month, found.day)
            named.append(NamedDay(words, day, None))
        elif found.calendar == "gregorian":
            named.append(NamedDay(words, None, (found.month, found.day)))
        else:
            named.append(NamedDay(words, None, None))
    return named

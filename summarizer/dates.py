"""Read the date an article gives for an event, and check a model's `date` against it.

dateparser misses the forms Arabic news uses ("الثلاثاء 24 من شهر أكتوبر 2023",
Levantine and Maghrebi month names, dual forms "تشرين الأول/أكتوبر", Hijri dates), so this
is a regex reader over folded text with the tables of `summarizer.date_tables`.

>>> read_date("اليوم الثلاثاء الموافق 24 من شهر أكتوبر 2023").day
datetime.date(2023, 10, 24)
>>> check_date(datetime.date(2023, 10, 25), "24 أكتوبر 2023", None).problems
['date 2023-10-25 disagrees with date_text "24 أكتوبر 2023", which gives 2023-10-24']
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from hijridate import Gregorian, Hijri

from . import date_tables as tables
from .normalize import normalize

Calendar = Literal["gregorian", "hijri"]
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


def _fold(text: str) -> str:
    # Tables and text go through the one normaliser grounding uses, so a month name written
    # with hamza, tashkeel or Arabic-Indic digits matches its table entry.
    return normalize(text)


def _name_rx(name: str) -> str:
    # Spaces, hyphens and apostrophes inside a name are optional: "ذوالقعده", "shaban".
    return r"[\s'-]*".join(re.escape(t) for t in re.split(r"[\s'-]+", _fold(name)) if t)


def _key(matched: str) -> str:
    return re.sub(r"[\s'.-]+", "", _fold(matched))


def _table(names: dict[str, int]) -> tuple[str, dict[str, int]]:
    alternatives = sorted({_name_rx(n) for n in names}, key=len, reverse=True)
    return "|".join(alternatives), {_key(n): v for n, v in names.items()}


def _words(words: Iterable[str]) -> str:
    return "|".join(sorted({_name_rx(w) for w in words}, key=len, reverse=True))


# \w is Unicode here, so these bounds see Arabic letters; digits are matched as [0-9]
# (the text is folded to ASCII digits, and Python's \d would match any script's digits).
_L = r"(?<![^\W\d_])"  # not preceded by a letter
_R = r"(?![^\W\d_])"  # not followed by a letter
_GREG_RX, _GREG = _table(tables.GREGORIAN_MONTHS)
_HIJRI_RX, _HIJRI = _table(tables.HIJRI_MONTHS)
_MONTHS = _GREG | _HIJRI  # no folded name is in both
_WD_RX, _WD = _table(tables.WEEKDAYS)
_WDA_RX, _WDA = _table({**tables.WEEKDAYS, **tables.WEEKDAY_ABBREVIATIONS})
_REL_RX, _REL = _table(tables.RELATIVE_DAYS)
_PROCLITIC = r"(?:[وف](?=ال))?"  # "والخميس", "فاليوم"

_DAY = r"(?<![0-9])(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?(?![0-9])"
_RANGE_WORDS = _words(tables.RANGE_WORDS)
_RANGE = (
    rf"(?:\s*(?:-|{_L}(?:{_RANGE_WORDS}))\s*(?:(?:{_WD_RX})[,،]?\s*)?"
    r"[0-9]{1,2}(?:st|nd|rd|th)?(?![0-9]))?"
)
_OF = r"\s*(?:من\s+)?(?:شهر\s+|of\s+)?"
_YEAR_WORD = rf"(?:{_L}(?:{_words(tables.YEAR_WORDS)})\s*)?"
# A dual form ("تشرين الاول/اكتوبر", "يونيو (حزيران)", "يونيو حزيران") is read by its first name.
_GMONTH = rf"{_L}(?P<m>{_GREG_RX}){_R}\.?(?:(?:\s*[/(]\s*|\s+)(?:{_GREG_RX}){_R}\.?\s*\)?)?"
_GYEAR = rf"(?:\s*[,،]?\s*(?:من\s+)?{_YEAR_WORD}(?<![0-9])(?P<y>(?:19|20)[0-9]{{2}})(?![0-9]))?"

_ISO = r"(?<![0-9])(?P<y>[0-9]{4})(?P<s>[-/.])(?P<m>[0-9]{1,2})(?P=s)(?P<d>[0-9]{1,2})(?![0-9])"
_DMY = r"(?<![0-9])(?P<d>[0-9]{1,2})(?P<s>[-/.])(?P<m>[0-9]{1,2})(?P=s)(?P<y>[0-9]{4})(?![0-9])"
_HYEAR = rf"(?:\s*[,،]?\s*(?:من\s+)?{_YEAR_WORD}(?<![0-9])(?P<y>1[345][0-9]{{2}})(?![0-9]))?"
# Each pattern yields groups d, m and optionally y; the calendar goes with it.
_SOURCES: tuple[tuple[str, Calendar], ...] = (
    (rf"{_DAY}{_RANGE}{_OF}{_GMONTH}{_GYEAR}", "gregorian"),  # 3-5 مارس 2024
    (rf"{_GMONTH}\s*{_DAY}{_RANGE}{_GYEAR}", "gregorian"),  # March 3-5, 2024
    (_ISO, "gregorian"),  # 2023-10-24
    (_DMY, "gregorian"),  # 24/10/2023
    (rf"{_DAY}{_RANGE}{_OF}{_L}(?P<m>{_HIJRI_RX}){_R}{_HYEAR}", "hijri"),  # 9 ربيع الآخر 1445
    (rf"{_L}(?P<m>{_HIJRI_RX}){_R}\s*{_DAY}{_RANGE}{_HYEAR}", "hijri"),  # Ramadan 1, 1445
)
_PATTERNS = tuple((re.compile(source), calendar) for source, calendar in _SOURCES)
_WEEKDAY_NEAR = re.compile(rf"{_L}{_PROCLITIC}(?P<w>{_WDA_RX}){_R}")
_MODIFIER = _words(tables.WEEKDAY_PAST + tables.WEEKDAY_NEXT)
_WEEKDAY_REL = re.compile(
    rf"(?:{_L}(?P<pre>{_MODIFIER})\s+)?{_L}{_PROCLITIC}(?P<w>{_WD_RX}){_R}"
    rf"(?:\s+(?P<post>{_MODIFIER}){_R})?"
)
_RELATIVE = re.compile(rf"{_L}{_PROCLITIC}(?P<w>{_REL_RX}){_R}")
_RANGE_GAP = re.compile(rf"[\s,،-]*(?:(?:{_RANGE_WORDS})[\s,،]*)?(?:(?:{_WD_RX})[\s,،]*)?")
_PAST = {_key(w) for w in tables.WEEKDAY_PAST}
_NEXT = {_key(w) for w in tables.WEEKDAY_NEXT}


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
    """The latest day with this day and month on or before `published`."""
    base = _year_of(found.calendar, published)
    for year in range(base, base - 9, -1):  # 29 February recurs within 8 years
        day = _to_date(found.calendar, year, found.month, found.day)
        if day is not None and day <= published:
            return day
    return None


def _candidates(folded: str) -> list[_Found]:
    found: list[_Found] = []
    for pattern, calendar in _PATTERNS:
        for m in pattern.finditer(folded):
            month, day, year = m["m"], int(m["d"]), int(m["y"]) if m["y"] else None
            number = int(month) if month.isdigit() else _MONTHS[_key(month)]
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
        if _RANGE_GAP.fullmatch(folded, found.end, other.start):
            year = other.year - 1 if found.month > other.month else other.year
            return _Found(found.start, found.end, found.calendar, year, found.month, found.day)
        break
    return found


def _conflict(named: int | None, day: datetime.date | None) -> str | None:
    if named is None or day is None or day.weekday() == named:
        return None
    names = tables.WEEKDAY_NAMES
    return f"the text says {names[named]} but {day.isoformat()} is a {names[day.weekday()]}"


def _weekday_near(folded: str, found: _Found) -> int | None:
    before = list(_WEEKDAY_NEAR.finditer(folded, max(0, found.start - 40), found.start))
    after = _WEEKDAY_NEAR.search(folded, found.end, found.end + 20)
    m = before[-1] if before else after
    return _WDA[_key(m["w"])] if m else None


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
    conflict = _conflict(_weekday_near(folded, first), day)
    return _Read(DateReading(day, first.calendar, False, source, conflict), first)


def _relative(folded: str, published: datetime.date | None) -> _Read | None:
    word = _RELATIVE.search(folded)
    weekday = _WEEKDAY_REL.search(folded)
    if word is None and weekday is None:
        return None
    named = _WD[_key(weekday["w"])] if weekday else None
    day: datetime.date | None = None
    if published is not None and word is not None:
        day = published + datetime.timedelta(days=_REL[_key(word["w"])])
    elif published is not None and weekday is not None and named is not None:
        modifiers = {_key(weekday[g]) for g in ("pre", "post") if weekday[g]}
        if modifiers & _NEXT:
            day = published + datetime.timedelta(days=(named - published.weekday()) % 7 or 7)
        else:
            back = (published.weekday() - named) % 7
            # "last Monday" said on a Monday means a week ago, not today.
            day = published - datetime.timedelta(days=back or (7 if modifiers & _PAST else 0))
    conflict = _conflict(named, day) if word is not None else None
    source: YearSource = "published" if day is not None else "none"
    return _Read(DateReading(day, "gregorian", True, source, conflict), None)


def _plain(value: datetime.date | None) -> datetime.date | None:
    # A datetime is a date too, but mixing the two in comparisons raises TypeError.
    return value.date() if isinstance(value, datetime.datetime) else value


def _read(text: str, published: datetime.date | None) -> _Read | None:
    folded = _fold(text)
    return _absolute(folded, published) or _relative(folded, published)


def read_date(text: str, published: datetime.date | None = None) -> DateReading | None:
    """Read the first date `text` names; None when it names none.

    >>> read_date("أمس", datetime.date(2023, 10, 25)).day
    datetime.date(2023, 10, 24)
    """
    read = _read(text, _plain(published))
    return read.reading if read else None


def _year_in(year: int, text: str) -> bool:
    return re.search(rf"(?<![0-9]){year}(?![0-9])", _fold(text)) is not None


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
    if read is not None and read.reading.weekday_conflict:
        warnings.append(f"{quoted}: {read.reading.weekday_conflict}")
    if date is None:
        return  # a null date is never wrong: it is what the model gives when unsure
    guess = (
        f"the year {date.year} of date {date} comes neither from {quoted} nor from the "
        "publication date: give date null or a date_text that holds the year"
    )
    if read is None:
        if not _year_in(date.year, text) and (published is None or published.year != date.year):
            problems.append(guess)
        return
    reading, found = read.reading, read.found
    if found is None:  # a relative text
        if reading.day is None:
            problems.append(
                f"{quoted} is relative and the publication date is unknown: date must be null"
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
    if reading.year_source == "published" and published is not None:
        # Besides the latest such day on or before publication, the same day in the
        # publication's year is right for an event announced ahead.
        cal = found.calendar
        ahead = _to_date(cal, _year_of(cal, published), found.month, found.day)
        tolerance = 1 if cal == "hijri" else 0
        if ahead is not None and ahead != expected and abs((date - ahead).days) <= tolerance:
            expected = ahead
            warnings.append(
                f"date {date} is after the publication date {published} and "
                f"{quoted} gives no year: an event announced ahead?"
            )
    gap = abs((date - expected).days) if expected is not None else 0
    if gap == 1 and found.calendar == "hijri":
        warnings.append(
            f"date {date} is one day from {quoted}, which the Umm al-Qura calendar "
            f"reads as {expected}: moon sighting can shift a Hijri date by a day"
        )
    elif gap:
        problems.append(f"date {date} disagrees with {quoted}, which gives {expected}")

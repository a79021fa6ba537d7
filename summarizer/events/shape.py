"""What a line of ``events.jsonl`` holds (SPEC, "Events across articles"), checked when an
events directory is read back.

The file is ours, but it sits on a disk where anyone can edit it, truncate it or point the
digest at something else; a line that is not an event must stop with one line saying where,
never a ``KeyError`` deep in a renderer. Keys not listed here are kept as they are: the check
holds the keys the readers use, not the whole record.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, NotRequired

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    with_config,
)
from typing_extensions import TypedDict  # pydantic reads typing's only from 3.12

from ..errors import InputError


def _iso_day(value: str) -> str:
    dt.date.fromisoformat(value)  # a ValueError is the validation error
    return value


# YYYY-MM-DD only: Python also reads "20250210", which then never equals a report's date.
Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_iso_day)]
_OPEN = ConfigDict(extra="allow")


@with_config(_OPEN)
class Evidence(TypedDict):
    report: str
    quote: NotRequired[str | None]
    start: NotRequired[int | None]
    end: NotRequired[int | None]


@with_config(_OPEN)
class Title(TypedDict):
    value: str
    reports: list[str]


@with_config(_OPEN)
class Party(TypedDict):
    id: str | None
    names: Annotated[list[str], Field(min_length=1)]


@with_config(_OPEN)
class Participant(TypedDict):
    name: str
    names: Annotated[list[str], Field(min_length=1)]
    titles: list[Title]
    evidence: list[Evidence]
    names_source: NotRequired[list[str]]
    country_code: NotRequired[str | None]
    role: NotRequired[str | None]


@with_config(_OPEN)
class Topic(TypedDict):
    category: str | None
    titles: list[str]
    evidence: list[Evidence]


@with_config(_OPEN)
class Outcome(TypedDict):
    kind: str
    description: str
    evidence: list[Evidence]


@with_config(_OPEN)
class ConflictValue(TypedDict):
    value: Any
    reports: list[str]


@with_config(_OPEN)
class Conflict(TypedDict):
    field: str
    values: Annotated[list[ConflictValue], Field(min_length=1)]


@with_config(_OPEN)
class Location(TypedDict, total=False):
    city: str | None
    country: str | None
    country_code: str | None


@with_config(_OPEN)
class ReportRef(TypedDict):
    id: str
    outlet: NotRequired[str | None]
    url: NotRequired[str | None]
    lang: NotRequired[str | None]
    published: NotRequired[Day | None]


@with_config(_OPEN)
class Event(TypedDict):
    id: str
    date: NotRequired[Day | None]
    location: NotRequired[Location | None]
    parties: list[Party]
    participants: list[Participant]
    topics: list[Topic]
    outcomes: list[Outcome]
    conflicts: list[Conflict]
    reports: list[ReportRef]


_EVENT = TypeAdapter(Event)


def check_event(value: Any, where: str) -> dict[str, Any]:
    """``value`` when it is an event; else an ``InputError`` naming ``where`` and the first
    key that is wrong."""
    try:
        event: dict[str, Any] = dict(_EVENT.validate_python(value))
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        key = ".".join(str(part) for part in first["loc"]) or "the line"
        raise _not_an_event(where, f"{key}: {first['msg']}") from None
    reports = {r["id"] for r in event["reports"]}
    for part in ("participants", "topics", "outcomes"):
        for fact in event[part]:
            strangers = {e["report"] for e in fact["evidence"]} - reports
            if strangers:
                raise _not_an_event(where, f"{part}: evidence from {sorted(strangers)[0]!r},"
                                           " which is not one of its reports")  # fmt: skip
    return event


def _not_an_event(where: str, why: str) -> InputError:
    return InputError(f"{where}: not an event as `summarizer events` writes it ({why})")

"""Partial results: what is left of a last answer once every item that failed a check is out.

When the re-asks are spent (``InvalidAnswer``) and the caller asked for ``partial=True``, the
last answer is read again. Only an answer that is schema-valid and whose problems are all
failed checks (``checks.Problem``) is salvaged:

- an item that failed a check is dropped: a participant, topic, outcome, other event, a
  cooperation party or area (their evidence, or any of their text in the wrong script), a
  party name or a prose list item (``next_steps``, ``background``...) in the wrong script;
- a participant whose only problem is a ``name_source`` not found keeps its grounded
  evidence and loses the ``name_source`` (null);
- a ``date`` that cannot be checked becomes null; its ``date_text`` stays only when the
  article holds it, since it is then a true quote of the article;
- a location field or the framework in the wrong script becomes null;
- headline and summary are not kept: the caller rewrites them from the kept facts.

An answer the server cut off at the output token limit (``AnswerCutOff``) is read as far as
it is whole (``_whole_part``) and salvaged the same way, even when that part passes every
check: ``meta.dropped`` then says that the rest is missing.

Then every check runs again on what is left; anything still failing (or nothing left to
report: no participant and no topic, no party and no area) leaves the original error standing.
Each dropped or nulled item is one ``{"path", "reason"}`` in ``meta.dropped``, named by the
last answer's own numbering, as the re-ask named it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import from_json

from .answer import ANSWERS
from .checks import CheckContext, Problem, check_summary
from .schemas import CooperationSummary, MeetingSummary

Summary = MeetingSummary | CooperationSummary

CUT_OFF = "the answer was cut off at the output token limit; what would have followed is missing"
# Fields rewritten from the kept facts: their problems never stop a salvage.
REWRITTEN = frozenset({"headline", "summary"})
# Fields set to null (not dropped) when they fail a check.
NULLABLE = frozenset({"location", "framework"})
_PATH = re.compile(r"^(?P<field>[a-z_]+)(?:\[(?P<index>\d+)\])?(?P<rest>.*)$")


@dataclass
class Salvage:
    """What a partial result keeps and what it left out."""

    summary: Summary
    dropped: list[dict[str, str]]
    warnings: list[str]


def salvage(
    schema: str, last_answer: Any, ctx: CheckContext, cut_off: bool = False
) -> Salvage | None:
    """The last answer without its failing items, every check passed again; or None when it
    cannot be salvaged (not JSON, not schema-valid, a problem no rule covers, nothing left).
    A ``cut_off`` answer (stopped at the output token limit) is read as far as it is whole."""
    parsed = _parse(schema, _whole_part(last_answer) if cut_off else last_answer)
    if parsed is None:
        return None
    summary, capped = parsed
    failures = check_summary(summary, ctx).failures
    if not failures and not cut_off:
        return None  # it failed for something other than a check: nothing to drop
    dropped = _drop(summary, failures, ctx) if failures else []
    if dropped is None or not _reports_something(summary):
        return None
    if cut_off:
        dropped.append({"path": "(the rest)", "reason": CUT_OFF})
    again = check_summary(summary, ctx)
    if any(failure.path not in REWRITTEN for failure in again.failures):
        return None
    return Salvage(summary, dropped, capped + again.warnings)


# The stderr line stays one short line; meta.dropped holds every path and reason.
NOTE_PATHS = 5


def note(dropped: list[dict[str, str]]) -> str:
    """One line saying what a partial result left out (``summarize --partial`` prints it).

    >>> note([{"path": "topics[1]", "reason": "..."}, {"path": "date", "reason": "..."}])
    'partial: 2 item(s) could not be verified and were left out: topics[1], date'
    """
    shown = [item["path"] for item in dropped[:NOTE_PATHS]]
    more = f" and {len(dropped) - NOTE_PATHS} more" if len(dropped) > NOTE_PATHS else ""
    paths = ", ".join(shown) + more
    return f"partial: {len(dropped)} item(s) could not be verified and were left out: {paths}"


def _whole_part(text: Any) -> Any:
    """The whole part of an answer cut off mid-way: what a partial JSON reader gets of it
    (pydantic-core leaves out a string or value it did not see end), less the object the
    model was writing when it stopped (the last item of the list it was in may lack fields).

    >>> _whole_part('{"summary": {"parties": ["Oman", "Jor')
    '{"summary": {"parties": ["Oman"]}}'
    >>> _whole_part('{"summary": {"topics": [{"title": "a"}, {"title": "b", "cat')
    '{"summary": {"topics": [{"title": "a"}]}}'
    """
    if not isinstance(text, str) or "{" not in text:
        return text
    try:
        data = from_json(text[text.index("{") :], allow_partial=True)
    except ValueError:
        return text
    node = data
    while isinstance(node, dict) and node:
        value = node[next(reversed(node))]
        if isinstance(value, list):
            if value and isinstance(value[-1], dict):
                value.pop()
            break
        node = value
    return json.dumps(data, ensure_ascii=False)


def _parse(schema: str, last_answer: Any) -> tuple[Summary, list[str]] | None:
    """The last answer's summary and its list caps, schema-checked only (no context given,
    so no check runs); None when it is not JSON, not schema-valid or holds no summary."""
    text = last_answer if isinstance(last_answer, str) else json.dumps(last_answer)
    try:
        answer = ANSWERS[schema].model_validate_json(text)
    except (ValidationError, ValueError):  # JSONDecodeError is a ValueError
        return None
    summary: Summary | None = answer.summary
    return (summary, answer.warnings) if summary is not None else None


def _drop(
    summary: Summary, failures: list[Problem], ctx: CheckContext
) -> list[dict[str, str]] | None:
    """Drop or null what failed, in place; what went, one entry per item. None: a problem
    no rule covers (the summary is then left half-changed: the caller discards it)."""
    by_item: dict[tuple[str, int | None], list[tuple[str, Problem]]] = defaultdict(list)
    for failure in failures:
        m = _PATH.match(failure.path)
        if m is None:
            return None
        index = int(m["index"]) if m["index"] is not None else None
        # A date_text problem is told as such when it also nulls the date.
        rest = "date_text" if m["field"] == "date_text" else m["rest"].lstrip(".")
        by_item[(m["field"], index)].append((rest, failure))
    dropped: list[dict[str, str]] = []
    gone: dict[str, set[int]] = defaultdict(set)
    for (name, index), found in by_item.items():
        if name in REWRITTEN:
            entry = _entry(name, found)
            dropped.append({**entry, "reason": f"{entry['reason']}; rewritten from the kept facts"})
        elif name in ("date", "date_text") and isinstance(summary, MeetingSummary):
            continue  # below, once for the pair
        elif name in NULLABLE and index is None:
            _null_fields(summary, name, found, dropped)
        elif index is not None and isinstance(getattr(summary, name, None), list):
            if isinstance(summary, MeetingSummary) and _only_name_source(name, found):
                summary.participants[index].name_source = None
                dropped.append(_entry(f"participants[{index}].name_source", found))
            else:
                gone[name].add(index)
                dropped.append(_entry(f"{name}[{index}]", found))
        else:
            return None
    for name, indices in gone.items():
        items = getattr(summary, name)
        setattr(summary, name, [item for i, item in enumerate(items) if i not in indices])
    date_failures = by_item.get(("date", None), []) + by_item.get(("date_text", None), [])
    if date_failures and isinstance(summary, MeetingSummary):
        _null_date(summary, date_failures, ctx, dropped)
    return dropped


def _only_name_source(name: str, found: list[tuple[str, Problem]]) -> bool:
    """A participant whose evidence is grounded loses only the name it misquoted."""
    return name == "participants" and all(rest == "name_source" for rest, _ in found)


def _null_fields(
    summary: Summary, name: str, found: list[tuple[str, Problem]], dropped: list[dict[str, str]]
) -> None:
    if not any(rest for rest, _ in found):  # the framework itself
        setattr(summary, name, None)
        dropped.append(_entry(name, found))
        return
    owner: BaseModel = getattr(summary, name)
    for rest, failure in found:
        setattr(owner, rest, None)
        dropped.append(_entry(f"{name}.{rest}", [(rest, failure)]))


def _null_date(
    summary: MeetingSummary,
    found: list[tuple[str, Problem]],
    ctx: CheckContext,
    dropped: list[dict[str, str]],
) -> None:
    """A date that cannot be checked is null; its text stays only where the article has it."""
    date_reasons = [failure for failure in found if failure[1].path == "date"]
    if summary.date is not None:
        summary.date = None
        dropped.append(_entry("date", date_reasons or found))
    if summary.date_text is not None and ctx.index.locate(summary.date_text) is None:
        summary.date_text = None
        text_reasons = [failure for failure in found if failure[1].path == "date_text"]
        dropped.append(_entry("date_text", text_reasons or found))


def _entry(path: str, found: list[tuple[str, Problem]]) -> dict[str, str]:
    """One ``meta.dropped`` item: the path left out and every reason it failed."""
    reasons = [f"{rest} {failure.reason}" if rest else failure.reason for rest, failure in found]
    return {"path": path, "reason": "; ".join(reasons)}


def _reports_something(summary: Summary) -> bool:
    if isinstance(summary, MeetingSummary):
        return bool(summary.participants or summary.topics)
    return bool(summary.parties or summary.areas)

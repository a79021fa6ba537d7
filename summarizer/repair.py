"""Repair, not repeat: a re-ask that asks again only for the items that failed a check.

When an answer is well-formed but some of its items fail (a quote not in the article, a
``name_source`` not in its segment, a date that disagrees with its text), the model is not
asked to redo the whole summary. It gets back a list of the failing items, each with why and
the segment it cited, and answers with those items only: a JSON object keyed by the item's
path (``"participants[1]"``, ``"date"``), each value the corrected item or null to leave it
out. The patch is applied to the answer before and the whole is checked again.

An item is what a reader would correct as a unit: a list entry (a participant, a topic, a
party), the location, the date with its text, or a top-level text field. A failure on
anything else (a schema error, malformed JSON) is not repaired: the whole answer is asked for
again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from .checks import Problem
from .grounding import ArticleIndex
from .lean import to_model_shape
from .prompts import render_template
from .schemas import MeetingSummary

_ITEM = re.compile(r"^(?P<field>[a-z_]+)(?:\[(?P<index>\d+)\])?")
# Output tokens of a repair answer: a little for the envelope, more per item asked for.
_TOKENS_BASE, _TOKENS_PER_ITEM = 128, 320


@dataclass(frozen=True)
class RepairRequest:
    """The items to send back: the follow-up message and the model of its answer."""

    keys: list[str]  # the items' paths, as the answer's keys
    message: str
    model: type[BaseModel]
    max_tokens: int


def repair_request(
    summary_type: type[BaseModel],
    answer: dict[str, Any],
    failures: list[Problem],
    index: ArticleIndex,
) -> RepairRequest | None:
    """The repair re-ask for ``failures`` of ``answer`` (the model's last answer as a dict),
    or None when a failure is not on an item that can be asked for alone."""
    summary = answer.get("summary")
    if not isinstance(summary, dict):
        return None
    keys: list[str] = []
    lines: dict[str, list[str]] = {}
    for failure in failures:
        key = _item_key(summary_type, failure.path)
        if key is None:
            return None
        for item in _with_partner(key):
            if item not in keys:
                keys.append(item)
                lines[item] = []
        lines[key].append(failure.message)
    items = [
        {
            "key": key,
            "reasons": lines[key],
            "segment": _cited_segment(summary, key, index),
            "current": json.dumps(to_model_shape(_value_at(summary, key)), ensure_ascii=False),
        }
        for key in keys
    ]
    message = render_template("repair.j2", items=items, keys=", ".join(f'"{k}"' for k in keys))
    fields: dict[str, Any] = {
        _field_name(key): (_item_type(summary_type, key), Field(alias=key)) for key in keys
    }
    model = create_model(
        "Repair",
        __config__=ConfigDict(hide_input_in_errors=True, populate_by_name=True),
        **fields,
    )
    return RepairRequest(keys, message, model, _TOKENS_BASE + _TOKENS_PER_ITEM * len(keys))


def apply_repair(answer: dict[str, Any], keys: list[str], patch: BaseModel) -> dict[str, Any]:
    """``answer`` with each repaired item replaced, or removed where the patch says null."""
    repaired: dict[str, Any] = json.loads(json.dumps(answer))
    summary = repaired["summary"]
    removed: dict[str, set[int]] = {}
    for key in keys:
        value = getattr(patch, _field_name(key))
        plain = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
        if isinstance(plain, dt.date):
            plain = plain.isoformat()
        field, index = _split(key)
        if index is None:
            summary[field] = plain
        elif plain is None:
            removed.setdefault(field, set()).add(index)
        elif index < len(summary.get(field) or []):
            summary[field][index] = plain
    for field, indices in removed.items():
        summary[field] = [item for i, item in enumerate(summary[field]) if i not in indices]
    return repaired


def _item_key(summary_type: type[BaseModel], path: str) -> str | None:
    match = _ITEM.match(path)
    if match is None or match["field"] not in summary_type.model_fields:
        return None
    field, index = match["field"], match["index"]
    annotation = summary_type.model_fields[field].annotation
    is_list = getattr(annotation, "__origin__", None) is list
    if is_list:
        return f"{field}[{index}]" if index is not None else None
    return field if index is None else None


def _with_partner(key: str) -> list[str]:
    """The date and its text are one item: either may be what is wrong."""
    return ["date", "date_text"] if key in ("date", "date_text") else [key]


def _split(key: str) -> tuple[str, int | None]:
    match = _ITEM.match(key)
    assert match is not None
    return match["field"], int(match["index"]) if match["index"] is not None else None


def _field_name(key: str) -> str:
    return re.sub(r"\W", "_", key)


def _item_type(summary_type: type[BaseModel], key: str) -> Any:
    field, index = _split(key)
    annotation = summary_type.model_fields[field].annotation
    if index is not None:
        (item,) = annotation.__args__  # type: ignore[union-attr]
        return item | None
    if summary_type is MeetingSummary and field == "date":
        return dt.date | None
    return annotation


def _value_at(summary: dict[str, Any], key: str) -> Any:
    field, index = _split(key)
    value = summary.get(field)
    if index is None:
        return value
    return value[index] if isinstance(value, list) and index < len(value) else None


def _cited_segment(summary: dict[str, Any], key: str, index: ArticleIndex) -> str | None:
    """The text of the segment the item cited, shown with it; None when it cited none."""
    value = _value_at(summary, key)
    evidence = value.get("evidence") if isinstance(value, dict) else None
    number = evidence.get("segment") if isinstance(evidence, dict) else None
    segment = index.segment(number) if isinstance(number, int) else None
    return f"[{segment.number}] {segment.text}" if segment else None

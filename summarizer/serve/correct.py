"""An analyst's correction of one field, checked like a model's answer before it is kept.

The corrected summary goes through the schema (types, lengths, enumerated codes) and then
the same checks as a model's answer (``checks.check_summary``) against the article the model
read: every quote must be found in it (each is located in the whole article, so a corrected
quote counts only if the article says it), a date must agree with its date text, a name must
be a name, prose must be in the summary's language. Canonical ids are set again
(``canonical.annotate``), so a corrected country carries its code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from typing import Any

from pydantic import ValidationError

from ..canonical import annotate
from ..checks import CheckContext, check_summary
from ..errors import ConfigError
from ..fields import walk
from ..grounding import ArticleIndex
from ..result import ArticleMeta, Meta, Result
from ..schemas import SCHEMAS, Evidence
from .desk import Review

# Set by the library, never by hand: offsets, match kinds, ids.
_NOT_EDITABLE = frozenset(
    {"start", "end", "match", "segment", "country_code", "person_key", "party_ids", "id"}
)


@dataclass(frozen=True)
class Corrected:
    """The corrected summary, or why the correction is refused."""

    summary: dict[str, Any] | None
    problems: list[str]


def editable(summary: dict[str, Any], schema: str) -> list[tuple[str, str]]:
    """``(path, current value)`` of every text field an analyst may correct."""
    try:
        model = SCHEMAS[schema].model_validate(summary)
    except (KeyError, ValidationError):
        return []
    return [
        (slot.path, "" if slot.get() is None else str(slot.get()))
        for slot in walk(model)
        if (slot.get() is None or isinstance(slot.get(), str | dt.date))
        and _name(slot.path) not in _NOT_EDITABLE
    ]


def correct(
    summary: dict[str, Any],
    schema: str,
    lang: str,
    article: str,
    published: str | None,
    path: str,
    value: str,
) -> Corrected:
    """``summary`` with ``path`` set to ``value`` (empty: null), if it passes every check."""
    if schema not in SCHEMAS or lang not in ("en", "ar"):
        return Corrected(None, [f"a {schema} summary in {lang} cannot be corrected here"])
    model_type = SCHEMAS[schema]
    if path not in dict(editable(summary, schema)):
        return Corrected(None, [f"{path} is not a field that can be corrected"])
    data = model_type.model_validate(summary).model_dump()
    _set(data, path, value.strip() or None)
    try:
        model = model_type.model_validate(data)
    except ValidationError as exc:
        return Corrected(None, [_reason(error) for error in exc.errors(include_url=False)])
    for slot in walk(model):
        if isinstance(slot.get(), Evidence):
            slot.get().segment = None  # every quote located in the whole article
    day = dt.date.fromisoformat(published) if published else None
    findings = check_summary(model, CheckContext(ArticleIndex(article), lang, day))  # type: ignore[arg-type]
    if findings.failures:
        return Corrected(None, findings.problems)
    if path.endswith(".evidence.quote"):
        evidence = {slot.path: slot.get() for slot in walk(model)}[path.removesuffix(".quote")]
        if evidence.match == "loose":  # a model's loose quote is tolerated; an analyst's is not
            return Corrected(None, [f"{path}: the article does not say it so; copy its words"])
    annotate(model)
    return Corrected(model.model_dump(mode="json"), [])


def _set(data: Any, path: str, value: Any) -> None:
    """Set ``participants[1].title`` (a path as ``fields.walk`` writes it) in plain data."""
    keys: list[str | int] = [int(k) if k.isdigit() else k for k in re.findall(r"[^.\[\]]+", path)]
    for key in keys[:-1]:
        data = data[key]
    data[keys[-1]] = value


def _name(path: str) -> str:
    return path.rsplit(".", 1)[-1].split("[", 1)[0]


def _reason(error: Any) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "the summary"
    return f"{where}: {error['msg']}"


def result_of(line: dict[str, Any], article: str, fixed: Review | None) -> Result:
    """A results line as a ``Result`` the briefings render: the corrected summary when there
    is one (its meta then names who corrected what, and when), else the model's."""
    meta_data = dict(line.get("meta") or {})
    known = {f.name for f in fields(Meta)} - {"article"}
    article_meta = {
        f.name: (meta_data.get("article") or {}).get(f.name) for f in fields(ArticleMeta)
    }
    given = ArticleMeta(**{k: v for k, v in article_meta.items() if v is not None})
    meta = Meta(**{k: v for k, v in meta_data.items() if k in known}, article=given)
    stored = fixed.summary if fixed is not None else line.get("summary")
    if stored is None or meta.schema not in SCHEMAS:
        raise ConfigError("this result has no summary to brief")
    if fixed is not None:
        meta.warnings = [*meta.warnings, f"corrected on the review desk by {fixed.who} at"
                         f" {fixed.at}: {fixed.field}"]  # fmt: skip
    summary: Any
    if isinstance(stored, dict) and "headline" not in stored:  # a bilingual result
        summary = {lang: SCHEMAS[meta.schema].model_validate(s) for lang, s in stored.items()}
    else:
        summary = SCHEMAS[meta.schema].model_validate(stored)
    return Result(summary, meta, article)

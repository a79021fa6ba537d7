"""The model-facing answer: either a summary or the reason the article has none.

instructor builds the tool (or response format) from ``model_json_schema`` and parses with
``model_validate_json``; both are overridden here:
- the schema the model sees lacks every field the library fills (offsets, languages);
- parsing is lenient before an answer is called malformed: raw newlines inside strings, a
  fenced ```json block, prose around the object, a bare summary without the envelope.
Validation first caps every list of the summary (``cap_lists``), then runs
``checks.check_summary`` with the article from Pydantic's validation context, and raises one
error listing every failing item, which instructor sends back as the re-ask.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from .checks import CheckContext, check_summary
from .lean import from_model_shape, lean_schema
from .schemas import CooperationSummary, MeetingSummary

CONTEXT_KEY = "summarizer"
# The most items any list of a summary keeps (participants, topics, parties, background...).
# A real meeting names far fewer; a runaway answer (a model repeating one participant ten
# thousand times) would otherwise make the checks, the result and every briefing huge.
MAX_LIST_ITEMS = 50


class ValidationContext(dict[str, Any]):
    """Validation context that instructor's templating does not touch.

    instructor renders every message as a Jinja template whenever it is given a non-empty
    context, which would execute template syntax written in an article (and dedent it).
    It only skips that for a falsy context, so this mapping is falsy while holding data.
    """

    def __bool__(self) -> bool:
        return False


def validation_context(ctx: CheckContext) -> ValidationContext:
    return ValidationContext({CONTEXT_KEY: ctx})


class _Answer(BaseModel):
    model_config = ConfigDict(hide_input_in_errors=True)
    summary_type: ClassVar[type[BaseModel]]
    # max_tokens sent with a request for a whole summary (llm.request.output_budget): room for
    # a long Arabic answer, short of what lets a runaway generation hold a server for minutes.
    OUTPUT_TOKENS: ClassVar[int] = 1536
    no_event: str | None = Field(
        default=None,
        description=(
            "Only when the article reports no such event (a list of headlines, an opinion "
            "piece, an official inspecting his own forces): one sentence saying why. "
            "Null whenever there is a summary."
        ),
    )
    _warnings: list[str] = PrivateAttr(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return self._warnings

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """What the model is sent: structure only (``lean.lean_schema``), the summary first
        (a model writes fields in schema order, and the event is what it should reach for)."""
        schema = lean_schema(super().model_json_schema(*args, **kwargs))
        properties = schema["properties"]
        summary = {**properties.pop("summary"), "type": "object"}  # see ``_check``
        schema["properties"] = {"summary": summary, **properties}
        schema["required"] = list(schema["properties"])
        return schema

    @classmethod
    def model_validate_json(
        cls,
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        context: Any | None = None,
        **_: Any,
    ) -> Any:
        text = json_data.decode() if isinstance(json_data, bytes | bytearray) else json_data
        return cls.model_validate(cls.envelope(loads_lenient(text)), strict=strict, context=context)

    @staticmethod
    def envelope(data: Any) -> Any:
        """An answer as small models write it, read as meant: a bare summary put in its
        envelope, an item's segment number as its evidence (``lean.from_model_shape``), and
        "none", "null", "N/A" or "" in a field that may be null read as null."""
        if isinstance(data, dict) and "headline" in data:
            data = {"summary": data}
        return read_model_shape(data)

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> _Answer:
        summary = getattr(self, "summary", None)
        if self.no_event is not None and not self.no_event.strip():
            self.no_event = None
        if summary is not None and self.no_event is not None:
            # The model is sent a schema whose summary cannot be null (so that a small model
            # writes it rather than reaching for null); a reason given says there is none.
            summary = self.__dict__["summary"] = None
        if (summary is None) == (self.no_event is None):
            raise PydanticCustomError(
                "summary_or_no_event",
                "give exactly one of summary (the event) or no_event (why there is none)",
            )
        # `is not None`, not truthiness: ValidationContext is falsy on purpose (see above).
        ctx = info.context.get(CONTEXT_KEY) if info.context is not None else None
        capped = cap_lists(summary) if summary is not None else []
        if summary is None or not isinstance(ctx, CheckContext):
            self._warnings = capped
            return self
        findings = check_summary(summary, ctx)
        if findings.problems:
            raise PydanticCustomError(
                "summary_check",
                "{reasons}",
                {"reasons": "\n".join(f"- {p}" for p in findings.problems)},
            )
        self._warnings = capped + findings.warnings
        return self


# Fields that may be null; only there is a "none" written as text read as null.
_NULLABLE_TEXT = frozenset(
    {"no_event", "date", "date_text", "city", "country", "venue", "name", "name_source",
     "title", "organization", "details", "framework", "role"}
)  # fmt: skip
_NULL_WORDS = frozenset({"", "none", "null", "n/a", "na", "unknown", "not specified", "-"})


def read_model_shape(data: Any) -> Any:
    """An answer or a repair patch as the model writes it, in the library's shape: segment
    numbers as evidence, "" or "none" as null where a field may be null, no empty list items."""
    return _nulls_read(from_model_shape(data))


def _nulls_read(node: Any, key: str | None = None) -> Any:
    if isinstance(node, dict):
        return {k: _nulls_read(v, k) for k, v in node.items()}
    if isinstance(node, list):  # an empty text in a list is no item ("" padding a loop)
        return [_nulls_read(item) for item in node if not _empty_text(item)]
    if key in _NULLABLE_TEXT and isinstance(node, str) and node.strip().lower() in _NULL_WORDS:
        return None
    return node


def _empty_text(node: Any) -> bool:
    return isinstance(node, str) and not node.strip()


class MeetingAnswer(_Answer):
    """Report the article's main meeting, visit or call, or say why there is none."""

    summary_type = MeetingSummary
    summary: MeetingSummary | None = Field(
        default=None, description="The article's main event; null only with no_event."
    )


class CooperationAnswer(_Answer):
    """Report the cooperation the article describes, or say why there is none."""

    summary_type = CooperationSummary
    summary: CooperationSummary | None = Field(
        default=None, description="The cooperation reported; null only with no_event."
    )


ANSWERS: dict[str, type[MeetingAnswer] | type[CooperationAnswer]] = {
    "meeting": MeetingAnswer,
    "cooperation": CooperationAnswer,
}


def cap_lists(summary: BaseModel, limit: int = MAX_LIST_ITEMS) -> list[str]:
    """Cut every list field of ``summary`` longer than ``limit`` to ``limit`` items, in place:
    its exact duplicates dropped first (the first of each kept, in order), then its tail; a
    warning for each list cut. A list within the limit is left as the model wrote it (a
    re-ask then names its items by the model's own numbering).

    >>> s = MeetingSummary(headline="h", summary="s", meeting_type="call", date=None,
    ...                    date_text=None, parties=["A", "A", "B", "C"])
    >>> cap_lists(s, limit=2), s.parties
    (['parties: 4 items, 1 exact duplicate dropped, cut to the first 2'], ['A', 'B'])
    """
    warnings = []
    for name in type(summary).model_fields:
        items = getattr(summary, name)
        if not isinstance(items, list) or len(items) <= limit:
            continue
        seen: set[str] = set()
        kept = []
        for item in items:
            key = item.model_dump_json() if isinstance(item, BaseModel) else json.dumps(item)
            if key not in seen:
                seen.add(key)
                kept.append(item)
        said = [f"{name}: {len(items)} items"]
        duplicates = len(items) - len(kept)
        if duplicates:
            said.append(f"{duplicates} exact duplicate{'s' if duplicates > 1 else ''} dropped")
        if len(kept) > limit:
            said.append(f"cut to the first {limit}")
        setattr(summary, name, kept[:limit])
        warnings.append(", ".join(said))
    return warnings


_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)


def loads_lenient(text: str) -> Any:
    """Parse JSON as small models write it; raise ``json.JSONDecodeError`` when hopeless.

    Tried in order: the text as is (control characters allowed inside strings), the first
    fenced block, the span from the first ``{`` to the last ``}``.
    """
    candidates = [text]
    candidates += [m.group(1) for m in _FENCE.finditer(text)]
    first, last = text.find("{"), text.rfind("}")
    if 0 <= first < last:
        candidates.append(text[first : last + 1])
    error: json.JSONDecodeError | None = None
    for candidate in candidates:
        try:
            return json.loads(candidate, strict=False)
        except json.JSONDecodeError as exc:
            error = error or exc
    assert error is not None
    raise json.JSONDecodeError(f"the answer is not valid JSON: {error.msg}", error.doc, error.pos)

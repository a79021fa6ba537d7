"""The second call of ``lang="both"``: the same checked summary, its texts in the other language.

One extraction in the article's own language does the reading and passes every check; this
call only rewrites its output-language text fields (``fields.text_slots``) in the other
language. Dates, codes, evidence and offsets are copied by the library, so both summaries
agree on the facts by construction, and the second call costs a fraction of the first.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from .answer import CONTEXT_KEY, ValidationContext
from .fields import text_slots
from .prompts import LANGUAGE_NAMES, render_template
from .schemas import CooperationSummary, MeetingSummary
from .script import in_script

Summary = MeetingSummary | CooperationSummary


@dataclass(frozen=True)
class LocalizeContext:
    count: int
    target_language: str


class TranslatedItem(BaseModel):
    id: int = Field(description="The item's number, as given.")
    text: str = Field(description="The item written in the target language.")


class Translation(BaseModel):
    """The numbered items, each written in the target language."""

    model_config = ConfigDict(hide_input_in_errors=True)
    OUTPUT_TOKENS: ClassVar[int] = 2048  # every text of a summary, in the other language
    items: list[TranslatedItem]

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> Translation:
        ctx = info.context.get(CONTEXT_KEY) if info.context is not None else None
        if not isinstance(ctx, LocalizeContext):
            return self
        problems: list[str] = []
        ids = [item.id for item in self.items]
        missing = sorted(set(range(ctx.count)) - set(ids))
        if missing:
            problems.append(f"items missing: {missing}")
        if extra := sorted({i for i in ids if not 0 <= i < ctx.count} | _repeated(ids)):
            problems.append(f"items unknown or repeated: {extra}")
        for item in self.items:
            if not in_script(item.text, ctx.target_language):
                problems.append(
                    f"item {item.id} is not in {LANGUAGE_NAMES[ctx.target_language]}: "
                    f"{item.text[:80]!r}"
                )
        if problems:
            raise PydanticCustomError(
                "translation_check", "{reasons}", {"reasons": "\n".join(f"- {p}" for p in problems)}
            )
        return self


def localization_request(
    summary: Summary, target_language: str
) -> tuple[list[dict[str, str]], ValidationContext]:
    """The messages and validation context for translating ``summary``'s texts."""
    items = [{"id": i, "text": slot.get()} for i, slot in enumerate(text_slots(summary))]
    system = render_template(
        "localize.j2",
        source_language_name=LANGUAGE_NAMES[summary.output_language],
        target_language_name=LANGUAGE_NAMES[target_language],
        target_language=target_language,
    )
    user = json.dumps({"items": items}, ensure_ascii=False, indent=1)
    context = ValidationContext({CONTEXT_KEY: LocalizeContext(len(items), target_language)})
    return [{"role": "system", "content": system}, {"role": "user", "content": user}], context


def apply_translation(summary: Summary, translation: Translation, target_language: str) -> Summary:
    """A copy of ``summary`` with its texts replaced; everything else stays as checked."""
    localized = summary.model_copy(deep=True)
    texts = {item.id: item.text for item in translation.items}
    for i, slot in enumerate(text_slots(localized)):
        slot.set(texts[i])
    localized.output_language = target_language  # type: ignore[assignment]
    return localized


def _repeated(ids: list[int]) -> set[int]:
    return {i for i, n in Counter(ids).items() if n > 1}

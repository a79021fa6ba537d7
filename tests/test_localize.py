"""The localisation call of lang="both" (localize.py): texts rewritten, facts untouched."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from summarizer.answer import CONTEXT_KEY
from summarizer.fields import text_slots
from summarizer.localize import (
    LocalizeContext,
    Translation,
    apply_translation,
    localization_request,
)
from summarizer.schemas import MeetingSummary

from .crafted import good_meeting

SUMMARY = MeetingSummary.model_validate(good_meeting()["summary"])
COUNT = len(text_slots(SUMMARY))


def validate(items: list[dict[str, Any]], count: int = 3, target: str = "ar") -> Translation:
    return Translation.model_validate(
        {"items": items}, context={CONTEXT_KEY: LocalizeContext(count, target)}
    )


def arabic(n: int) -> list[dict[str, Any]]:
    return [{"id": i, "text": f"نص رقم {i}"} for i in range(n)]


def test_the_request_numbers_every_output_language_text_and_nothing_else() -> None:
    messages, context = localization_request(SUMMARY, "ar")
    items = json.loads(messages[1]["content"])["items"]
    assert [item["id"] for item in items] == list(range(COUNT))
    texts = [item["text"] for item in items]
    assert SUMMARY.headline in texts and SUMMARY.participants[0].name in texts
    # What stays in the article's language is never sent to be translated.
    sent = messages[1]["content"]
    assert SUMMARY.date_text not in sent and SUMMARY.participants[0].evidence.quote not in sent
    assert "Arabic" in messages[0]["content"]
    assert not context  # falsy on purpose: instructor must not template the messages
    assert context[CONTEXT_KEY] == LocalizeContext(COUNT, "ar")


def test_a_complete_translation_passes() -> None:
    assert len(validate(arabic(3)).items) == 3


@pytest.mark.parametrize(
    ("items", "named"),
    [
        pytest.param(arabic(2), "items missing: [2]", id="missing"),
        pytest.param([*arabic(3), {"id": 1, "text": "نص"}], "repeated: [1]", id="repeated"),
        pytest.param([*arabic(3), {"id": 7, "text": "نص"}], "unknown or repeated: [7]", id="extra"),
        pytest.param(
            [*arabic(2), {"id": 2, "text": "Defence talks"}], "item 2 is not in Arabic", id="script"
        ),
    ],
)
def test_a_broken_translation_is_sent_back_naming_the_item(
    items: list[dict[str, Any]], named: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        validate(items)
    assert named in str(caught.value)


def test_applying_a_translation_changes_texts_only() -> None:
    translation = Translation.model_validate({"items": arabic(COUNT)})
    localized = apply_translation(SUMMARY, translation, "ar")
    assert localized.output_language == "ar"
    assert [slot.get() for slot in text_slots(localized)] == [f"نص رقم {i}" for i in range(COUNT)]
    # The facts are the checked ones, and the original summary is left as it was.
    assert localized.date == SUMMARY.date and localized.date_text == SUMMARY.date_text
    assert localized.participants[1].evidence == SUMMARY.participants[1].evidence
    assert localized.meeting_type == SUMMARY.meeting_type
    assert SUMMARY.headline == good_meeting()["summary"]["headline"]

"""Lenient parsing of what models write, before an answer is called malformed."""

from __future__ import annotations

import json

import pytest

from summarizer.answer import MeetingAnswer, loads_lenient

from .crafted import good_meeting


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param('{"a": 1}', {"a": 1}, id="plain"),
        pytest.param('{"a": "line one\nline two"}', {"a": "line one\nline two"}, id="raw-newline"),
        pytest.param('```json\n{"a": 1}\n```', {"a": 1}, id="fenced"),
        pytest.param('Here it is:\n```\n{"a": 1}\n```\nDone.', {"a": 1}, id="fenced-no-lang"),
        pytest.param('Sure! {"a": {"b": 2}} Hope this helps', {"a": {"b": 2}}, id="prose-around"),
    ],
)
def test_lenient_parse(text: str, expected: object) -> None:
    assert loads_lenient(text) == expected


def test_hopeless_json_raises_decode_error() -> None:
    with pytest.raises(json.JSONDecodeError, match="not valid JSON"):
        loads_lenient('{"a": ')


def test_bare_summary_is_wrapped_in_the_envelope() -> None:
    bare = json.dumps(good_meeting()["summary"], ensure_ascii=False)
    answer = MeetingAnswer.model_validate_json(bare)
    assert answer.summary is not None and answer.no_event is None


def test_envelope_needs_exactly_one_of_summary_and_no_event() -> None:
    assert MeetingAnswer.model_validate_json('{"no_event": "headlines"}').no_event == "headlines"
    with pytest.raises(ValueError, match="exactly one"):
        MeetingAnswer.model_validate_json('{"summary": null, "no_event": null}')

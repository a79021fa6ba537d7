"""The exported JSON Schemas match the models, and the model never sees library-filled fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.answer import ANSWERS
from summarizer.schemas import json_schema

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


@pytest.mark.parametrize("name", ["meeting", "cooperation"])
def test_exported_schema_has_not_drifted(name: str) -> None:
    exported = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    assert exported == json_schema(name), "run `make schemas` and commit the result"


@pytest.mark.parametrize("name", ["meeting", "cooperation"])
def test_model_facing_schema_lacks_library_filled_fields(name: str) -> None:
    text = json.dumps(ANSWERS[name].model_json_schema())
    for field in ('"start"', '"end"', '"match"', '"output_language"', '"source_language"'):
        assert field not in text
    # evidence is asked for as a segment number; a quote the model gives anyway is still read
    assert '"segment"' in text and '"quote"' not in text
    assert "$ref" not in text
    # the rules live in the prompt: no pydantic titles, no descriptions
    schema = ANSWERS[name].model_json_schema()
    assert not _labels(schema, "title") and not _labels(schema, "description")


def _labels(node: object, key: str) -> list[str]:
    """Every ``key`` holding a string (a label), not a property so named."""
    if isinstance(node, list):
        return [label for item in node for label in _labels(item, key)]
    if not isinstance(node, dict):
        return []
    own = [node[key]] if isinstance(node.get(key), str) else []
    return own + [label for value in node.values() for label in _labels(value, key)]


def test_public_evidence_has_offsets() -> None:
    evidence = json_schema("meeting")["$defs"]["Evidence"]["properties"]
    assert {"quote", "start", "end", "match"} <= set(evidence)


def test_spec_field_names_are_present() -> None:
    meeting = json_schema("meeting")["properties"]
    for field in (
        "headline summary meeting_type date date_text location participants parties topics "
        "outcomes next_steps background other_events output_language source_language"
    ).split():
        assert field in meeting
    cooperation = json_schema("cooperation")["properties"]
    for field in (
        "headline summary framework parties areas mechanisms challenges outlook background "
        "output_language source_language"
    ).split():
        assert field in cooperation

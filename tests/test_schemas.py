"""The exported JSON Schemas match the models, and the model never sees library-filled fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.answer import _NULLABLE_TEXT, ANSWERS
from summarizer.lean import MAX_ITEMS, from_model_shape, lean_schema, to_model_shape
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


def _nullable_strings(node: object) -> set[str]:
    """Names of the properties that may hold a string or null, at any depth."""
    if isinstance(node, list):
        return {n for item in node for n in _nullable_strings(item)}
    if not isinstance(node, dict):
        return set()
    found = set()
    for key, value in node.get("properties", {}).items():
        types = [o.get("type") for o in value.get("anyOf", [])] or value.get("type")
        if isinstance(types, list) and {"string", "null"} <= set(types):
            found.add(key)
    return found | {n for v in node.values() for n in _nullable_strings(v)}


@pytest.mark.parametrize("name", ["meeting", "cooperation"])
def test_a_text_that_may_be_null_is_a_plain_string_read_back_as_null(name: str) -> None:
    # The model writes "" where the article is silent (fewer tokens, no null to choose):
    # every such field must be one the answer reads back as null.
    assert not _nullable_strings(ANSWERS[name].model_json_schema())
    ours = {"match", "country_code", "person_key"}  # set by the library, never asked
    public = _nullable_strings(json_schema(name)) - ours | {"no_event"}
    assert public <= _NULLABLE_TEXT, public - _NULLABLE_TEXT


def test_evidence_is_asked_for_as_the_items_segment_number() -> None:
    participant = ANSWERS["meeting"].model_json_schema()["properties"]["summary"]["properties"][
        "participants"
    ]["items"]
    assert participant["properties"]["segment"] == {"type": "integer"}
    assert "evidence" not in participant["properties"]
    assert "segment" in participant["required"]


def test_the_models_shape_is_read_in_the_librarys() -> None:
    answer = {
        "summary": {"participants": [{"name": "A", "segment": 2}, {"name": "B", "evidence": 4}]},
        "patch": {"topics[0]": {"title": "t", "segment": 1}},
    }
    read = from_model_shape(answer)
    assert read["summary"]["participants"][0]["evidence"] == {"segment": 2}
    assert read["summary"]["participants"][1]["evidence"] == {"segment": 4}
    assert read["patch"]["topics[0]"] == {"title": "t", "evidence": {"segment": 1}}
    # an evidence object already in the library's shape is left as it is
    kept = {"name": "C", "evidence": {"segment": 3, "quote": "q"}}
    assert from_model_shape(kept) == kept
    assert to_model_shape(read["summary"]["participants"][0]) == {"name": "A", "segment": 2}


def _unbounded(node: object, name: str = "") -> list[str]:
    """Lists without ``maxItems`` and prose texts without ``maxLength``, by property name."""
    if isinstance(node, list):
        return [n for item in node for n in _unbounded(item, name)]
    if not isinstance(node, dict):
        return []
    found = []
    if node.get("type") == "array" and "maxItems" not in node:
        found.append(name)
    if node.get("type") == "string" and name in {"summary", "details"}:
        found += [] if "maxLength" in node else [name]
    for key, value in node.items():
        if key == "properties":
            found += [n for prop, sub in value.items() for n in _unbounded(sub, prop)]
        elif key != "required":
            found += _unbounded(value, name)
    return found


@pytest.mark.parametrize("name", ["meeting", "cooperation"])
def test_every_list_and_prose_text_the_model_writes_is_bounded(name: str) -> None:
    # A small model loops (a topic forty times, "" until max_tokens); a server that compiles
    # the schema into a grammar ends the list or the text at its bound instead.
    schema = lean_schema(ANSWERS[name].model_json_schema())
    assert _unbounded(schema) == []
    summary = schema["properties"]["summary"]["properties"]
    assert "topics" not in summary or summary["topics"]["maxItems"] == MAX_ITEMS
    for name in ("next_steps", "background"):  # a sentence in a list loops too
        assert name not in summary or summary[name]["items"]["maxLength"] > 0


def test_an_empty_text_in_a_list_is_no_item() -> None:
    answer = ANSWERS["meeting"].envelope(
        {"summary": {"next_steps": ["A visit in May.", "", " ", ""], "parties": ["", "Oman"]}}
    )
    assert answer["summary"]["next_steps"] == ["A visit in May."]
    assert answer["summary"]["parties"] == ["Oman"]

"""The schema a model is sent: the answer's JSON Schema, cut to what constrains the answer.

A request's fixed cost is mostly its schema, and a small local model pays for every token of
it. Pydantic's schema repeats itself: a ``title`` on every property, ``$ref``s into ``$defs``,
``anyOf`` for every optional field, defaults, and descriptions that repeat the prompt. The
rules live in the prompt (one place); the model-facing schema keeps only structure: types,
enums, and every property required (a model that compiles the schema into a grammar then
writes every field, null or empty where the article is silent, instead of stopping early).
``$ref``s are inlined, since servers that compile a schema into a grammar (llama.cpp, Ollama)
handle a flat schema best. Fields the library fills, and those it does not ask for
(``schemas.NOT_ASKED``), are removed.

A small model loops: the same topic forty times, ``""`` after ``""`` in a list, the article's
paragraph copied into every ``details``, until ``max_tokens`` cuts the answer off and nothing
of it can be read. Every list therefore carries a ``maxItems`` and the prose fields a
``maxLength`` (so does each sentence of ``next_steps`` and ``background``): servers that
compile the schema into a grammar (llama.cpp, Ollama, vLLM) end a list or a text there, and
other models read them as a size. They bound what the model is asked for, not what the
library accepts (``answer.cap_lists`` is the library's own cap).

Two shapes differ from the library's own, each saving tokens on every request and a choice a
small model can get wrong:
- a text that may be null is a plain string: the model writes ``""`` where the article is
  silent, which the answer reads as null (``answer._nulls_read``);
- an item's ``evidence``, which the model fills with a segment number only, is that number:
  ``"segment": 3`` on the item. ``from_model_shape`` puts it back as
  ``"evidence": {"segment": 3}`` before validation; ``to_model_shape`` shows an item the way
  the model wrote it (a repair re-ask quotes it back).

>>> from pydantic import BaseModel
>>> class M(BaseModel):
...     name: str | None = None
>>> lean_schema(M.model_json_schema())
{'properties': {'name': {'type': 'string'}}, 'required': ['name'], 'type': 'object'}
"""

from __future__ import annotations

from typing import Any

from .schemas import LIBRARY_FILLED, NOT_ASKED

__all__ = ["from_model_shape", "lean_schema", "to_model_shape"]

# Keys that describe rather than constrain; the prompt says what the fields mean. A date's
# ``format`` is checked by the library, which reads the date itself.
_DROPPED = frozenset({"title", "description", "default", "examples", "format"})
EVIDENCE, SEGMENT = "evidence", "segment"
# Sizes a good answer never needs more than (a summit names more people than it has topics).
MAX_ITEMS = 6
MAX_ITEMS_BY_FIELD = {"participants": 12, "parties": 8}
MAX_LENGTH_BY_FIELD = {"summary": 800, "details": 240}
MAX_ITEM_LENGTH = 240  # a sentence in a list of them
LONG_ITEMS = frozenset({"next_steps", "background"})


def lean_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with its ``$ref``s inlined and only constraining keys kept."""
    definitions = schema.get("$defs", {})
    marker_key = next(iter(LIBRARY_FILLED))
    hidden = {LIBRARY_FILLED[marker_key], NOT_ASKED[marker_key]}

    def visit(node: Any) -> Any:
        if isinstance(node, list):
            return [visit(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return visit(definitions[node["$ref"].rsplit("/", 1)[-1]])
        if "anyOf" in node:
            return _union([visit(option) for option in node["anyOf"]])
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROPPED or key in ("$defs", "required", marker_key):
                continue
            if key == "type" and "enum" in node and value == "string":
                continue  # the enum's values say it
            if key == "properties":
                kept = {k: v for k, v in value.items() if v.get(marker_key) not in hidden}
                visited = {name: _bounded(name, visit(prop)) for name, prop in kept.items()}
                out[key] = _hoist_segment(visited)
                out["required"] = list(out[key])
            else:
                out[key] = visit(value)
        return out

    result: dict[str, Any] = visit(schema)
    return result


def _bounded(name: str, prop: dict[str, Any]) -> dict[str, Any]:
    """A list property with its ``maxItems``, a prose text with its ``maxLength``."""
    if prop.get("type") == "array":
        items = prop.get("items", {})
        if name in LONG_ITEMS and items.get("type") == "string":  # a looping text ends too
            prop = {**prop, "items": {**items, "maxLength": MAX_ITEM_LENGTH}}
        return {**prop, "maxItems": MAX_ITEMS_BY_FIELD.get(name, MAX_ITEMS)}
    if prop.get("type") == "string" and name in MAX_LENGTH_BY_FIELD:
        return {**prop, "maxLength": MAX_LENGTH_BY_FIELD[name]}
    return prop


def _hoist_segment(properties: dict[str, Any]) -> dict[str, Any]:
    """An ``evidence`` asking for a segment number only, as that number on its item."""
    evidence = properties.get(EVIDENCE, {}).get("properties")
    if not isinstance(evidence, dict) or set(evidence) != {SEGMENT}:
        return properties
    segment = evidence[SEGMENT]
    if isinstance(segment.get("type"), list):  # a citation is never null once hoisted
        segment = {**segment, "type": next(t for t in segment["type"] if t != "null")}
    return {(SEGMENT if k == EVIDENCE else k): (segment if k == EVIDENCE else v)
            for k, v in properties.items()}  # fmt: skip


def _union(options: list[dict[str, Any]]) -> dict[str, Any]:
    """``str | None`` as a plain string (``""`` reads as null); ``X | None`` as
    ``{"type": [X, "null"]}`` where X is another plain type; else ``anyOf``."""
    plain = [o for o in options if set(o) == {"type"} and isinstance(o["type"], str)]
    if len(plain) == len(options):
        types = [o["type"] for o in plain]
        return {"type": "string"} if sorted(types) == ["null", "string"] else {"type": types}
    nulls = [o for o in options if o == {"type": "null"}]
    rest = [o for o in options if o != {"type": "null"}]
    if nulls and len(rest) == 1 and isinstance(rest[0].get("type"), str):
        single = dict(rest[0])
        if "enum" in single:
            single["enum"] = [*single["enum"], None]
        single["type"] = [single["type"], "null"]
        return single
    return {"anyOf": options}


def from_model_shape(node: Any, key: str | None = None) -> Any:
    """An answer in the model's shape read in the library's: an item's ``"segment": 3`` (or
    ``"evidence": 3``) becomes ``"evidence": {"segment": 3}``, at any depth."""
    if isinstance(node, list):
        return [from_model_shape(item) for item in node]
    if not isinstance(node, dict) or key == EVIDENCE:
        return node
    out = {k: from_model_shape(v, k) for k, v in node.items()}
    if isinstance(out.get(EVIDENCE), int | str) and not isinstance(out[EVIDENCE], bool):
        out[EVIDENCE] = {SEGMENT: out[EVIDENCE]}
    if SEGMENT in out and EVIDENCE not in out:
        out[EVIDENCE] = {SEGMENT: out.pop(SEGMENT)}
    return out


def to_model_shape(node: Any) -> Any:
    """An item in the library's shape shown as the model writes it: ``"segment": 3``."""
    if isinstance(node, list):
        return [to_model_shape(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_model_shape(v) for k, v in node.items() if k != EVIDENCE}
    evidence = node.get(EVIDENCE)
    if isinstance(evidence, dict):
        out[SEGMENT] = evidence.get(SEGMENT)
    return out

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

>>> from pydantic import BaseModel
>>> class M(BaseModel):
...     name: str | None = None
>>> lean_schema(M.model_json_schema())
{'properties': {'name': {'type': ['string', 'null']}}, 'required': ['name'], 'type': 'object'}
"""

from __future__ import annotations

from typing import Any

from .schemas import LIBRARY_FILLED, NOT_ASKED

__all__ = ["lean_schema"]

# Keys that describe rather than constrain; the prompt says what the fields mean.
_DROPPED = frozenset({"title", "description", "default", "examples"})


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
            if key == "properties":
                kept = {k: v for k, v in value.items() if v.get(marker_key) not in hidden}
                out[key] = {name: visit(prop) for name, prop in kept.items()}
                out["required"] = list(kept)
            else:
                out[key] = visit(value)
        return out

    result: dict[str, Any] = visit(schema)
    return result


def _union(options: list[dict[str, Any]]) -> dict[str, Any]:
    """``X | None`` as ``{"type": [X, "null"]}`` where X is a plain type; else ``anyOf``."""
    plain = [o for o in options if set(o) == {"type"} and isinstance(o["type"], str)]
    if len(plain) == len(options):
        return {"type": [o["type"] for o in plain]}
    nulls = [o for o in options if o == {"type": "null"}]
    rest = [o for o in options if o != {"type": "null"}]
    if nulls and len(rest) == 1 and isinstance(rest[0].get("type"), str):
        single = dict(rest[0])
        if "enum" in single:
            single["enum"] = [*single["enum"], None]
        single["type"] = [single["type"], "null"]
        return single
    return {"anyOf": options}

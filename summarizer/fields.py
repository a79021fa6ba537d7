"""Walk a summary's fields: the text slots written in the output language.

The script check reads them and the localisation call rewrites them, so both agree on what
counts as output-language text: every string field but the ones that stay in the article's
language (``quote``, ``name_source``, ``date_text``), the enumerated codes and the canonical ids
the library sets (``country_code``, ``party_ids``, ``person_key``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

SOURCE_LANGUAGE_FIELDS = frozenset({"quote", "name_source", "date_text"})
CANONICAL_ID_FIELDS = frozenset({"country_code", "party_ids", "person_key"})
_NOT_TEXT = SOURCE_LANGUAGE_FIELDS | CANONICAL_ID_FIELDS


@dataclass(frozen=True)
class Slot:
    """One value in a model tree, addressable for reading and writing."""

    path: str
    owner: Any  # the model or list holding it
    key: str | int

    def get(self) -> Any:
        return self.owner[self.key] if isinstance(self.key, int) else getattr(self.owner, self.key)

    def set(self, value: Any) -> None:
        if isinstance(self.key, int):
            self.owner[self.key] = value
        else:
            setattr(self.owner, self.key, value)


def walk(node: Any, path: str = "") -> Iterator[Slot]:
    """Every value under a model, depth first, lists included; enumerated codes skipped."""
    if isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            if _is_code(info.annotation):
                continue
            slot = Slot(f"{path}.{name}" if path else name, node, name)
            yield slot
            yield from walk(slot.get(), slot.path)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            slot = Slot(f"{path}[{i}]", node, i)
            yield slot
            yield from walk(item, slot.path)


def text_slots(summary: BaseModel) -> list[Slot]:
    """The non-empty output-language text fields of a summary, in a stable order."""
    return [
        slot
        for slot in walk(summary)
        if isinstance(slot.get(), str)
        and slot.get().strip()
        and _field_name(slot.path) not in _NOT_TEXT
    ]


def _field_name(path: str) -> str:
    """``participants[0].name_source`` -> ``name_source``; ``party_ids[1]`` -> ``party_ids``."""
    return path.rsplit(".", 1)[-1].split("[", 1)[0]


def _is_code(annotation: Any) -> bool:
    """True for a Literal field, optional or not: its values are codes, not text."""
    if get_origin(annotation) is Literal:
        return True
    return any(get_origin(arg) is Literal for arg in get_args(annotation))


def without_keys(data: Any, keys: frozenset[str]) -> Any:
    """A dumped model (dicts and lists) with ``keys`` left out at every depth."""
    if isinstance(data, dict):
        return {k: without_keys(v, keys) for k, v in data.items() if k not in keys}
    if isinstance(data, list):
        return [without_keys(v, keys) for v in data]
    return data

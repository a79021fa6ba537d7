"""Load a gold set: folders of articles and their annotations (``fixtures/README.md``).

A gold file ``<id>.json`` names its article (``"article"``, relative to the gold file); when
that path does not exist, ``<id>.txt``/``<id>.html`` beside it or in ``../articles/`` is used,
so the seed annotations copied from ``shared/gold`` load as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError

SCHEMAS = ("meeting", "cooperation")


@dataclass(frozen=True)
class GoldCase:
    id: str
    article: Path
    gold: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def input_format(self) -> str:
        return "html" if self.article.suffix.lower() in (".html", ".htm") else "text"

    @property
    def tags(self) -> list[str]:
        return list(self.gold.get("tags", []))

    def schemas(self) -> list[str]:
        return [s for s in SCHEMAS if s in self.gold]


def load_cases(folders: list[Path]) -> Iterator[GoldCase]:
    for folder in folders:
        if not folder.is_dir():
            raise ConfigError(f"{folder}: no such gold folder")
        for path in sorted(folder.glob("*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(gold, dict) or not any(s in gold for s in SCHEMAS):
                continue
            yield GoldCase(path.stem, _article_of(path, gold), gold, dict(gold.get("metadata", {})))


def _article_of(path: Path, gold: dict[str, Any]) -> Path:
    named = path.parent / str(gold.get("article", ""))
    candidates = [named] if gold.get("article") else []
    for folder in (path.parent, path.parent.parent / "articles"):
        candidates += [folder / f"{path.stem}{suffix}" for suffix in (".txt", ".html")]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise ConfigError(f"{path}: its article was not found (looked for {named.name})")

"""The article a result was made from, found again for the review page.

A batch run keeps its results, not its articles: each result names its input (``source``:
a file, or ``file:line`` / ``file:row`` of a JSON-lines or CSV input) and the SHA-256 of the
article text the model read. The desk reads that input again, prepares it the way the batch
did (an HTML page reduced to its article), and shows it only if the hash still matches:
evidence offsets point into that exact text, and an input edited since would put every
highlight in the wrong place. When it cannot, the page says why and shows the quotes alone.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import SummarizerError

_IN_FILE = re.compile(r"^(?P<path>.+):(?P<n>\d+)$")  # "articles.jsonl:12"


@dataclass(frozen=True)
class Found:
    """The article's text, or why it is not shown."""

    text: str | None
    missing: str | None = None


def article_of(line: dict[str, Any]) -> Found:
    source = line.get("source")
    article = ((line.get("meta") or {}).get("article")) or {}
    sha = article.get("sha256")
    if not isinstance(source, str) or not isinstance(sha, str):
        return Found(None, "the result names no input to read the article from")
    return _read(source, sha)


@lru_cache(maxsize=64)
def _read(source: str, sha: str) -> Found:
    from ..batch.inputs import (
        iter_items,
    )  # the model stack: imported on first use, so the desk starts fast
    from ..config import Settings
    from ..prepare import prepare

    found = _IN_FILE.match(source)
    path = Path(source)
    if not path.is_file() and found:
        path = Path(found["path"])
    if not path.is_file():
        return Found(None, f"the input {source} is no longer there")
    for item in iter_items([path]):
        if item.source != source:
            continue
        if item.text is None:
            return Found(None, f"the input {source} cannot be read now")
        try:
            text = prepare(item.text, Settings(), **item.article_options()).text
        except SummarizerError as exc:
            return Found(None, f"the input {source} cannot be read now ({exc})")
        if hashlib.sha256(text.encode()).hexdigest() != sha:
            return Found(None, f"the input {source} has changed since it was summarised")
        return Found(text)
    return Found(None, f"the input {source} no longer holds this article")

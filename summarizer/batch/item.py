"""One batch input as the readers hand it on: an article, or the reason it cannot be read."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TypedDict

METADATA = ("published", "outlet", "url", "title")


@dataclass(frozen=True)
class Item:
    """One input: an article to summarise, or the reason it cannot be read (``error``).

    ``warnings`` are what reading it noticed (bad bytes replaced); they lead ``meta.warnings``.
    """

    id: str
    source: str
    input_hash: str
    text: str | None = None
    error: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    input_format: str = "text"  # "html": a page the API reduces to its article first
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # An item stored as JSON (provider batches) comes back with a list.
        object.__setattr__(self, "warnings", tuple(self.warnings))

    def metadata(self) -> dict[str, str | None]:
        return {name: getattr(self, name) for name in METADATA}

    def article_options(self) -> ArticleOptions:
        """What every route passes on about the input with its text (``prepare.prepare``
        and ``Summarizer.asummarize`` take the same keywords): metadata, format, source."""
        return ArticleOptions(
            published=self.published,
            outlet=self.outlet,
            url=self.url,
            title=self.title,
            input_format=self.input_format,
            source=self.source,
        )


class ArticleOptions(TypedDict):
    published: str | None
    outlet: str | None
    url: str | None
    title: str | None
    input_format: str
    source: str


def make_item(
    item_id: str,
    source: str,
    text: str,
    metadata: dict[str, str | None],
    input_format: str,
    warnings: tuple[str, ...] = (),
) -> Item:
    """A readable input; its hash covers text, metadata and format, so a change reruns it."""
    found = {k: v for k, v in metadata.items() if v is not None}
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass"))
    digest.update(json.dumps([found, input_format], sort_keys=True).encode())
    return Item(
        item_id,
        source,
        digest.hexdigest(),
        text=text,
        published=found.get("published"),
        outlet=found.get("outlet"),
        url=found.get("url"),
        title=found.get("title"),
        input_format=input_format,
        warnings=warnings,
    )


def failed_item(item_id: str, source: str, error: str, data: bytes = b"") -> Item:
    """An input that cannot be read: ``error`` says why and names it."""
    # Hash the bytes, so that fixing the file (or the line) makes the next run try it again.
    digest = hashlib.sha256(data or error.encode("utf-8", "backslashreplace")).hexdigest()
    return Item(item_id, source, digest, error=error)

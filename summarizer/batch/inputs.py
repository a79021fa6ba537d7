"""Batch inputs, streamed one article at a time: files, directories, JSONL and CSV.

- a directory: every ``.txt``, ``.md``, ``.html``/``.htm`` file under it, recursively, sorted;
- a ``.jsonl`` file: one object a line, ``{"id", "text", "published"?, "outlet"?, "url"?,
  "title"?}``;
- a ``.csv`` file: a header row with ``id`` and ``text`` columns and the same optional ones;
- any other file: one article, its path as id.
A ``.html``/``.htm`` file (or a row with ``"input_format": "html"``) is a news page: the API
reduces it to its main text (``input_format="html"``), and its results line carries that text.

Nothing is loaded whole: directories are walked lazily, JSONL and CSV read row by row. A bad
input (unreadable, empty, binary, a malformed line) becomes an ``Item`` carrying its error, so
it gets its own line in ``results.jsonl`` and never stops the batch.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..api import INPUT_FORMATS, parse_published
from ..document import decode, input_format_of
from ..errors import ConfigError, SummarizerError

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
METADATA = ("published", "outlet", "url", "title")
# csv refuses fields over 128 KiB by default; an over-long article should instead meet the
# library's own length limit, which says how to raise it.
_CSV_FIELD_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class Item:
    """One input: an article to summarise, or the reason it cannot be read (``error``)."""

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

    def metadata(self) -> dict[str, str | None]:
        return {name: getattr(self, name) for name in METADATA}


def _sources(paths: Iterable[str | Path], exclude: Path | None) -> Iterator[tuple[Path, bool]]:
    """(path, is a walked file) for every source once, however often the arguments name it:
    a file given on its own and again inside a given folder is one input, not two."""
    seen: set[Path] = set()
    for path in map(Path, paths):
        for file, walked in (
            ((f, True) for f in _walk(path, exclude)) if path.is_dir() else [(path, False)]
        ):
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                yield file, walked


def iter_items(paths: Iterable[str | Path], exclude: Path | None = None) -> Iterator[Item]:
    """Every input under ``paths``, in order; ``exclude`` (the output directory) is skipped."""
    for path, walked in _sources(paths, exclude):
        if walked:
            yield _file_item(path)
        elif path.suffix.lower() in (".jsonl", ".ndjson"):
            yield from _jsonl_items(path)
        elif path.suffix.lower() == ".csv":
            yield from _csv_items(path)
        else:
            yield _file_item(path)


def count_items(paths: Iterable[str | Path], exclude: Path | None = None) -> int:
    """How many items ``iter_items`` will yield, read as cheaply (and as lazily) as it can."""
    total = 0
    for path, walked in _sources(paths, exclude):
        if walked:
            total += 1
        elif path.suffix.lower() in (".jsonl", ".ndjson"):
            with path.open("rb") as lines:
                total += sum(1 for line in lines if line.strip())
        elif path.suffix.lower() == ".csv":
            total += sum(1 for _ in _csv_items(path, parse=False))
        else:
            total += 1
    return total


def _walk(root: Path, exclude: Path | None) -> Iterator[Path]:
    skip = exclude.resolve() if exclude is not None else None
    for directory, dirnames, filenames in os.walk(root):
        # Hidden folders (.git) and the output directory (its briefings are .md) are not input.
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and (skip is None or Path(directory, d).resolve() != skip)
        )
        for name in sorted(filenames):
            if not name.startswith(".") and name.lower().endswith(ARTICLE_SUFFIXES):
                yield Path(directory, name)


def _file_item(path: Path) -> Item:
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _failed(source, source, f"{source}: cannot read ({exc.strerror})")
    try:
        text = decode(data, source)
    except SummarizerError as exc:
        return _failed(source, source, str(exc), data)
    return _item(source, source, text, {}, input_format_of(source))


def _jsonl_items(path: Path) -> Iterator[Item]:
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, 1):
            if not raw.strip():
                continue
            source = f"{path}:{number}"
            try:
                row = json.loads(raw.decode("utf-8-sig"))
            except UnicodeDecodeError:
                yield _failed(source, source, f"{source}: not UTF-8", raw)
                continue
            except json.JSONDecodeError as exc:
                yield _failed(source, source, f"{source}: not a JSON object ({exc.msg})", raw)
                continue
            if not isinstance(row, dict):
                yield _failed(source, source, f"{source}: not a JSON object", raw)
                continue
            yield _row_item(row, source)


def _csv_items(path: Path, parse: bool = True) -> Iterator[Item]:
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    source = str(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            if "text" not in (reader.fieldnames or []):
                yield _failed(source, source, f"{source}: a batch CSV needs a 'text' column")
                return
            for row in reader:
                where = f"{path}:{reader.line_num}"
                yield _row_item(row, where) if parse else _failed(where, where, "")
    except UnicodeDecodeError:
        yield _failed(f"{source}:?", source, f"{source}: not UTF-8 (rows after this one skipped)")
    except csv.Error as exc:
        yield _failed(f"{source}:?", source, f"{source}: malformed CSV ({exc})")


def _row_item(row: dict[str, Any], source: str) -> Item:
    """A JSONL object or CSV row: ``text`` and ``id`` (else its place), optional metadata."""
    raw_id = row.get("id")
    item_id = str(raw_id) if raw_id not in (None, "") else source
    text = row.get("text")
    if not isinstance(text, str):
        return _failed(item_id, source, f"{source}: no 'text' string", repr(row).encode())
    metadata = {name: _text_or_none(row.get(name)) for name in METADATA}
    input_format = _text_or_none(row.get("input_format")) or "text"
    try:
        parse_published(metadata["published"])
        if input_format not in INPUT_FORMATS:
            raise ConfigError(f"input_format {input_format!r} is not one of text, html")
    except SummarizerError as exc:
        return _failed(item_id, source, f"{source}: {exc}", repr(row).encode())
    return _item(item_id, source, text, metadata, input_format)


def _text_or_none(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def _item(
    item_id: str, source: str, text: str, metadata: dict[str, str | None], input_format: str
) -> Item:
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
    )


def _failed(item_id: str, source: str, error: str, data: bytes = b"") -> Item:
    # Hash the bytes, so that fixing the file (or the line) makes the next run try it again.
    digest = hashlib.sha256(data or error.encode()).hexdigest()
    return Item(item_id, source, digest, error=error)

"""Batch inputs, streamed one article at a time: files, directories, JSONL and CSV.

- a directory: every ``.txt``, ``.md``, ``.html``/``.htm`` file under it, recursively, sorted;
- a ``.jsonl`` file: one object a line, ``{"id", "text", "published"?, "outlet"?, "url"?,
  "title"?}``;
- a ``.csv`` file: a header row with ``id`` and ``text`` columns and the same optional ones,
  comma-separated, in UTF-8 (BOM or not), UTF-16 with BOM or Windows-1256 (what Excel writes
  for Arabic);
- any other file: one article, its path as id.
A ``.html``/``.htm`` file (or a row with ``"input_format": "html"``) is a news page: the API
reduces it to its main text (``input_format="html"``), and its results line carries that text.

Nothing is loaded whole, and nothing past the size limit: directories are walked lazily, JSONL
and CSV read row by row, each file, line or field at most what ``max_chars`` characters can
take. Only regular files are read. A bad input (unreadable, a special file, empty, binary, a
malformed or over-long line) becomes an ``Item`` carrying its error, so it gets its own line in
``results.jsonl`` and never stops the batch; an error on a row names it (``rows.jsonl:7: ...``).
JSONL/CSV rows get the checks a file's text gets (``rows.py``).

Ids and sources are always printable text: a file name that is not UTF-8 is decoded as
Windows-1256 when it reads as Arabic, else shown with its bad bytes escaped (the file is still
read by its real name).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..config import DEFAULT_MAX_INPUT_CHARS
from ..document import decode_text, input_format_of, open_regular, printable_path, read_limited
from ..errors import SummarizerError
from .item import METADATA, Item, failed_item, make_item
from .rows import csv_items, jsonl_items

__all__ = ["ARTICLE_SUFFIXES", "METADATA", "Item", "count_items", "iter_items"]

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")


# One source to read: (path, kind, why it cannot be listed). Kinds: file, jsonl, csv, folder
# (a folder that cannot be listed, which is one error rather than inputs silently missing).
_Source = tuple[Path, str, str | None]


def _sources(paths: Iterable[str | Path], exclude: Path | None) -> Iterator[_Source]:
    """Every source once, however often the arguments name it: a file given on its own and
    again inside a given folder is one input, not two."""
    seen: set[Path] = set()
    for path in map(Path, paths):
        found = _walk(path, exclude) if path.is_dir() else [(path, _kind(path), None)]
        for source in found:
            key = _identity(source[0])
            if key not in seen:
                seen.add(key)
                yield source


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: it fails on its own when read
        return Path(os.path.abspath(path))


def _kind(path: Path) -> str:
    """What a path named on its own holds: a walked file is always one article."""
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}.get(path.suffix.lower(), "file")


def iter_items(
    paths: Iterable[str | Path],
    exclude: Path | None = None,
    *,
    max_chars: int = DEFAULT_MAX_INPUT_CHARS,
) -> Iterator[Item]:
    """Every input under ``paths``, in order; ``exclude`` (the output directory) is skipped.

    ``max_chars`` (``--max-input-chars``) bounds what is read of each file, line or field.
    """
    for path, kind, problem in _sources(paths, exclude):
        if kind == "jsonl":
            yield from jsonl_items(path, max_chars)
        elif kind == "csv":
            yield from csv_items(path, max_chars)
        elif kind == "folder":
            source = printable_path(path)
            yield failed_item(source, source, f"{source}: cannot list the folder ({problem})")
        else:
            yield _file_item(path, max_chars)


def count_items(
    paths: Iterable[str | Path],
    exclude: Path | None = None,
    *,
    max_chars: int = DEFAULT_MAX_INPUT_CHARS,
) -> int:
    """How many items ``iter_items`` will yield, read as cheaply (and as lazily) as it can:
    the same readers, without decoding or checking what they read."""
    total = 0
    for path, kind, _ in _sources(paths, exclude):
        if kind == "jsonl":
            total += sum(1 for _ in jsonl_items(path, max_chars, parse=False))
        elif kind == "csv":
            total += sum(1 for _ in csv_items(path, max_chars, parse=False))
        else:
            total += 1
    return total


def _walk(root: Path, exclude: Path | None) -> Iterator[_Source]:
    skip = _identity(exclude) if exclude is not None else None
    unlisted: list[OSError] = []
    for directory, dirnames, filenames in os.walk(root, onerror=unlisted.append):
        # Hidden folders (.git) and the output directory (its briefings are .md) are not input.
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and (skip is None or _identity(Path(directory, d)) != skip)
        )
        yield from _drain(unlisted)
        for name in sorted(filenames):
            if not name.startswith(".") and name.lower().endswith(ARTICLE_SUFFIXES):
                yield Path(directory, name), "file", None
    yield from _drain(unlisted)


def _drain(unlisted: list[OSError]) -> Iterator[_Source]:
    while unlisted:
        error = unlisted.pop(0)
        yield Path(error.filename or "?"), "folder", error.strerror


def _file_item(path: Path, max_chars: int) -> Item:
    source = printable_path(path)
    data = b""
    try:
        with open_regular(path, source) as file:
            data = read_limited(file, max_chars, source)
        decoded = decode_text(data, source)
    except SummarizerError as exc:
        return failed_item(source, source, str(exc), data)
    return make_item(source, source, decoded.text, {}, input_format_of(source), decoded.warnings)

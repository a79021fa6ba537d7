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
JSONL/CSV text gets the checks a file's text gets (empty, NUL, control characters).

Ids and sources are always printable text: a file name that is not UTF-8 is decoded as
Windows-1256 when it reads as Arabic, else shown with its bad bytes escaped (the file is still
read by its real name); an id with lone surrogates (``"x\\udc80"``) is shown escaped. Any other
field holding lone surrogates is an error naming the line, not cleaned: the text is not what
its writer meant, and a summary of it would not be either.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..api import INPUT_FORMATS, parse_published
from ..config import DEFAULT_MAX_INPUT_CHARS
from ..document import (
    as_arabic,
    check_text,
    decode_text,
    input_format_of,
    lenient_utf8,
    open_regular,
    printable,
    printable_path,
    read_limited,
)
from ..errors import ConfigError, InputError, SummarizerError

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
METADATA = ("published", "outlet", "url", "title")
# JSON may write a character as up to 12 bytes (a surrogate pair of \\uXXXX escapes); the
# other fields of a line get this much room on top.
_JSON_BYTES_PER_CHAR = 12
_JSON_LINE_ROOM = 64 * 1024
# How much of a CSV is read to tell its encoding.
_CSV_SNIFF_BYTES = 64 * 1024


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
            key = _identity(file)
            if key not in seen:
                seen.add(key)
                yield file, walked


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: it fails on its own when read
        return Path(os.path.abspath(path))


def _kind(path: Path, walked: bool) -> str:
    suffix = path.suffix.lower()
    if walked:
        return "file"
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}.get(suffix, "file")


def iter_items(
    paths: Iterable[str | Path],
    exclude: Path | None = None,
    *,
    max_chars: int = DEFAULT_MAX_INPUT_CHARS,
) -> Iterator[Item]:
    """Every input under ``paths``, in order; ``exclude`` (the output directory) is skipped.

    ``max_chars`` (``--max-input-chars``) bounds what is read of each file, line or field.
    """
    for path, walked in _sources(paths, exclude):
        kind = _kind(path, walked)
        if kind == "jsonl":
            yield from _jsonl_items(path, max_chars)
        elif kind == "csv":
            yield from _csv_items(path, max_chars)
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
    for path, walked in _sources(paths, exclude):
        kind = _kind(path, walked)
        if kind == "jsonl":
            total += sum(1 for _ in _jsonl_items(path, max_chars, parse=False))
        elif kind == "csv":
            total += sum(1 for _ in _csv_items(path, max_chars, parse=False))
        else:
            total += 1
    return total


def _walk(root: Path, exclude: Path | None) -> Iterator[Path]:
    skip = _identity(exclude) if exclude is not None else None
    for directory, dirnames, filenames in os.walk(root):
        # Hidden folders (.git) and the output directory (its briefings are .md) are not input.
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and (skip is None or _identity(Path(directory, d)) != skip)
        )
        for name in sorted(filenames):
            if not name.startswith(".") and name.lower().endswith(ARTICLE_SUFFIXES):
                yield Path(directory, name)


def _file_item(path: Path, max_chars: int) -> Item:
    source = printable_path(path)
    data = b""
    try:
        with open_regular(path, source) as file:
            data = read_limited(file, max_chars, source)
        decoded = decode_text(data, source)
    except SummarizerError as exc:
        return _failed(source, source, str(exc), data)
    return _item(source, source, decoded.text, {}, input_format_of(source), decoded.warnings)


def _jsonl_items(path: Path, max_chars: int, parse: bool = True) -> Iterator[Item]:
    name = printable_path(path)
    limit = max_chars * _JSON_BYTES_PER_CHAR + _JSON_LINE_ROOM
    try:
        file = open_regular(path, name)
    except InputError as exc:
        yield _failed(name, name, str(exc))
        return
    with file:
        for number, raw in _lines(file, limit):
            source = f"{name}:{number}"
            if raw is None:
                message = (
                    f"{source}: line longer than {limit:,} bytes, over the limit of "
                    f"{max_chars:,} characters (raise it with --max-input-chars)"
                )
                yield _failed(source, source, message)
            elif parse:
                yield _jsonl_item(raw, source)
            else:
                yield _failed(source, source, "")


def _lines(file: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for every non-blank line, None for a line over ``limit`` bytes
    (read past, never held)."""
    number = 0
    while raw := file.readline(limit + 1):
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while (rest := file.readline(1 << 16)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        elif raw.strip():
            yield number, raw


def _jsonl_item(raw: bytes, source: str) -> Item:
    body = raw.removeprefix(codecs.BOM_UTF8)
    decoded = lenient_utf8(body, source, offset=len(raw) - len(body))  # offset in the line
    if decoded is None:
        return _failed(source, source, f"{source}: not UTF-8", raw)
    try:
        row = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        return _failed(source, source, f"{source}: not a JSON object ({exc.msg})", raw)
    if not isinstance(row, dict):
        return _failed(source, source, f"{source}: not a JSON object", raw)
    return _row_item(row, source, decoded.warnings)


def _csv_items(path: Path, max_chars: int, parse: bool = True) -> Iterator[Item]:
    # The limit is the process's (csv has no other); an over-long field is that row's error.
    csv.field_size_limit(max_chars + 1)
    source = printable_path(path)
    try:
        file = open_regular(path, source)
    except InputError as exc:
        yield _failed(source, source, str(exc))
        return
    with file:
        encoding = _csv_encoding(file.read(_CSV_SNIFF_BYTES))
        file.seek(0)
        if encoding is None:
            message = (
                f"{source}: binary or unknown encoding "
                "(not UTF-8, UTF-16 with BOM, or Arabic Windows-1256)"
            )
            yield _failed(source, source, message)
            return
        # UTF-8 is read with bad bytes kept as escapes: a row is cleaned or refused on its own.
        errors = "surrogateescape" if encoding == "utf-8-sig" else "strict"
        text = io.TextIOWrapper(file, encoding=encoding, errors=errors, newline="")
        yield from _csv_rows(text, source, parse, encoding)


def _csv_rows(file: IO[str], source: str, parse: bool, encoding: str) -> Iterator[Item]:
    reader = csv.DictReader(file)
    line = 0
    try:
        header = reader.fieldnames or []
        if len(header) == 1 and ";" in header[0]:
            message = (
                f"{source}: the header is one column holding ';': separate columns with commas"
            )
            yield _failed(source, source, message)
            return
        if "text" not in header:
            yield _failed(source, source, f"{source}: a batch CSV needs a 'text' column")
            return
        while True:
            line = reader.line_num + 1  # where the next row starts
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                where = f"{source}:{line}"
                yield _failed(where, where, f"{where}: malformed CSV ({exc})")
                continue
            where = f"{source}:{line}"
            yield _csv_item(row, where) if parse else _failed(where, where, "")
    except UnicodeDecodeError:
        where = f"{source}:{max(line, 1)}"
        message = f"{where}: not {encoding.upper().removesuffix('-SIG')} (rows after it skipped)"
        yield _failed(where, where, message)


def _csv_encoding(head: bytes) -> str | None:
    """The codec a CSV is written in, told from its first bytes; None for a binary file."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if b"\x00" in head:
        return None
    # The sniffed bytes may end inside a character; a few bad bytes are damage, not cp1256.
    if lenient_utf8(head[:-4] if len(head) == _CSV_SNIFF_BYTES else head, "") is not None:
        return "utf-8-sig"
    return "cp1256" if as_arabic(head) is not None else None


def _csv_item(row: dict[str, Any], source: str) -> Item:
    """A CSV row, its bad UTF-8 bytes (kept as escapes by the reader) cleaned with a warning."""
    raw = "".join(v for v in row.values() if isinstance(v, str)).encode("utf-8", "surrogateescape")
    decoded = lenient_utf8(raw, source)
    if decoded is None:
        return _failed(source, source, f"{source}: not UTF-8", raw)
    if not decoded.warnings:
        return _row_item(row, source)
    cleaned = {
        k: v.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        if isinstance(v, str)
        else v
        for k, v in row.items()
    }
    return _row_item(cleaned, source, (f"{source}: {_replaced(decoded.warnings[0])}",))


def _replaced(warning: str) -> str:
    # The byte offset is within the row's fields, not the file: say how many, not where.
    return warning.split(": ", 1)[1].split(" (the first", 1)[0]


def _row_item(row: dict[str, Any], source: str, warnings: tuple[str, ...] = ()) -> Item:
    """A JSONL object or CSV row: ``text`` and ``id`` (else its place), optional metadata.

    The text gets a file's checks; an id with lone surrogates is shown escaped, any other
    field holding them is refused (see the module's docstring)."""
    raw_id = row.get("id")
    item_id = printable(str(raw_id)) if raw_id not in (None, "") else source
    text = row.get("text")
    if not isinstance(text, str):
        return _failed(item_id, source, f"{source}: no 'text' string", _raw(row))
    metadata = {name: _text_or_none(row.get(name)) for name in METADATA}
    input_format = _text_or_none(row.get("input_format")) or "text"
    try:
        check_text(text, f"{source}: 'text'")
        for name, value in metadata.items():
            if value is not None and printable(value) != value:
                raise InputError(f"'{name}' holds lone surrogates (such as \\udc80), not text")
        parse_published(metadata["published"])
        if input_format not in INPUT_FORMATS:
            raise ConfigError(f"input_format {input_format!r} is not one of text, html")
    except InputError as exc:
        message = str(exc) if str(exc).startswith(source) else f"{source}: {exc}"
        return _failed(item_id, source, message, _raw(row))
    except SummarizerError as exc:
        return _failed(item_id, source, f"{source}: {exc}", _raw(row))
    return _item(item_id, source, text, metadata, input_format, warnings)


def _raw(row: dict[str, Any]) -> bytes:
    return repr(row).encode("utf-8", "backslashreplace")


def _text_or_none(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def _item(
    item_id: str,
    source: str,
    text: str,
    metadata: dict[str, str | None],
    input_format: str,
    warnings: tuple[str, ...] = (),
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
        warnings=warnings,
    )


def _failed(item_id: str, source: str, error: str, data: bytes = b"") -> Item:
    # Hash the bytes, so that fixing the file (or the line) makes the next run try it again.
    digest = hashlib.sha256(data or error.encode("utf-8", "backslashreplace")).hexdigest()
    return Item(item_id, source, digest, error=error)

"""Batch rows: a JSONL file (one object a line) or a CSV file (a header, then rows), read row
by row and never a line or field past the size limit.

A CSV is comma-separated, in UTF-8 (BOM or not), UTF-16 with BOM or Windows-1256 (what Excel
writes for Arabic), told from its first 64 KiB. A row's text gets the checks a file's text gets
(empty, NUL, control characters, lone surrogates); a row with a few bytes that are not UTF-8 is
read with them replaced and a warning. Every error names its line (``rows.jsonl:7: ...``).

An id with lone surrogates (``"x\\udc80"``) is shown escaped; any other field holding them is an
error naming the line, not cleaned: the text is not what its writer meant, and a summary of it
would not be either.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..api import INPUT_FORMATS, parse_published
from ..document import (
    as_arabic,
    check_text,
    lenient_utf8,
    open_regular,
    printable,
    printable_path,
)
from ..errors import ConfigError, InputError, SummarizerError
from .item import METADATA, Item, failed_item, make_item

# JSON may write a character as up to 12 bytes (a surrogate pair of \\uXXXX escapes); the
# other fields of a line get this much room on top.
_JSON_BYTES_PER_CHAR = 12
_JSON_LINE_ROOM = 64 * 1024
# How much of a CSV is read to tell its encoding.
_CSV_SNIFF_BYTES = 64 * 1024


def jsonl_items(path: Path, max_chars: int, parse: bool = True) -> Iterator[Item]:
    name = printable_path(path)
    limit = max_chars * _JSON_BYTES_PER_CHAR + _JSON_LINE_ROOM
    try:
        file = open_regular(path, name)
    except InputError as exc:
        yield failed_item(name, name, str(exc))
        return
    with file:
        for number, raw in _lines(file, limit):
            source = f"{name}:{number}"
            if raw is None:
                message = (
                    f"{source}: line longer than {limit:,} bytes, over the limit of "
                    f"{max_chars:,} characters (raise it with --max-input-chars)"
                )
                yield failed_item(source, source, message)
            elif parse:
                yield _jsonl_item(raw, source)
            else:
                yield failed_item(source, source, "")


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
        return failed_item(source, source, f"{source}: not UTF-8", raw)
    try:
        row = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        return failed_item(source, source, f"{source}: not a JSON object ({exc.msg})", raw)
    if not isinstance(row, dict):
        return failed_item(source, source, f"{source}: not a JSON object", raw)
    return _row_item(row, source, decoded.warnings)


def csv_items(path: Path, max_chars: int, parse: bool = True) -> Iterator[Item]:
    # The limit is the process's (csv has no other); an over-long field is that row's error.
    csv.field_size_limit(max_chars + 1)
    source = printable_path(path)
    try:
        file = open_regular(path, source)
    except InputError as exc:
        yield failed_item(source, source, str(exc))
        return
    with file:
        encoding = _csv_encoding(file.read(_CSV_SNIFF_BYTES))
        file.seek(0)
        if encoding is None:
            message = (
                f"{source}: binary or unknown encoding "
                "(not UTF-8, UTF-16 with BOM, or Arabic Windows-1256)"
            )
            yield failed_item(source, source, message)
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
            yield failed_item(source, source, message)
            return
        if "text" not in header:
            yield failed_item(source, source, f"{source}: a batch CSV needs a 'text' column")
            return
        while True:
            line = reader.line_num + 1  # where the next row starts
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                where = f"{source}:{line}"
                yield failed_item(where, where, f"{where}: malformed CSV ({exc})")
                continue
            where = f"{source}:{line}"
            yield _csv_item(row, where) if parse else failed_item(where, where, "")
    except UnicodeDecodeError:
        where = f"{source}:{max(line, 1)}"
        message = f"{where}: not {encoding.upper().removesuffix('-SIG')} (rows after it skipped)"
        yield failed_item(where, where, message)


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
        return failed_item(source, source, f"{source}: not UTF-8", raw)
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
        return failed_item(item_id, source, f"{source}: no 'text' string", _raw(row))
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
        return failed_item(item_id, source, message, _raw(row))
    except SummarizerError as exc:
        return failed_item(item_id, source, f"{source}: {exc}", _raw(row))
    return make_item(item_id, source, text, metadata, input_format, warnings)


def _raw(row: dict[str, Any]) -> bytes:
    return repr(row).encode("utf-8", "backslashreplace")


def _text_or_none(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)

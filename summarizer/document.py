"""Read an article as the user gave it: bytes to text, and refuse what is not an article.

Accepted: UTF-8 with or without BOM, UTF-16 with BOM, and Windows-1256 when the bytes are not
close to UTF-8 and decode to text that is mostly Arabic letters with no control characters
besides tab and line breaks. Text that is UTF-8 but for a few bad bytes (at most one byte in
500, or one in ten of the bytes past ASCII) is read as UTF-8 with each bad sequence replaced by
U+FFFD, and a warning names how many bytes and the first one's offset: one bad byte must not
turn a whole Arabic article into Windows-1256 mojibake. Anything else is binary. Offsets count
code points of the decoded text after a leading BOM is dropped; nothing else is changed (line
endings stay).

Only regular files are read (a FIFO, device or socket would block or never end), and never
more than the bytes ``max_input_chars`` characters can take: reading stops at the limit.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .config import DEFAULT_MAX_INPUT_CHARS
from .errors import InputError
from .script import arabic_share

_ALLOWED_CONTROLS = frozenset("\t\n\r\f")
# Fewer words than this extracted from a page means it holds no article.
MIN_ARTICLE_WORDS = 25
# Few real articles hold a control character; a share above this is a binary file.
_MAX_CONTROL_SHARE = 0.001
# UTF-8 with at most this share of bad bytes, or of bad bytes among those past ASCII, is UTF-8
# damaged in transit, not another encoding: Windows-1256 Arabic (or Latin-1) read as UTF-8 is
# bad in nearly every byte past ASCII.
_MAX_BAD_UTF8_SHARE = 0.002
_MAX_BAD_NON_ASCII_SHARE = 0.1
# The most bytes one character takes in any accepted encoding (UTF-8: 4; UTF-16: 2 or 4),
# and room for a BOM.
_BYTES_PER_CHAR = 4
_BOM_ROOM = 4
# Share of the non-ASCII characters of a Windows-1256 reading that must be Arabic (``as_arabic``).
_MIN_ARABIC_BYTES_SHARE = 0.9
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Decoded:
    """An article's text and what reading it noticed (bad bytes replaced), for ``meta``."""

    text: str
    warnings: tuple[str, ...] = ()


def max_input_bytes(max_chars: int = DEFAULT_MAX_INPUT_CHARS) -> int:
    """The most bytes an article of ``max_chars`` characters can take in an accepted encoding."""
    return max_chars * _BYTES_PER_CHAR + _BOM_ROOM


def decode(data: bytes, source: str = "input") -> str:
    """Decode an article's bytes; InputError naming ``source`` when it is not text."""
    return decode_text(data, source).text


def decode_text(data: bytes, source: str = "input") -> Decoded:
    """Decode an article's bytes, with the warnings reading them gave; InputError when it is
    not text. ``source`` names the input in the error."""
    if not data.strip():
        raise InputError(f"{source}: empty input")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            if codec == "utf-8":
                found = lenient_utf8(data[len(bom) :], source, offset=len(bom))
            else:
                try:
                    found = Decoded(data.decode(codec).removeprefix("\ufeff"))
                except UnicodeDecodeError:
                    found = None
            if found is None:
                raise InputError(f"{source}: not valid {codec.upper()} after its BOM")
            return Decoded(check_text(found.text, source), found.warnings)
    if b"\x00" in data:
        raise InputError(f"{source}: binary input (NUL bytes), not a text article")
    found = lenient_utf8(data, source)
    if found is not None:
        return Decoded(check_text(found.text, source), found.warnings)
    # Damaged UTF-8 Arabic also reads as mostly Arabic letters in Windows-1256; as_arabic
    # refuses it, since its continuation bytes decode to Latin letters and signs there.
    text = as_arabic(data)
    if text is not None and not _controls(text) and arabic_share(text) >= 0.5:
        return Decoded(text)
    raise InputError(
        f"{source}: binary or unknown encoding (not UTF-8, UTF-16 with BOM, or Arabic Windows-1256)"
    )


def lenient_utf8(data: bytes, source: str, offset: int = 0) -> Decoded | None:
    """``data`` read as UTF-8, a few bad bytes replaced by U+FFFD with a warning naming the
    first one's offset (``offset`` is where ``data`` starts in the file); None when the bytes
    are too far from UTF-8 to be UTF-8 damaged in transit."""
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        first = offset + exc.start
    # surrogateescape keeps one escape per bad byte, so they can be counted exactly.
    bad = sum(1 for ch in data.decode("utf-8", "surrogateescape") if "\udc80" <= ch <= "\udcff")
    foreign = sum(1 for byte in data if byte >= 0x80)
    if bad > len(data) * _MAX_BAD_UTF8_SHARE and bad > foreign * _MAX_BAD_NON_ASCII_SHARE:
        return None
    noun = "byte" if bad == 1 else "bytes"
    warning = (
        f"{source}: {bad} {noun} not valid UTF-8 replaced with U+FFFD "
        f"(the first at byte offset {first:,})"
    )
    return Decoded(data.decode("utf-8", "replace"), (warning,))


def read_source(path: str, max_chars: int = DEFAULT_MAX_INPUT_CHARS) -> tuple[Decoded, str]:
    """(text and warnings, source name) from a file path or ``-`` for standard input.

    Reads at most the bytes ``max_chars`` characters can take; more is an InputError.
    """
    if path == "-":
        data = read_limited(sys.stdin.buffer, max_chars, "stdin")
        return decode_text(data, "stdin"), "stdin"
    source = printable_path(path)
    return decode_text(read_file(path, max_chars, source), source), source


def read_file(path: str | Path, max_chars: int, source: str | None = None) -> bytes:
    """The bytes of a regular file, at most those ``max_chars`` characters can take; an
    InputError naming ``source`` (the path, printable) for anything else (``open_regular``)."""
    source = source or printable_path(path)
    with open_regular(path, source) as file:
        return read_limited(file, max_chars, source)


def open_regular(path: str | Path, source: str | None = None) -> BinaryIO:
    """A regular file opened for reading; InputError naming ``source`` for anything else.

    A directory, a FIFO, a device or a socket (reading one blocks or never ends), a symlink
    loop or a missing file is refused. The file is opened non-blocking and checked again once
    open, so a FIFO swapped in between the two looks cannot block the reader either.
    """
    source = source or printable_path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        _check_regular(os.stat(path), source)
        fd = os.open(path, flags)
    except FileNotFoundError as exc:
        raise InputError(f"{source}: no such file") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{source}: a symlink loop, not a file") from exc
        raise InputError(f"{source}: cannot read ({exc.strerror})") from exc
    file = os.fdopen(fd, "rb")
    try:
        _check_regular(os.fstat(fd), source)
    except BaseException:
        file.close()
        raise
    return file


def read_limited(stream: BinaryIO, max_chars: int, source: str) -> bytes:
    """Read ``stream`` to its end, but never past the bytes ``max_chars`` characters can take."""
    limit = max_input_bytes(max_chars)
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror})") from exc
    if len(data) > limit:
        raise InputError(
            f"{source}: more than {limit:,} bytes, over the limit of {max_chars:,} characters "
            "(raise it with --max-input-chars)"
        )
    return data


def _check_regular(status: os.stat_result, source: str) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise InputError(f"{source}: is a directory, not an article")
    if not stat.S_ISREG(status.st_mode):
        raise InputError(f"{source}: not a regular file (a FIFO, device or socket), not read")


def printable_path(path: str | Path) -> str:
    """A path as text that can be printed and stored, however its name was encoded.

    Python hands a name whose bytes are not UTF-8 over with surrogate escapes, which no UTF-8
    file, terminal or database takes. A name that reads as Arabic in Windows-1256 (what a zip
    made on Arabic Windows leaves) is decoded so; any other bad byte is shown escaped (``\\xff``).
    The file itself is still opened by its real path.
    """
    name = os.fspath(path)
    if _is_text(name):
        return name
    try:
        raw = os.fsencode(name)
    except UnicodeEncodeError:  # surrogates that did not come from the file system
        return printable(name)
    return os.sep.join(_printable_part(part) for part in raw.split(os.sep.encode()))


def _printable_part(raw: bytes) -> str:
    # Each folder or file name on its own: a zip may hold UTF-8 folders around cp1256 names.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        arabic = as_arabic(raw)
    if arabic is not None and arabic.isprintable():
        return arabic
    return raw.decode("utf-8", "backslashreplace")


def as_arabic(data: bytes) -> str | None:
    """``data`` decoded as Windows-1256 when its bytes past ASCII read as Arabic, else None.

    Nearly all of them must decode to the Arabic block (letters, marks, digits, the Arabic
    comma): a Latin-1 or binary byte decodes to a letter or a bidi mark there too, but rarely
    to Arabic alone.
    """
    text = data.decode("cp1256", "replace")
    foreign = [ch for ch in text if not ch.isascii()]
    arabic = sum(1 for ch in foreign if "\u060c" <= ch <= "\u06ff" or ch == "\u200c")
    if not foreign or arabic < len(foreign) * _MIN_ARABIC_BYTES_SHARE or "\ufffd" in text:
        return None
    return text


def printable(text: str) -> str:
    """``text`` with lone surrogates (a JSON ``"\\udc80"``) shown escaped, so UTF-8 holds it."""
    return text if _is_text(text) else text.encode("utf-8", "backslashreplace").decode("utf-8")


def _is_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(text: str, source: str = "input") -> str:
    """Refuse text that is no article: empty, NUL or other control characters (a binary file),
    lone surrogates (no character at all). Used for files and for JSONL/CSV text alike."""
    if not text.strip():
        raise InputError(f"{source}: empty input")
    if "\x00" in text:
        raise InputError(f"{source}: binary input (NUL characters), not a text article")
    if _controls(text) > max(1, len(text) * _MAX_CONTROL_SHARE):
        raise InputError(f"{source}: binary input (control characters), not a text article")
    if not _is_text(text):
        raise InputError(f"{source}: holds lone surrogates (such as \\udc80), not text")
    return text


def check_article(text: str, max_chars: int, source: str = "input") -> str:
    """Drop a leading BOM and refuse empty or over-long text; returns the article."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError(f"{source}: empty article (only whitespace)")
    if len(text) > max_chars:
        raise InputError(
            f"{source}: article has {len(text):,} characters, over the limit of {max_chars:,} "
            "(raise it with --max-input-chars)"
        )
    return text


def _controls(text: str) -> int:
    return sum(1 for ch in text if ch < " " and ch not in _ALLOWED_CONTROLS)


@dataclass(frozen=True)
class Page:
    """A news page reduced to its article: the text summarised, and metadata found on it."""

    text: str
    title: str | None = None
    published: str | None = None


def extract_page(html: str, source: str = "input") -> Page:
    """The main text of a news page (trafilatura), without menus, lists, widgets or footers.

    The publication date is taken only from the page's metadata and markup of the article
    (``extensive_search`` off), never from free text such as a date widget.
    """
    import trafilatura  # imported here: a second or so of start-up the text path never needs

    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (getattr(document, "text", None) or "").strip()
    # The extractor falls back to whatever text a page has ("Home", share buttons); a page
    # whose best text is a few words has no article to summarise.
    if len(text.split()) < MIN_ARTICLE_WORDS:
        raise InputError(f"{source}: no article text found in the HTML page")
    return Page(
        text=text, title=getattr(document, "title", None), published=getattr(document, "date", None)
    )


def input_format_of(source: str) -> str:
    """``html`` for a ``.html``/``.htm`` file, else ``text``."""
    return "html" if source.lower().endswith((".html", ".htm")) else "text"

"""Read an article as the user gave it: bytes to text, and refuse what is not an article.

Accepted: UTF-8 with or without BOM, UTF-16 with BOM, and Windows-1256 when the bytes are not
UTF-8 and decode to text that is mostly Arabic letters with no control characters besides tab
and line breaks. Anything else is binary. Offsets count code points of the decoded text after
a leading BOM is dropped; nothing else is changed (line endings stay).
"""

from __future__ import annotations

import codecs
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .script import arabic_share

_ALLOWED_CONTROLS = frozenset("\t\n\r\f")
# Fewer words than this extracted from a page means it holds no article.
MIN_ARTICLE_WORDS = 25
# Few real articles hold a control character; a share above this is a binary file.
_MAX_CONTROL_SHARE = 0.001


def decode(data: bytes, source: str = "input") -> str:
    """Decode an article's bytes; InputError naming ``source`` when it is not text."""
    if not data.strip():
        raise InputError(f"{source}: empty input")
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{source}: not valid {codec.upper()} after its BOM") from exc
            return _checked(text.removeprefix("\ufeff"), source)
    if b"\x00" in data:
        raise InputError(f"{source}: binary input (NUL bytes), not a text article")
    try:
        return _checked(data.decode("utf-8"), source)
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1256", errors="replace")
    if "\ufffd" not in text and not _controls(text) and arabic_share(text) >= 0.5:
        return text
    raise InputError(
        f"{source}: binary or unknown encoding (not UTF-8, UTF-16 with BOM, or Arabic Windows-1256)"
    )


def read_source(path: str) -> tuple[str, str]:
    """(text, source name) from a file path or ``-`` for standard input."""
    if path == "-":
        return decode(sys.stdin.buffer.read(), "stdin"), "stdin"
    file = Path(path)
    if file.is_dir():
        raise InputError(f"{path}: is a directory, not an article")
    try:
        data = file.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    return decode(data, path), path


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


def _checked(text: str, source: str) -> str:
    if not text.strip():
        raise InputError(f"{source}: empty input")
    if _controls(text) > max(1, len(text) * _MAX_CONTROL_SHARE):
        raise InputError(f"{source}: binary input (control characters), not a text article")
    return text


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

"""Model and metadata text made printable once, before any format sees it.

A model's answer and an article's metadata are strings from outside: they may hold terminal
escapes (ESC, BEL), NUL and other control characters (which python-docx refuses with a
``ValueError`` and a terminal obeys), lone surrogates (which cannot be written as UTF-8),
and bidi controls (an unbalanced U+202E in a name reverses the rest of its line). The
briefing's context is built from the cleaned copy (``context.build``), so Markdown, HTML,
PDF and DOCX all print the same text; each format then escapes its own syntax.

Written here: the rules are a character table, and no library strips exactly the
characters that no briefing format should print while keeping Arabic's joiners.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel

from ..redact import redact

# Line separators of every kind become "\n"; a lone CR would move a terminal's cursor back
# over what was printed.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 and C1 controls but tab and line feed; DEL.
_CONTROLS = "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
# Bidi embeddings, overrides and isolates, and the marks (LRM, RLM, ALM): the renderers set
# direction themselves, so in model text these only ever reorder what follows them.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# A BOM inside text, the two non-characters XML forbids, and the invisible tag letters
# (U+E0000 block) that smuggle text past a reader.
_INVISIBLE = "\ufeff\ufffe\uffff\U000e0000-\U000e007f"
_DROP = re.compile(f"[{_CONTROLS}{_BIDI}{_INVISIBLE}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_FLAT = re.compile(r"\s*[\n\t]\s*")

# Fields of several paragraphs; every other text field is one line.
PROSE = frozenset({"summary", "no_event"})


def clean_text(text: str, one_line: bool = True) -> str:
    """``text`` without control, bidi or invisible characters; one line unless ``one_line``
    is false (then only "\\n" breaks it). Tabs become spaces.

    >>> clean_text("Camara\\u202e\\x1b[31m ,\\nMinister\\x07")
    'Camara[31m , Minister'
    """
    text = redact(_SURROGATE.sub("\ufffd", text))  # a key a model or a URL repeats
    text = _DROP.sub("", _BREAKS.sub("\n", text))
    if one_line:
        return _FLAT.sub(" ", text).strip()
    return text.replace("\t", " ")


# In the article, every character keeps its place: evidence offsets point into it.
_ARTICLE = str.maketrans(
    {
        **{c: "\ufffd" for c in range(0x20) if chr(c) not in "\t\n\r\x0b\x0c"},
        **{c: "\ufffd" for c in range(0x7F, 0xA0) if c != 0x85},
        0x0B: "\n",
        0x0C: "\n",
        0xFFFE: "\ufffd",
        0xFFFF: "\ufffd",
        # Embeddings, overrides and isolates become zero-width spaces: invisible, neutral.
        **{c: "\u200b" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
    }
)


def clean_article(article: str) -> str:
    """The article with each unprintable character replaced by one printable one, so that
    every offset still points at the same text.

    >>> clean_article("a\\x00b\\u202ec")
    'a\\ufffdb\\u200bc'
    """
    # A secret in it is masked character for character, so that offsets still hold.
    return redact(_SURROGATE.sub("\ufffd", article), keep_length=True).translate(_ARTICLE)


T = TypeVar("T")


def clean(value: T, name: str = "") -> T:
    """``value`` with every string in it cleaned: a Pydantic model or a dataclass is copied,
    lists and dicts rebuilt, everything else returned as is. ``name`` is the field holding
    ``value``: the fields named in ``PROSE`` keep their line breaks."""
    cleaned: Any
    if isinstance(value, str):
        cleaned = clean_text(value, one_line=name not in PROSE)
    elif isinstance(value, BaseModel):
        fields = type(value).model_fields
        cleaned = value.model_copy(update={f: clean(getattr(value, f), f) for f in fields})
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        updates = {f.name: clean(getattr(value, f.name), f.name) for f in dataclasses.fields(value)}
        cleaned = dataclasses.replace(value, **updates)
    elif isinstance(value, list):
        cleaned = [clean(item, name) for item in value]
    elif isinstance(value, dict):
        cleaned = {key: clean(item, name) for key, item in value.items()}
    else:
        cleaned = value
    return cleaned  # type: ignore[no-any-return]


def http_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL with a host, else ``None``: only such a URL
    becomes a link; anything else (``javascript:``, ``data:``, a relative path) is shown as
    text at most.

    >>> http_url("https://www.spa.gov.sa/w123"), http_url(" JavaScript:alert(1)")
    ('https://www.spa.gov.sa/w123', None)
    """
    if not url or url != url.strip() or _DROP.search(url) or re.search(r"[\s\\]", url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return url

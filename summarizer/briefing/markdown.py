"""Text that Markdown prints as text: no HTML, link, image, heading or list of its own.

``escape`` is the Markdown environment's ``finalize`` (``render.py``), so every value a
template prints passes through it and none can be forgotten; the template's own syntax is
literal text around the values. A value is put on one line (a line break inside it could
open a heading or a list item), and each character that CommonMark or GitHub's Markdown give
a meaning is backslash-escaped, which CommonMark allows for any ASCII punctuation:
- anywhere: ``\\`` (so a value cannot escape the template's next character), `````` ` ``````,
  ``*``, ``_``, ``~`` (code and emphasis), ``[``, ``]`` (links, images, footnotes), ``<``,
  ``>`` (HTML and autolinks), ``&`` (entity references, e.g. a bidi override spelt
  ``&#x202E;``), ``|`` (tables), ``$`` (GitHub's maths);
- the ``:`` of a URL scheme and the ``.`` of ``www.``, which GFM links without brackets;
- at the start of a value (where a line may start): ``#``, ``-``, ``+``, ``=``, ``>`` and an
  ordered list's ``1.`` or ``1)``.
Other punctuation stays as written, so that a briefing read raw in a terminal stays
readable. Written here because no maintained Python library escapes text for Markdown
output (markdown-it-py and mistune parse Markdown; markdownify escapes only while converting
HTML); the rules are a few lines and ``tests/test_briefing_safety.py`` parses the result
with markdown-it-py to check them.
"""

from __future__ import annotations

import re

from markupsafe import Markup

_ANYWHERE = re.compile(r"([\\`*_~\[\]<>&|$])")
_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*):(?=\S)")
_WWW = re.compile(r"(?i)\b(www)\.")
_LINE_START = re.compile(r"^( ?)(\d{0,9})(?=[.)]|[#\-+=>])")
_FLAT = re.compile(r"\s+")


def escape(value: object) -> str:
    """``value`` as Markdown text on one line; a ``Markup`` value (a macro's output, already
    escaped piece by piece) is returned as it is.

    >>> escape("<img src=x> [x](javascript:alert(1))")
    '\\\\<img src=x\\\\> \\\\[x\\\\](javascript\\\\:alert(1))'
    >>> escape("# heading"), escape("1. item")
    ('\\\\# heading', '1\\\\. item')
    """
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    # Whitespace is kept (a separator's space matters) but one space wide: no line break,
    # no indented code, no hard break.
    text = _FLAT.sub(" ", str(value))
    text = _ANYWHERE.sub(r"\\\1", text)
    text = _SCHEME.sub(r"\1\\:", text)
    text = _WWW.sub(r"\1\\.", text)
    return _LINE_START.sub(r"\1\2\\", text, count=1)

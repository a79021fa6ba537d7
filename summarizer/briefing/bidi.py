"""Keep Latin names in place inside Arabic text, and Arabic inside English, in every format.

The Unicode bidi algorithm reorders a Latin run that sits among Arabic words with its
neighbouring punctuation and digits ("المصدر: SPA, 24/10/2023" comes out scrambled, and
WeasyPrint follows the algorithm only in part). Isolating each run of the other script
(``<bdi>`` in HTML, its own run in DOCX) keeps it where it was written. Written here because
no library splits text into script runs at this grain; the rules are a few lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markupsafe import Markup, escape

_LATIN = r"A-Za-z\u00C0-\u024F\u1E00-\u1EFF"
_ARABIC = r"\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF"
# A run starts with a letter of its script and goes on through words of that script and
# digits joined by spaces and in-name punctuation ("SPA, 24/10/2023", "Saudi Arabia - NATO
# 3"); it ends on a letter or digit, so the punctuation around it stays outside.
_JOIN = r"[ \u00A0,.:/'’&\-]+"
_RUNS = {
    "latin": re.compile(rf"[{_LATIN}][{_LATIN}0-9]*(?:{_JOIN}[{_LATIN}0-9]+)*"),
    "arabic": re.compile(rf"[{_ARABIC}][{_ARABIC}0-9]*(?:[ \u00A0،.:/\-]+[{_ARABIC}0-9]+)*"),
}
_STRONG_ARABIC = re.compile(rf"[{_ARABIC}]")
_STRONG_ANY = re.compile(rf"[{_ARABIC}{_LATIN}]")
RLM = "\u200f"
# What a run of the other script is marked as, by the language of the text around it.
_OTHER = {"ar": ("latin", "ltr", "en"), "en": ("arabic", "rtl", "ar")}


def runs(text: str, lang: str) -> Iterator[tuple[str, bool]]:
    """``text`` in pieces, each with whether it is a run of the script foreign to ``lang``.

    >>> list(runs("التقى NATO في بروكسل", "ar"))
    [('التقى ', False), ('NATO', True), (' في بروكسل', False)]
    """
    pattern = _RUNS[_OTHER[lang][0]]
    pos = 0
    for match in pattern.finditer(text):
        if match.start() > pos:
            yield text[pos : match.start()], False
        yield match.group(), True
        pos = match.end()
    if pos < len(text):
        yield text[pos:], False


def isolate(text: object, lang: str) -> Markup:
    """``text`` escaped for HTML, each run of the other script in its own ``<bdi>``.

    >>> str(isolate("المصدر: SPA, 24/10/2023", "ar"))
    'المصدر: <bdi dir="ltr" lang="en">SPA, 24/10/2023</bdi>'
    """
    if text is None:
        return Markup("")
    _, direction, other_lang = _OTHER[lang]
    out = []
    for piece, foreign in runs(str(text), lang):
        if foreign:
            out.append(
                Markup('<bdi dir="{}" lang="{}">{}</bdi>').format(direction, other_lang, piece)
            )
        else:
            out.append(escape(piece))
    return Markup("").join(out)


def is_rtl(text: str) -> bool:
    """Whether the first strong letter of ``text`` is Arabic (what ``dir="auto"`` looks at)."""
    first = _STRONG_ANY.search(text)
    return first is not None and bool(_STRONG_ARABIC.match(first.group()))


# Markdown syntax a line may open with before its text: indent, list marker or heading
# hashes, then strong emphasis. The mark goes inside the emphasis: between "- " and "**" it
# would stop "**" from opening before an escaped character ("**\<"), a rule of CommonMark's.
_LINE_OPENING = re.compile(r"^(\s*(?:[-*+]\s+|#{1,6}\s+|\d+\.\s+|>\s*)?(?:\*\*)?)(.*)$")


def mark_rtl_lines(markdown: str) -> str:
    """Start with U+200F every line of an Arabic Markdown block whose first letter is Latin.

    GitHub gives each paragraph, list item and heading ``dir="auto"``, which turns a line that
    opens with "NATO" left to right; a leading right-to-left mark keeps it right to left.
    Lines of HTML tags (``<div dir="rtl">``), table rows (a mark before "|" would end the
    table) and blank lines are left alone.
    """
    lines = []
    for line in markdown.split("\n"):
        opening, rest = _LINE_OPENING.match(line).groups()  # type: ignore[union-attr]
        if rest and not rest.startswith(("<", "---", "|")) and not is_rtl(rest):
            line = f"{opening}{RLM}{rest}"
        lines.append(line)
    return "\n".join(lines)

"""The article with every evidence span marked at its offsets, so a reader checks a claim.

Spans overlap: a model often quotes a clause and then the same clause a little longer, so
spans nest. Nested spans become nested ``<mark>`` elements, and the text of the mark with a
span's id is then exactly ``article[start:end]``. Two spans that cross (each starts inside
the other) cannot both be one element of a tree: the later one is split where the earlier
one ends, its first piece carrying the id and every piece ``data-ref``. Spans are the
distinct ``(start, end)`` pairs of the summary's evidence, numbered as the briefing cites them.

Written here: it is a small stack walk, and libraries that highlight text (e.g. in
langextract's visualisation) neither nest nor keep the offsets exact.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

Span = tuple[int, int]


def span_id(span: Span) -> str:
    """The HTML id of a span's mark, the target of every fact that cites it."""
    return f"q{span[0]}-{span[1]}"


def number_spans(spans: Iterable[Span]) -> dict[Span, int]:
    """Distinct non-empty spans numbered 1.. in the order given (the order the briefing cites
    them, so that its references read 1, 2, 3 like footnotes)."""
    numbers: dict[Span, int] = {}
    for span in spans:
        if span[1] > span[0] and span not in numbers:
            numbers[span] = len(numbers) + 1
    return numbers


@dataclass(frozen=True)
class Piece:
    """A stretch of the article with no span opening or closing inside it."""

    text: str
    depth: int  # how many spans cover it
    opens: tuple[int, ...] = ()  # numbers of the spans whose first piece starts here


# ("text", chunk, -, -), ("open", "", span, whether it is the span's first piece), ("close", ...)
Event = tuple[str, str, Span, bool]
_NONE: Span = (0, 0)


def _walk(article: str, numbers: dict[Span, int]) -> Iterable[Event]:
    """Text, mark openings and closings, in document order."""
    # Heap of pieces to open: (start, -end, number, first); a crossing span goes back in.
    todo = [(s, -e, n, True) for (s, e), n in numbers.items()]
    heapq.heapify(todo)
    by_number = {n: span for span, n in numbers.items()}
    stack: list[int] = []  # ends of the open marks, innermost last (never increasing)
    pos = 0
    while todo:
        start, neg_end, n, first = heapq.heappop(todo)
        end = -neg_end
        while stack and stack[-1] <= start:
            yield "text", article[pos : stack[-1]], _NONE, False
            pos = stack.pop()
            yield "close", "", _NONE, False
        yield "text", article[pos:start], _NONE, False
        pos = start
        if stack and end > stack[-1]:  # crosses the open mark: split at its end
            heapq.heappush(todo, (stack[-1], -end, n, False))
            end = stack[-1]
        yield "open", "", by_number[n], first
        stack.append(end)
    while stack:
        yield "text", article[pos : stack[-1]], _NONE, False
        pos = stack.pop()
        yield "close", "", _NONE, False
    yield "text", article[pos:], _NONE, False


_PARAGRAPH_BREAK = re.compile(r"\s*\n\s*")


def highlight_html(
    article: str, numbers: dict[Span, int], text: Callable[[str], Markup] = escape
) -> Markup:
    """The article as ``<p>`` paragraphs with nested ``<mark>`` elements at the spans' offsets.

    ``text`` turns article text into HTML (escaping, and isolating foreign-script runs). Line
    breaks outside every mark become paragraph breaks; inside a mark they are kept verbatim
    (the container is ``white-space: pre-wrap``) so that the mark's text stays exact.
    """
    out: list[str] = ["<p>"]
    depth = 0
    for kind, chunk, span, first in _walk(article, numbers):
        if kind == "text":
            if depth:
                out.append(text(chunk))
                continue
            parts = _PARAGRAPH_BREAK.split(chunk)
            for i, part in enumerate(parts):
                if i:
                    out.append("</p>\n<p>")
                out.append(text(part))
        elif kind == "open":
            n = numbers[span]
            ident = span_id(span)
            head = Markup(' id="{}" data-n="{}"').format(ident, n) if first else ""
            out.append(Markup('<mark{} data-ref="{}">').format(head, ident))
            depth += 1
        else:
            out.append("</mark>")
            depth -= 1
    out.append("</p>")
    html = "".join(out)
    # A break at the very start or end of the article leaves an empty paragraph: drop it.
    html = re.sub(r"<p>(?:\s|<bdi[^>]*></bdi>)*</p>\n?", "", html)
    return Markup(html)


def pieces(article: str, numbers: dict[Span, int]) -> list[Piece]:
    """The article cut where spans open and close, for formats without nesting (DOCX)."""
    out: list[Piece] = []
    depth = 0
    opening: list[int] = []
    for kind, chunk, span, first in _walk(article, numbers):
        if kind == "text":
            if chunk:
                out.append(Piece(chunk, depth, tuple(opening)))
                opening = []
        elif kind == "open":
            if first:
                opening.append(numbers[span])
            depth += 1
        else:
            depth -= 1
    return out

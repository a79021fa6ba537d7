"""DOCX briefings with python-docx: the same facts as the HTML, right to left in Arabic.

python-docx has run-level right-to-left (``Font.rtl``) and table direction, but no
paragraph-level ``w:bidi`` (python-docx issue #1411), no complex-script font or size, and no
section direction: those are added as OOXML elements here, in the schema's order, so that
Word and LibreOffice lay an Arabic paragraph out right to left with its bullet on the right.
Text is split into script runs (``bidi.runs``) so each Arabic run is marked right to left and
each Latin name inside it left to right, as ``<bdi>`` does in HTML.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from ..errors import ConfigError
from .bidi import runs
from .context import Briefing, Section
from .docx_body import ACCENT, MUTED, write_section
from .highlight import pieces

LATIN_FONT, ARABIC_FONT = "Noto Sans", "Noto Naskh Arabic"
# Children of w:pPr and w:sectPr that come after w:bidi (ECMA-376 CT_PPr, CT_SectPr order).
_PPR_AFTER_BIDI = (
    "w:adjustRightInd w:snapToGrid w:spacing w:ind w:contextualSpacing w:mirrorIndents "
    "w:suppressOverlap w:jc w:textDirection w:textAlignment w:textboxTightWrap w:outlineLvl "
    "w:divId w:cnfStyle w:rPr w:sectPr w:pPrChange"
).split()
_BREAKS = re.compile(r"\s*\n\s*")
_SECT_AFTER_BIDI = ("w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


def _modules() -> Any:
    try:
        import docx
        from docx.enum.table import WD_TABLE_DIRECTION
        from docx.enum.text import WD_BREAK, WD_COLOR_INDEX
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt, RGBColor
    except ImportError as exc:
        raise ConfigError(
            "DOCX briefings need python-docx: pip install 'summarizer[docx]'"
        ) from exc
    return docx, WD_TABLE_DIRECTION, WD_BREAK, WD_COLOR_INDEX, OxmlElement, qn, Pt, RGBColor


def briefing_to_docx(briefing: Briefing) -> bytes:
    """The briefing as a .docx file's bytes."""
    writer = DocxWriter()
    for i, sec in enumerate(briefing.sections):
        if i:
            writer.page_break()
        write_section(writer, sec, briefing)
    if briefing.refs:
        writer.page_break()
        writer.article(briefing)
    return writer.saved(rtl=briefing.sections[0].rtl)


class DocxWriter:
    def __init__(self) -> None:
        (
            docx,
            self.WD_TABLE_DIRECTION,
            self.WD_BREAK,
            self.WD_COLOR_INDEX,
            self.OxmlElement,
            self.qn,
            self.Pt,
            self.RGBColor,
        ) = _modules()
        self.doc = docx.Document()
        # python-docx's template is US Letter with 1-inch margins; briefings are printed on A4.
        mm = docx.shared.Mm
        for sect in self.doc.sections:
            sect.page_width, sect.page_height = mm(210), mm(297)
            sect.left_margin = sect.right_margin = mm(18)
            sect.top_margin = sect.bottom_margin = mm(16)
        for name, size in (("Normal", 10.5), ("Heading 1", 17), ("Heading 2", 12), ("Title", 20)):
            self._style_fonts(self.doc.styles[name], size)

    def saved(self, rtl: bool) -> bytes:
        """The document's bytes; ``rtl`` makes it a right-to-left document (Arabic first)."""
        if rtl:
            self.rtl_document()
        out = BytesIO()
        self.doc.save(out)
        return out.getvalue()

    # --- OOXML the library does not expose -------------------------------------------------

    def _style_fonts(self, style: Any, size: float) -> None:
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.get_or_add_rFonts()
        # Theme fonts (asciiTheme, cstheme...) win over named ones in Word: drop them.
        for attr in list(fonts.attrib):
            if attr.endswith(("Theme", "theme")):
                del fonts.attrib[attr]
        for slot, font in (("ascii", LATIN_FONT), ("hAnsi", LATIN_FONT), ("cs", ARABIC_FONT)):
            fonts.set(self.qn(f"w:{slot}"), font)
        style.font.size = self.Pt(size)
        self._child(rpr, "w:szCs").set(self.qn("w:val"), str(round(size * 2)))
        self._child(rpr, "w:lang").set(self.qn("w:bidi"), "ar-SA")

    def _child(self, parent: Any, tag: str) -> Any:
        found = parent.find(self.qn(tag))
        if found is None:
            found = self.OxmlElement(tag)
            parent.append(found)
        return found

    def _bidi(self, paragraph: Any) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        if ppr.find(self.qn("w:bidi")) is None:
            ppr.insert_element_before(self.OxmlElement("w:bidi"), *_PPR_AFTER_BIDI)

    def rtl_document(self) -> None:
        """Mark every section right to left (page numbers, columns, gutters)."""
        for sect in self.doc.sections:
            sect_pr = sect._sectPr
            if sect_pr.find(self.qn("w:bidi")) is None:
                sect_pr.insert_element_before(self.OxmlElement("w:bidi"), *_SECT_AFTER_BIDI)

    # --- paragraphs and runs ------------------------------------------------------------------
    def para(self, lang: str, style: str | None = None) -> Any:
        paragraph = self.doc.add_paragraph(style=style)
        if lang == "ar":
            self._bidi(paragraph)
        return paragraph

    def text(
        self,
        paragraph: Any,
        text: str,
        lang: str,
        *,
        bold: bool = False,
        color: str | None = None,
        size: float | None = None,
        highlight: bool = False,
        superscript: bool = False,
    ) -> None:
        """Append ``text`` as runs, one per script, each with its own direction."""
        for piece, foreign in runs(text, lang):
            rtl = (lang == "ar") != foreign  # Arabic text and Arabic runs in English text
            run = paragraph.add_run(piece)
            font = run.font
            font.rtl = rtl or None
            font.bold, font.cs_bold = bold or None, bold or None
            font.superscript = superscript or None
            if color:
                font.color.rgb = self.RGBColor.from_string(color)
            if size:
                font.size = self.Pt(size)
                self._child(run._r.get_or_add_rPr(), "w:szCs").set(
                    self.qn("w:val"), str(round(size * 2))
                )
            if highlight:
                font.highlight_color = self.WD_COLOR_INDEX.YELLOW

    def heading(self, text: str, lang: str, level: int) -> None:
        paragraph = self.para(lang, style=f"Heading {level}")
        self.text(paragraph, text, lang)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(self.WD_BREAK.PAGE)

    def item(self, sec: Section, parts: list[tuple[str, bool]], evidence: Any = None) -> None:
        """A bullet: (text, bold) parts, then the evidence number as in the HTML."""
        paragraph = self.para(sec.lang, style="List Bullet")
        for text, bold in parts:
            if text:
                self.text(paragraph, text, sec.lang, bold=bold)
        ref = sec.ref(evidence) if evidence is not None else None
        if ref is not None:
            self.text(paragraph, f" [{ref.n}]", sec.lang, color=ACCENT, size=8)

    # --- the briefing ---------------------------------------------------------------------------
    def facts_table(self, sec: Section, rows: list[tuple[str, str]]) -> None:
        """Label and value rows, the label in bold."""
        self.table(sec.lang, [[label, value] for label, value in rows], first="column")

    def table(self, lang: str, rows: list[list[str]], first: str = "row") -> None:
        """A table of text, right to left in Arabic; its ``first`` row or column in bold."""
        table = self.doc.add_table(rows=0, cols=len(rows[0]) if rows else 1)
        if lang == "ar":
            table.table_direction = self.WD_TABLE_DIRECTION.RTL
        for r, values in enumerate(rows):
            for c, (cell, text) in enumerate(zip(table.add_row().cells, values, strict=True)):
                bold = (r if first == "row" else c) == 0
                paragraph = cell.paragraphs[0]
                if lang == "ar":
                    self._bidi(paragraph)
                self.text(paragraph, text, lang, bold=bold, color=MUTED if bold else None)

    def article(self, b: Briefing) -> None:
        """The article, evidence highlighted and numbered like the HTML marks."""
        for sec in b.sections:
            self.heading(sec.L["article_heading"], sec.lang, 2)
            self.text(self.para(sec.lang), sec.L["article_note"], sec.lang, color=MUTED, size=9)
        lang = b.source_lang
        paragraph = self.para(lang)
        for piece in pieces(b.article, b.refs):
            if piece.depth:  # inside evidence: one stretch, its line breaks kept
                for n in piece.opens:
                    self.text(paragraph, str(n), lang, color=ACCENT, size=7, superscript=True)
                self.text(paragraph, piece.text, lang, highlight=True)
                continue
            for i, chunk in enumerate(_BREAKS.split(piece.text)):
                if i and paragraph.runs:
                    paragraph = self.para(lang)
                if chunk:
                    self.text(paragraph, chunk, lang)

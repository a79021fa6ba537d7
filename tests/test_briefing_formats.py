"""PDF and DOCX briefings: Arabic text in logical order, right-to-left paragraphs, extras."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from summarizer import render_briefing
from summarizer.cli_output import emit
from summarizer.errors import ConfigError
from summarizer.normalize import normalize

from .test_briefing import SEEDS, bilingual, seed_result

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ARABIC = "\u0600-\u06ff"


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _in_order(words: list[str], text: str) -> bool:
    """Whether ``words`` occur in ``text`` in this order."""
    pos = 0
    for word in words:
        found = text.find(word, pos)
        if found < 0:
            return False
        pos = found + len(word)
    return True


@pytest.mark.usefixtures("pdf_ready")
@pytest.mark.parametrize("stem", SEEDS)
def test_arabic_pdf_text_extracts_in_logical_order(stem: str) -> None:
    result = seed_result(stem, "meeting", "ar")
    summary = result.summary
    assert summary is not None and not isinstance(summary, dict)
    data = render_briefing(result, "pdf")
    assert data.startswith(b"%PDF")
    text = normalize(_pdf_text(data))
    from pypdf import PdfReader

    first, second = (p.extract_text() for p in PdfReader(io.BytesIO(data)).pages[:2])
    assert "نص المقال" not in first and "نص المقال" in second  # the briefing fits one page

    # The headline, word by word in reading order, then each participant's name.
    assert _in_order(normalize(summary.headline).split(), text), text[:300]
    for p in summary.participants:
        assert _in_order(normalize(p.name or p.title or "").split(), text)
    assert "المشاركون" in text and "الموضوعات التي نوقشت" in text  # Arabic labels
    # The article appendix: a quoted evidence span reads in order too.
    quote = normalize(summary.participants[0].evidence.quote).split()
    assert _in_order(quote[:6], text)


@pytest.mark.usefixtures("pdf_ready")
def test_bilingual_pdf_holds_both_languages() -> None:
    result = bilingual(SEEDS[0], "meeting")
    assert isinstance(result.summary, dict)
    text = normalize(_pdf_text(render_briefing(result, "pdf")))
    assert _in_order(normalize(result.summary["en"].headline).split(), text)
    assert _in_order(normalize(result.summary["ar"].headline).split(), text)


def test_pdf_without_harfbuzz_subset_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint imports without the library but only warns: that is reported as missing."""
    from summarizer.briefing import pdf

    before = pdf.pdf_available()
    if before is not None and "HarfBuzz-subset" not in before:
        pytest.skip(f"WeasyPrint does not load here: {before}")
    ffi = sys.modules["weasyprint.text.ffi"]
    monkeypatch.setattr(ffi, "harfbuzz_subset", None)  # as on a machine without it

    reason = pdf.pdf_available()

    assert reason is not None and "apt-get install" in reason and "libharfbuzz-subset0" in reason


def _docx(data: bytes):  # type: ignore[no-untyped-def]
    import docx

    return docx.Document(io.BytesIO(data))


def _has_bidi(paragraph) -> bool:  # type: ignore[no-untyped-def]
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.find(f"{W}bidi") is not None


@pytest.mark.parametrize(
    ("stem", "schema"), [(s, k) for s in SEEDS for k in ("meeting", "cooperation")]
)
def test_arabic_docx_paragraphs_are_right_to_left(stem: str, schema: str) -> None:
    document = _docx(render_briefing(seed_result(stem, schema, "ar"), "docx"))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    assert paragraphs
    for paragraph in paragraphs:
        assert _has_bidi(paragraph), paragraph.text
        # bidi sits before spacing/jc/rPr, as the schema orders pPr's children
        tags = [child.tag for child in paragraph._p.pPr]
        assert tags.index(f"{W}bidi") < min(
            (tags.index(t) for t in (f"{W}spacing", f"{W}jc", f"{W}rPr") if t in tags),
            default=len(tags),
        )
        for run in paragraph.runs:
            arabic = any("\u0600" <= ch <= "\u06ff" for ch in run.text)
            if arabic:
                assert run.font.rtl, run.text
    for table in document.tables:
        assert table._tbl.tblPr.find(f"{W}bidiVisual") is not None
    sect = document.sections[0]._sectPr
    assert sect.find(f"{W}bidi") is not None
    normal = document.styles["Normal"].element.rPr
    assert normal.find(f"{W}rFonts").get(f"{W}cs") == "Noto Naskh Arabic"
    assert normal.find(f"{W}lang").get(f"{W}bidi") == "ar-SA"


def test_english_docx_stays_left_to_right_with_arabic_runs_marked() -> None:
    document = _docx(render_briefing(seed_result(SEEDS[0], "meeting", "en"), "docx"))
    briefing = [p for p in document.paragraphs if p.text.strip()]
    assert not _has_bidi(briefing[0])
    arabic_runs = [r for p in briefing for r in p.runs if any(ch in r.text for ch in "خالد")]
    assert arabic_runs and all(r.font.rtl for r in arabic_runs)


def test_bilingual_docx_has_an_rtl_and_an_ltr_section() -> None:
    result = bilingual(SEEDS[1], "meeting")
    assert isinstance(result.summary, dict)
    document = _docx(render_briefing(result, "docx"))
    by_text = {p.text: _has_bidi(p) for p in document.paragraphs}
    assert by_text[result.summary["en"].headline] is False
    assert by_text[result.summary["ar"].headline] is True


@pytest.mark.parametrize(
    ("fmt", "module", "hint"),
    [("pdf", "weasyprint", "summarizer[pdf]"), ("docx", "docx", "summarizer[docx]")],
)
def test_a_missing_extra_names_what_to_install(
    fmt: str, module: str, hint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    with pytest.raises(
        ConfigError, match=rf"pip install '{hint.replace('[', '.').replace(']', '.')}'"
    ):
        render_briefing(seed_result(SEEDS[0], "meeting", "en"), fmt)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_binary_briefings_go_to_a_file(tmp_path: Path) -> None:
    emit(b"%PDF-1.7", tmp_path / "out" / "b.pdf")
    assert (tmp_path / "out" / "b.pdf").read_bytes() == b"%PDF-1.7"
    emit("# md", tmp_path / "b.md")
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == "# md"


def _cli(args: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    from summarizer.cli import main

    monkeypatch.setattr(sys, "argv", ["summarizer", *args])
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_cli_writes_a_docx_briefing_to_a_file_and_refuses_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from .crafted import ARTICLE_000, good_meeting
    from .loopback import serve

    article = tmp_path / "article.txt"
    article.write_text(ARTICLE_000, encoding="utf-8")
    target = tmp_path / "brief.docx"
    with serve([good_meeting()]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "test")
        assert (
            _cli(["summarize", str(article), "--format", "docx", "-o", str(target)], monkeypatch)
            == 0
        )
        assert target.read_bytes().startswith(b"PK")  # a zip, as every .docx is
        monkeypatch.setattr(sys, "stdout", _Terminal())
        code = _cli(["summarize", str(article), "--format", "docx", "--no-cache"], monkeypatch)
    assert code == 2
    assert "-o FILE" in capsys.readouterr().err
    assert len(server.requests) == 1  # refused before the model was asked (and paid)

"""`summarizer demo` writes every briefing format, says in one line what PDF is missing, and
says its answers are recorded and hand-written."""

from __future__ import annotations

import io
from pathlib import Path
from typing import NoReturn

import pytest

from summarizer.briefing import pdf
from summarizer.briefing.labels import LABELS
from summarizer.demo import run_demo
from summarizer.errors import ConfigError

from .test_briefing import SEEDS


def _no_pango() -> NoReturn:
    raise ConfigError(f"PDF briefings need Pango and fonts: {pdf.APT_HINT} (libpango missing)")


@pytest.fixture(scope="module")
def demo_without_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The demo's output folder and printed lines, on a machine without Pango."""
    out = tmp_path_factory.mktemp("demo")
    lines: list[str] = []
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(pdf, "_weasyprint", _no_pango)
        run_demo(out, echo=lines.append)
    return out, lines


def test_demo_without_pdf_libraries_writes_the_rest_and_says_what_to_install(
    demo_without_pdf: tuple[Path, list[str]],
) -> None:
    out, lines = demo_without_pdf

    for stem in SEEDS:
        for schema in ("meeting", "cooperation"):
            for lang in ("en", "ar", "both"):
                for fmt in ("json", "md", "html", "docx"):
                    assert (out / f"{stem}.{schema}.{lang}.{fmt}").is_file()
    for lang in ("en", "ar"):
        for fmt in ("md", "html", "docx"):
            assert (out / "events-demo" / f"digest.{lang}.{fmt}").is_file()
        assert f"  digest ({lang}): 7 events, 0 paragraph(s) missing" in lines
    assert not list(out.glob("**/*.pdf"))
    skipped = [line for line in lines if line.startswith("Skipped")]
    assert len(skipped) == 1 and "apt-get install" in skipped[0]


def _text(path: Path) -> str:
    if path.suffix != ".docx":
        return path.read_text(encoding="utf-8")
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(path.read_bytes())).paragraphs)


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_demo_briefings_say_their_answers_are_hand_written_not_a_models(
    demo_without_pdf: tuple[Path, list[str]], fmt: str
) -> None:
    out, _ = demo_without_pdf
    briefings = sorted(out.glob(f"*.{fmt}"))
    assert len(briefings) == 12
    for path in briefings:
        text = _text(path)
        langs = ("en", "ar") if ".both." in path.name else (path.name.split(".")[2],)
        for lang in langs:
            assert LABELS[lang]["replayed"] in text, path.name
            assert LABELS[lang]["generated"] not in text, path.name
        assert "gpt-4o-mini" not in text, path.name

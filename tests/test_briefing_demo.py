"""`summarizer demo` writes every briefing format, and says in one line what PDF is missing."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import pytest

from summarizer.briefing import pdf
from summarizer.demo import run_demo
from summarizer.errors import ConfigError

from .test_briefing import SEEDS


def _no_pango() -> NoReturn:
    raise ConfigError(f"PDF briefings need Pango and fonts: {pdf.APT_HINT} (libpango missing)")


def test_demo_without_pdf_libraries_writes_the_rest_and_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "_weasyprint", _no_pango)
    lines: list[str] = []

    run_demo(tmp_path, echo=lines.append)

    for stem in SEEDS:
        for schema in ("meeting", "cooperation"):
            for lang in ("en", "ar", "both"):
                for fmt in ("json", "md", "html", "docx"):
                    assert (tmp_path / f"{stem}.{schema}.{lang}.{fmt}").is_file()
    assert not list(tmp_path.glob("*.pdf"))
    skipped = [line for line in lines if line.startswith("Skipped")]
    assert len(skipped) == 1 and "apt-get install" in skipped[0]

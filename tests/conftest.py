"""Tests never touch the network, the user's cache or the user's environment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .vcr_setup import VCR_CONFIG, register

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

_ENV = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "SUMMARIZER_MODEL",
    "AZURE_OPENAI_ENDPOINT",
    "AZURE_OPENAI_API_KEY",
    "OPENAI_API_VERSION",
)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    # Settings built directly (not resolved) use the platform's cache directory: keep it here.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def pdf_ready() -> None:
    """Skip a PDF test where this machine cannot make PDFs, saying what to apt-get install.

    WeasyPrint's system libraries (Pango, HarfBuzz-subset) and the Arabic font come from
    Debian, not from the lock: a machine without them skips, one with them runs every check.
    WeasyPrint itself is in the lock, so its absence fails instead of skipping.
    """
    from summarizer.briefing.pdf import arabic_font_missing, pdf_available

    reason = pdf_available()
    if reason is not None and "apt-get" in reason:
        pytest.skip(reason)
    assert reason is None, reason
    font = arabic_font_missing()
    if font is not None:
        pytest.skip(font)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return dict(VCR_CONFIG)


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(FIXTURES / "cassettes")


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    register(vcr)

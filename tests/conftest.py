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


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return dict(VCR_CONFIG)


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(FIXTURES / "cassettes")


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    register(vcr)

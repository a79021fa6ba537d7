"""Where the files that ship beside the code live: in a wheel, or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# A wheel carries them under summarizer/_data (pyproject's force-include);
# a checkout or an editable install has them at the top of the repository.
_ROOTS = {
    "prompts": (_PACKAGE / "_data" / "prompts", _PACKAGE.parent / "prompts"),
    "schemas": (_PACKAGE / "_data" / "schemas", _PACKAGE.parent / "schemas"),
    "demo_articles": (
        _PACKAGE / "_data" / "demo" / "articles",
        _PACKAGE.parent / "fixtures" / "articles",
    ),
    "demo_cassettes": (
        _PACKAGE / "_data" / "demo" / "cassettes",
        _PACKAGE.parent / "fixtures" / "cassettes" / "demo",
    ),
    "events_gold": (
        _PACKAGE / "_data" / "demo" / "events",
        _PACKAGE.parent / "fixtures" / "events",
    ),
    "events_cassettes": (
        _PACKAGE / "_data" / "demo" / "events_cassettes",
        _PACKAGE.parent / "fixtures" / "cassettes" / "events",
    ),
    "digest_cassettes": (
        _PACKAGE / "_data" / "demo" / "digest_cassettes",
        _PACKAGE.parent / "fixtures" / "cassettes" / "digest",
    ),
}


def data_dir(name: str) -> Path:
    """The first existing directory for ``name``; FileNotFoundError when neither exists."""
    for candidate in _ROOTS[name]:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"{name} directory not found (looked in {_ROOTS[name]})")


def default_gold_dirs() -> list[Path]:
    """The gold set of a source checkout: the seeds' annotations and the written ones."""
    root = _PACKAGE.parent / "fixtures"
    return [d for d in (root / "gold", root / "goldset") if d.is_dir()]


def default_cassette_dirs() -> list[Path]:
    root = _PACKAGE.parent / "fixtures" / "cassettes"
    return [d for d in (root / "demo", root / "goldset") if d.is_dir()]


def default_events_gold() -> tuple[Path, Path]:
    """The event gold set and its recorded answers (they ship with the demo)."""
    return data_dir("events_gold"), data_dir("events_cassettes")

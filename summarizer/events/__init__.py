"""Events across articles: reports of one meeting, from many outlets and in both languages,
grouped into one event with merged, sourced facts and the conflicts between reports.

    from summarizer.events import load_events, update

    update(Path("events"), [Path("run-monday"), Path("run-tuesday")])  # reads, groups, writes
    for event in load_events(Path("events")):
        print(event["id"], event["date"], [r["outlet"] for r in event["reports"]])
    digest = build_digest(Path("events"), "both", since=date(2025, 2, 1))  # summarizer.digest
    Path("digest.html").write_text(render_digest(digest, "html"), encoding="utf-8")
"""

from typing import TYPE_CHECKING, Any

from .reports import Report, read_run, report_from
from .resolve import compatible, group
from .store import Update, load_events, load_reports, resolve, update

if TYPE_CHECKING:
    from ..digest import Digest, build_digest, render_digest

_DIGEST = ("Digest", "build_digest", "render_digest")

__all__ = [
    "Digest",
    "Report",
    "Update",
    "compatible",
    "group",
    "build_digest",
    "load_events",
    "load_reports",
    "read_run",
    "render_digest",
    "report_from",
    "resolve",
    "update",
]


def __getattr__(name: str) -> Any:
    """The digest's API, loaded on first use: ``summarizer.digest`` imports this package."""
    if name in _DIGEST:
        from .. import digest

        return getattr(digest, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

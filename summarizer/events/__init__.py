"""Events across articles: reports of one meeting, from many outlets and in both languages,
grouped into one event with merged, sourced facts and the conflicts between reports.

    from summarizer.events import load_events, update

    update(Path("events"), [Path("run-monday"), Path("run-tuesday")])  # reads, groups, writes
    for event in load_events(Path("events")):
        print(event["id"], event["date"], [r["outlet"] for r in event["reports"]])
"""

from .reports import Report, read_run, report_from
from .resolve import compatible, group
from .store import Update, load_events, load_reports, resolve, update

__all__ = [
    "Report",
    "Update",
    "compatible",
    "group",
    "load_events",
    "load_reports",
    "read_run",
    "report_from",
    "resolve",
    "update",
]

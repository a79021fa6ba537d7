"""summarizer: checked, source-grounded summaries of news on diplomatic and defence meetings.

>>> from summarizer import Summarizer, render_briefing
>>> s = Summarizer(model="gpt-4o-mini")                     # doctest: +SKIP
>>> result = s.summarize(article_text, schema="meeting", lang="en")  # doctest: +SKIP
>>> print(render_briefing(result, format="md"))             # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    BatchError,
    BatchIncomplete,
    BudgetExceeded,
    ConfigError,
    InputError,
    InvalidAnswer,
    ModelError,
    ModelUnreachable,
    ProviderBatchFailed,
    RequestRejected,
    SummarizerError,
    UnexpectedResponse,
)

if TYPE_CHECKING:
    from .api import Summarizer
    from .briefing import render_briefing
    from .result import Result
    from .schemas import CooperationSummary, MeetingSummary

# Imported on first use: the command line starts inside this package, and a Ctrl-C during
# these slow imports must reach its handler (``entry.py``), not print a traceback.
_LAZY = {
    "Summarizer": ".api",
    "render_briefing": ".briefing",
    "Result": ".result",
    "CooperationSummary": ".schemas",
    "MeetingSummary": ".schemas",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "BatchError",
    "BatchIncomplete",
    "BudgetExceeded",
    "ConfigError",
    "CooperationSummary",
    "InputError",
    "InvalidAnswer",
    "MeetingSummary",
    "ModelError",
    "ModelUnreachable",
    "ProviderBatchFailed",
    "RequestRejected",
    "Result",
    "Summarizer",
    "SummarizerError",
    "UnexpectedResponse",
    "__version__",
    "render_briefing",
]

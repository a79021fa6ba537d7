"""summarizer: checked, source-grounded summaries of news on diplomatic and defence meetings.

>>> from summarizer import Summarizer, render_briefing
>>> s = Summarizer(model="gpt-4o-mini")                     # doctest: +SKIP
>>> result = s.summarize(article_text, schema="meeting", lang="en")  # doctest: +SKIP
>>> print(render_briefing(result, format="md"))             # doctest: +SKIP
"""

from __future__ import annotations

from .api import Summarizer
from .briefing import render_briefing
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
)
from .result import Result
from .schemas import CooperationSummary, MeetingSummary

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
    "__version__",
    "render_briefing",
]

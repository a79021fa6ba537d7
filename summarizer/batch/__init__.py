"""Batch jobs: many articles into one output directory, resumable at any moment.

    inputs ─► engine ─► processor (API call, briefings, line) ─► state + results.jsonl
              │  └─ or pool: worker processes summarise, this one commits
              └─ limiter (rpm, tpm, 429 pauses everyone), progress, pricing
    provider, provider_job: the same through OpenAI's Batch API

``summarizer batch`` (``command.py``) is a thin shell over ``run_batch``:

>>> from summarizer.batch import Job, run_batch                      # doctest: +SKIP
>>> stats = run_batch(["articles/"], Job(out=Path("out")), Settings.resolve())  # doctest: +SKIP
"""

from __future__ import annotations

from .job import Job
from .progress import Stats
from .runner import run_batch

__all__ = ["Job", "Stats", "run_batch"]

"""What a batch run does, apart from the model settings (``config.Settings``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# Below this many articles in flight per process, one event loop keeps up with the server.
ARTICLES_PER_PROCESS = 16


@dataclass(frozen=True)
class Job:
    out: Path
    schema: str = "meeting"
    lang: str = "en"
    formats: tuple[str, ...] = ()  # briefing formats; JSON is results.jsonl itself
    concurrency: int = 8
    retry_failed: bool = False
    timeout_per_article: float | None = None
    max_cost: float | None = None
    max_tokens: int | None = None
    rpm: int | None = None
    tpm: int | None = None
    workers: int = 1  # processes summarising; 1 runs in the calling process


def auto_workers(concurrency: int) -> int:
    """Processes worth starting: validation is CPU work and one process has one core."""
    return max(1, min(os.cpu_count() or 1, concurrency // ARTICLES_PER_PROCESS, 8))

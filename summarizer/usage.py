"""Token accounting summed over every request sent for one article."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def add(self, reported: Any) -> None:
        """Add a server's `usage` object (absent fields count as zero)."""
        if reported is None:
            return
        prompt = int(getattr(reported, "prompt_tokens", 0) or 0)
        completion = int(getattr(reported, "completion_tokens", 0) or 0)
        self.prompt_tokens += prompt
        self.completion_tokens += completion
        self.total_tokens += int(getattr(reported, "total_tokens", 0) or prompt + completion)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

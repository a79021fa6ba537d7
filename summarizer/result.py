"""What a summary call returns: the checked summary (or none) and how it was made."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .errors import SummarizerError
from .redact import redact_data
from .schemas import CooperationSummary, MeetingSummary

Summary = MeetingSummary | CooperationSummary


@dataclass(frozen=True)
class ArticleMeta:
    """The article's own metadata, as given or found, and what the library saw of it."""

    chars: int
    sha256: str
    source_language: str
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    input_format: str = "text"


@dataclass
class Meta:
    model: str
    schema: str
    lang: str
    mode: str
    prompt_version: str
    article: ArticleMeta
    attempts: int = 0
    reasks: int = 0
    usage: dict[str, int] = field(
        default_factory=lambda: {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    )
    cached: bool = False
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=lambda: {"total": 0.0, "model": 0.0})
    no_event: str | None = None
    parts: int = 1  # a long article is summarised in parts, then merged
    calls: int = 0  # model calls made (answers asked for), re-asks included
    rejected: list[list[str]] = field(default_factory=list)  # reasons, per re-asked answer
    # Temperature and seed of each call, in order: a re-ask may move them (llm.request.moved).
    sampling: list[dict[str, float | int | None]] = field(default_factory=list)
    # False for a partial result: ``dropped`` then names each item left out, and why.
    complete: bool = True
    dropped: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Result:
    """A checked summary, or ``summary=None`` with ``meta.no_event``, or (in batches) ``error``.

    ``summary`` is a ``MeetingSummary``/``CooperationSummary``; for ``lang="both"`` a dict
    ``{"en": ..., "ar": ...}``.
    """

    summary: Summary | dict[str, Summary] | None
    meta: Meta | None
    article: str
    error: SummarizerError | None = None
    id: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def status(self) -> str:
        """``ok``, ``partial`` (items left out, ``meta.dropped``), ``no_event`` or ``error``:
        what a batch line says."""
        if self.error is not None:
            return "error"
        if self.summary is None:
            return "no_event"
        return "ok" if self.meta is None or self.meta.complete else "partial"

    def one_line(self) -> str:
        """The headline, or why there is none, for progress lines and logs."""
        if self.error is not None:
            return f"error: {self.error}"
        if self.summary is None:
            return f"no event: {self.meta.no_event if self.meta else ''}"
        first = (
            next(iter(self.summary.values())) if isinstance(self.summary, dict) else self.summary
        )
        return first.headline

    def summary_dict(self) -> dict[str, Any] | None:
        if self.summary is None:
            return None
        if isinstance(self.summary, dict):
            return {lang: s.model_dump(mode="json") for lang, s in self.summary.items()}
        return self.summary.model_dump(mode="json")

    def to_dict(self, include_article: bool = False) -> dict[str, Any]:
        """``{"summary", "meta"}`` as ``summarize --format json`` prints it."""
        out: dict[str, Any] = {
            "summary": self.summary_dict(),
            "meta": self.meta.as_dict() if self.meta else None,
        }
        if self.error is not None:
            out["error"] = str(self.error)
        if include_article:
            out["article"] = self.article
        return redact_data(out)  # what leaves the library holds no key a model repeated

"""Every way a summary can fail, under one root a caller can catch.

    SummarizerError
    ├── InputError              the article cannot be read (empty, binary, undecodable, too long)
    ├── ConfigError             a setting is missing or wrong (no model, bad published date)
    └── ModelError              the model server did not give a checked answer
        ├── ModelUnreachable    transport retries spent (connection, timeouts, 429, 5xx)
        ├── RequestRejected     the server refused the request itself (4xx, or a 500 saying so)
        ├── InvalidAnswer       the answer still fails validation after the re-asks
        └── BudgetExceeded      the token budget for this article ran out before a valid answer

The CLI maps each class to one stderr line and an exit code in one place (`cli.py`).
"""

from __future__ import annotations

from typing import Any

from .usage import Usage


class SummarizerError(Exception):
    """Root of every error this package raises on purpose.

    ``meta`` is the ``result.Meta`` of the failed call when it got as far as the model.
    """

    meta: Any = None


class InputError(SummarizerError):
    """The article cannot be summarised as given."""


class ConfigError(SummarizerError):
    """A setting is missing or has a value that cannot be used."""


class ModelError(SummarizerError):
    """The model server did not produce a checked answer.

    Carries what was spent, so that a batch can account for failed articles too.
    """

    def __init__(self, message: str, *, attempts: int = 0, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.usage = usage or Usage()


class ModelUnreachable(ModelError):
    """Transport retries were spent without an answer."""


class RequestRejected(ModelError):
    """The server refused the request as such; sending it again would not help."""


class InvalidAnswer(ModelError):
    """The answer still failed validation when the re-asks were spent.

    ``reasons`` lists every failing item of the last answer; ``last_answer`` is that answer
    as the model gave it (unchecked: never hand it on as a summary).
    """

    def __init__(
        self,
        message: str,
        *,
        reasons: list[str],
        last_answer: Any = None,
        attempts: int = 0,
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message, attempts=attempts, usage=usage)
        self.reasons = reasons
        self.last_answer = last_answer


class BudgetExceeded(InvalidAnswer):
    """The article's token budget ran out before an answer passed validation."""

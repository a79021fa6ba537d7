"""Every way a summary or a batch can fail, under one root a caller can catch.

    SummarizerError
    ├── InputError              the article cannot be read (empty, binary, undecodable, too long)
    ├── ConfigError             a setting is missing or wrong (no model, bad URL, bad date)
    ├── ModelError              the model server did not give a checked answer
    │   ├── ModelUnreachable    no answer in time (connection, deadlines, 429, 5xx)
    │   ├── RequestRejected     the server refused the request itself (4xx, or a 500 saying so)
    │   ├── UnexpectedResponse  the server answered, but not with a chat completion (a web page)
    │   ├── InvalidAnswer       the answer still fails validation after the re-asks
    │   │   └── AnswerCutOff    the server stopped the answer at the output token limit
    │   └── BudgetExceeded      the token budget for this article ran out before a valid answer
    └── BatchError              a batch run did not end every input
        ├── BatchIncomplete     some inputs failed or never started (results.jsonl says which)
        └── ProviderBatchFailed the provider refused or could not run a whole batch

Every ``ModelError`` carries what a caller needs to act: ``reasons`` (one line per failing
item, empty when the failure was not about the answer), ``last_answer`` (the model's last
answer as it wrote it, unchecked: never hand it on as a summary), ``attempts`` and ``usage``.
The CLI maps each class to one stderr line and an exit code in one place (``cli.py``).
"""

from __future__ import annotations

from typing import Any

from .redact import redact
from .usage import Usage


class SummarizerError(Exception):
    """Root of every error this package raises on purpose.

    ``meta`` is the ``result.Meta`` of the failed call when it got as far as the model.
    Its message never holds a secret: text a server sent back is redacted here, once for all.
    """

    meta: Any = None

    def __init__(self, *args: Any) -> None:
        super().__init__(*(redact(a) if isinstance(a, str) else a for a in args))


class InputError(SummarizerError):
    """The article cannot be summarised as given."""


class ConfigError(SummarizerError):
    """A setting is missing or has a value that cannot be used."""


class ModelError(SummarizerError):
    """The model server did not produce a checked answer.

    Carries what was spent, so that a batch can account for failed articles too.
    """

    def __init__(
        self,
        message: str,
        *,
        reasons: list[str] | None = None,
        last_answer: Any = None,
        attempts: int = 0,
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message)
        self.reasons = list(reasons or [])
        self.last_answer = last_answer
        self.attempts = attempts
        self.usage = usage or Usage()


class ModelUnreachable(ModelError):
    """Transport retries were spent, or a deadline passed, without an answer."""


class RequestRejected(ModelError):
    """The server refused the request as such; sending it again would not help."""


class UnexpectedResponse(ModelError):
    """The server answered with something that is not a chat completion.

    A web page, a JSON array, a completion without choices or with a null message: the base
    URL points at the wrong thing, or a proxy or server is broken. Not the model's fault, so
    never re-asked; the message says what came back.
    """


class InvalidAnswer(ModelError):
    """The answer still failed validation when the re-asks were spent.

    ``reasons`` lists every failing item of the last answer; ``last_answer`` is that answer.
    """


class AnswerCutOff(InvalidAnswer):
    """The server stopped the answer at the output token limit (``finish_reason=length``):
    asked again the same way, it would stop again. ``last_answer`` is the text as far as it
    went; a partial result keeps its complete part (``partial.salvage``)."""


class BudgetExceeded(ModelError):
    """The article's token budget ran out before an answer passed validation."""


class BatchError(SummarizerError):
    """A batch run that did not end every input as asked."""


class BatchIncomplete(BatchError):
    """Some inputs failed, or a budget or a fault stopped the run; results.jsonl says which."""


class ProviderBatchFailed(BatchError):
    """The provider refused the whole batch (its input file failed validation)."""

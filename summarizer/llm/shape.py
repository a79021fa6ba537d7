"""Is this a chat completion at all? Checked before an answer is parsed and validated.

A server may answer 200 with something else: a web page (a base URL without ``/v1``, a
captive portal, a proxy's login page), a JSON array, a completion with no choices or with a
null message. None of that is the model's answer, so it is not re-asked as an invalid one: it
fails at once with ``UnexpectedResponse`` saying what came back.
"""

from __future__ import annotations

from typing import Any

from ..errors import UnexpectedResponse

_HINT = "is the base URL right (…/v1)?"


def check_completion(response: Any) -> None:
    """Raise ``UnexpectedResponse`` unless ``response`` is a completion with a message.

    >>> check_completion("<!doctype html><html>…</html>")
    Traceback (most recent call last):
    ...
    summarizer.errors.UnexpectedResponse: the server answered with an HTML page, not a chat completion: is the base URL right (…/v1)?
    """  # noqa: E501
    problem = problem_of(response)
    if problem is not None:
        raise UnexpectedResponse(f"the server answered with {problem}")


def problem_of(response: Any) -> str | None:
    """What ``response`` is instead of a chat completion ("an HTML page, …"), or None."""
    if isinstance(response, str | bytes):
        text = response.decode("utf-8", "replace") if isinstance(response, bytes) else response
        head = text.lstrip()[:200].lower()
        if head.startswith("<") and ("<html" in head or "<!doctype" in head or "<head" in head):
            return f"an HTML page, not a chat completion: {_HINT}"
        return f"text, not a chat completion ({_preview(text)}): {_HINT}"
    if isinstance(response, list):
        return f"a JSON array, not a chat completion: {_HINT}"
    if isinstance(response, dict | int | float | bool) or response is None:
        return f"JSON that is not a chat completion ({type(response).__name__}): {_HINT}"
    choices = getattr(response, "choices", None)
    if not isinstance(choices, list):
        return f"a {type(response).__name__} without choices, not a chat completion: {_HINT}"
    if not choices:
        return "a chat completion with no choices (a server or proxy fault, not the model's)"
    if getattr(choices[0], "message", None) is None:
        return "a chat completion whose message is null (a server or proxy fault, not the model's)"
    return None


def _preview(text: str) -> str:
    line = " ".join(text.split())
    return repr(line[:60] + ("…" if len(line) > 60 else ""))

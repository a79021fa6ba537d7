"""Secrets out of everything the library shows or keeps: one step, used everywhere text leaves.

A server may echo the key it was sent ("Incorrect API key provided: Bearer sk-…"; OpenAI's own
401 does so masked, proxies and gateways often whole), and that text flows into error lines,
``results.jsonl``, the state database, the cache and briefings. ``redact`` removes:

- every secret this process was configured with (``remember`` is called when a client is
  made), wherever it appears;
- anything shaped like a credential: an ``Authorization`` value (``Bearer …``, ``Basic …``), an
  OpenAI-style key (``sk-…``, masked or not), an ``api-key``/``api_key`` value.

The known secrets are process-wide on purpose: error text is built deep in the transport and
results lines are written far from the client, and a key threaded by hand through each of
those paths is the one that gets missed.

>>> remember("my-local-secret-123")
>>> redact("401: Incorrect API key provided: my-local-secret-123")
'401: Incorrect API key provided: [redacted]'
>>> redact("Authorization: Bearer abcdefgh12345678")
'Authorization: Bearer [redacted]'
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any, TypeVar

MASK = "[redacted]"
# Shorter values are not secrets worth the risk of masking ordinary words ("x", "none").
MIN_SECRET_LENGTH = 8

_TOKEN = r"[A-Za-z0-9._~+/=*-]"
# After "Bearer", "Basic", "api_key:" and the like, a credential: it holds a digit, "=" or a
# mask "*", or is long. Error reasons quote articles, and "basic agreement" or "token
# gesture" are words, not secrets.
_CREDENTIAL = rf"(?:(?={_TOKEN}*[0-9=*]){_TOKEN}{{8,}}|{_TOKEN}{{24,}})"
_SHAPES = re.compile(
    rf"(?P<scheme>\b(?:bearer|basic|token)\s+){_CREDENTIAL}"
    r"|\bsk-[A-Za-z0-9_*.-]{8,}"
    r"|(?P<userinfo>://[^/\s:@]+:)[^/\s@]+(?=@)"
    r"|(?P<field>\b(?:api[-_]?key|x-api-key|access[-_]?token|secret)\b[\"']?\s*[:=]\s*[\"']?)"
    rf"{_CREDENTIAL}",
    re.IGNORECASE,
)
_known: set[str] = set()
_lock = threading.Lock()
T = TypeVar("T")


def remember(secret: str | None) -> None:
    """Redact ``secret`` from everything this process shows or writes from now on."""
    if secret and len(secret) >= MIN_SECRET_LENGTH:
        with _lock:
            _known.add(secret)


def redact(text: str, keep_length: bool = False) -> str:
    """``text`` without any known secret or credential-shaped value.

    ``keep_length`` masks each character with ``*`` instead, for text whose offsets others
    point into (the article a briefing highlights).

    >>> redact("see https://user:pa55word@proxy/v1", keep_length=True)
    'see https://user:********@proxy/v1'
    """
    for secret in sorted(_known, key=len, reverse=True):  # a longer key before its prefix
        # As sent, and as a JSON body writes it back (a key holding a quote or backslash).
        for form in dict.fromkeys((secret, json.dumps(secret)[1:-1])):
            if form in text:
                text = text.replace(form, "*" * len(form) if keep_length else MASK)
    if keep_length:
        return _SHAPES.sub(lambda m: _kept(m) + "*" * (m.end() - m.start() - len(_kept(m))), text)
    return _SHAPES.sub(_mask_match, text)


def redact_data(value: T) -> T:
    """``redact`` applied to every string inside dicts, lists and tuples."""
    result: Any
    if isinstance(value, str):
        result = redact(value)
    elif isinstance(value, dict):
        result = {key: redact_data(item) for key, item in value.items()}
    elif isinstance(value, list | tuple):
        result = type(value)(redact_data(item) for item in value)
    else:
        result = value
    return result  # type: ignore[no-any-return]


def _kept(match: re.Match[str]) -> str:
    """The part of a match that is no secret: 'Bearer ', 'api_key: ', '://user:'."""
    return match.group("scheme") or match.group("field") or match.group("userinfo") or ""


def _mask_match(match: re.Match[str]) -> str:
    keep = _kept(match)
    return keep + MASK

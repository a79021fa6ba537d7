"""Secrets never leave the library: known keys and credential-shaped values are masked."""

from __future__ import annotations

import doctest
import json

import pytest

from summarizer import redact as redact_module
from summarizer.errors import ModelUnreachable, SummarizerError
from summarizer.redact import MASK, redact, redact_data, remember

KEY = "gw-0123456789abcdefXYZ"


@pytest.fixture(autouse=True)
def _known_key() -> None:
    remember(KEY)


@pytest.mark.parametrize(
    ("text", "leak"),
    [
        (f"Incorrect API key provided: {KEY}.", KEY),
        ("Incorrect API key provided: Bearer sk-proj-abcdefghijklmnop1234", "abcdefghijklmnop"),
        ("Incorrect API key provided: sk-proj-********************wxyz.", "wxyz"),
        ('{"error": "bad key", "api_key": "ZZZZ-1111-2222-3333"}', "ZZZZ-1111"),
        ("authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpw"),
        ("x-api-key=abcdefgh12345678", "abcdefgh1234"),
    ],
)
def test_secrets_are_masked(text: str, leak: str) -> None:
    cleaned = redact(text)
    assert leak not in cleaned
    assert MASK in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "The minister met his counterpart on 5 March 2024.",
        "التقى وزير الدفاع نظيره في الرياض",
        "Bearer of the message",  # a word after 'bearer' that is no token
        "a short key: abc",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


def test_short_values_are_not_remembered() -> None:
    remember("none")
    assert redact("none of them") == "none of them"


def test_structures_are_redacted_throughout() -> None:
    data = {"error": [f"echo {KEY}", ("tuple", KEY)], "n": 3}
    assert redact_data(data) == {"error": [f"echo {MASK}", ("tuple", MASK)], "n": 3}


def test_every_error_message_is_redacted_at_construction() -> None:
    error = ModelUnreachable(f"HTTP 401: Incorrect API key provided: {KEY}")
    assert KEY not in str(error) and KEY not in repr(error)
    assert KEY not in str(SummarizerError("x", f"y {KEY}").args)


def test_docstring_examples_run() -> None:
    failed, attempted = doctest.testmod(redact_module)
    assert attempted and not failed


def test_a_key_is_masked_as_a_json_body_writes_it_back() -> None:
    quoted = 'gw-"quoted\\key-123'
    remember(quoted)
    body = json.dumps({"error": f"bad key {quoted}"})
    assert "quoted" not in redact(body)


def test_a_password_in_a_url_is_masked() -> None:
    assert (
        redact("https://ann:hunter22@proxy.example/v1") == "https://ann:[redacted]@proxy.example/v1"
    )

"""The request builder: what a batch file holds is what the live path sends, to the byte."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import summarizer
from summarizer import Summarizer
from summarizer.answer import ANSWERS
from summarizer.config import Settings
from summarizer.llm.request import body_key, first_body
from summarizer.pipeline import part_requests
from summarizer.prepare import prepare

from .crafted import ARTICLE_000, good_meeting
from .stub import StubServer


def _batch_body(settings: Settings) -> dict[str, Any]:
    article = prepare(ARTICLE_000, settings, published="2023-10-24", outlet="SPA")
    (request,) = part_requests(settings, article, "meeting", "en")
    return first_body(settings, ANSWERS["meeting"], request.messages)


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json", "md_json"])
@pytest.mark.parametrize(
    "sampling",
    [
        pytest.param({}, id="server-defaults"),
        pytest.param({"max_output_tokens": 1234, "seed": 7, "temperature": 0.3}, id="all-set"),
    ],
)
def test_the_batch_body_is_the_live_body(mode: str, sampling: dict[str, Any]) -> None:
    settings = Settings(model="m", api_key="k", mode=mode, use_cache=False, **sampling)  # type: ignore[arg-type]
    server = StubServer([good_meeting()])
    Summarizer(settings=settings, http_client=server.client()).summarize(
        ARTICLE_000, published="2023-10-24", outlet="SPA"
    )
    (live,) = server.requests
    assert _batch_body(settings) == live
    if "max_output_tokens" in sampling:
        assert live["max_tokens"] == 1234
    else:  # sized to the answer, so that a server never generates without a bound
        assert live["max_tokens"] == ANSWERS["meeting"].OUTPUT_TOKENS


def test_the_body_key_changes_with_the_body() -> None:
    plain = _batch_body(Settings(model="m", api_key="k"))
    capped = _batch_body(Settings(model="m", api_key="k", max_output_tokens=100))
    assert body_key(plain) == body_key(dict(plain)) and body_key(plain) != body_key(capped)


def test_no_module_uses_instructors_private_request_builder() -> None:
    """Bodies are built through ``instructor.patch`` only, so an instructor release that moves
    its internals cannot make batch bodies drift from live ones."""
    package = Path(summarizer.__file__).parent
    private = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "instructor.processing" in path.read_text("utf-8")
        or "handle_response_model" in path.read_text("utf-8")
    ]
    assert private == []

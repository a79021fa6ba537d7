"""Replays of real exchanges with SmolLM2-135M on llama-cpp-python's server (make e2e).

What a tiny local model does to the wire path: its answers are parsed (leniently), checked,
re-asked, and end in a typed error; the server's refusal of json_schema is not retried.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import InvalidAnswer, RequestRejected, Summarizer

from .e2e import CASES, CASSETTES, e2e_settings

REPORT = {
    # (article, mode): (error type, requests sent) as recorded
    ("000_85a1f342656380a4", "json"): (InvalidAnswer, 1),  # cut off at the token limit
    ("003_9eda28cdddffed99", "json"): (InvalidAnswer, 3),
    ("g13_call", "json"): (InvalidAnswer, 3),
    ("g13_call", "tools"): (InvalidAnswer, 3),
    ("g13_call", "json_schema"): (RequestRejected, 1),
}


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    article, mode = request.node.callspec.params["case"]
    return f"e2e/{article.stem}.meeting.en.{mode}"


@pytest.mark.vcr
@pytest.mark.parametrize("case", CASES, ids=[f"{a.stem[:8]}-{m}" for a, m in CASES])
def test_tiny_local_model_ends_in_a_typed_error(case: tuple[Path, str]) -> None:
    article, mode = case
    if not (CASSETTES / f"{article.stem}.meeting.en.{mode}.yaml").exists():
        pytest.skip("run `make e2e` to record this exchange")
    error_type, requests = REPORT[(article.stem, mode)]
    summarizer = Summarizer(settings=e2e_settings("http://127.0.0.1:8000/v1", mode))
    with pytest.raises(error_type) as caught:
        summarizer.summarize(article.read_text(encoding="utf-8"), "meeting", "en")
    assert caught.value.attempts == requests

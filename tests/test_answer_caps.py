"""Every list of a summary is capped at validation, exact duplicates first, the cut said."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from summarizer import Summarizer
from summarizer.answer import MAX_LIST_ITEMS
from summarizer.config import Settings

from .crafted import ARTICLE_000, good_meeting
from .stub import StubServer

HOST = good_meeting()["summary"]["participants"][0]


def _people(n: int, distinct: bool) -> list[dict[str, Any]]:
    people = [copy.deepcopy(HOST) for _ in range(n)]
    if distinct:  # the same grounded person under n offices: no two items equal
        for i, person in enumerate(people):
            person["title"] = f"Minister of Defence, office {i}"
    return people


@pytest.mark.parametrize(
    ("field", "items", "kept", "warning"),
    [
        pytest.param(
            "participants",
            _people(10_000, distinct=False),
            1,
            "participants: 10000 items, 9999 exact duplicates dropped",
            id="10000-identical-participants",
        ),
        pytest.param(
            "participants",
            _people(60, distinct=True),
            MAX_LIST_ITEMS,
            f"participants: 60 items, cut to the first {MAX_LIST_ITEMS}",
            id="60-distinct-participants",
        ),
        pytest.param(
            "background",
            [f"Context {i}." for i in range(10_000)] + ["Context 0."],
            MAX_LIST_ITEMS,
            "background: 10001 items, 1 exact duplicate dropped, "
            f"cut to the first {MAX_LIST_ITEMS}",
            id="10000-distinct-background",
        ),
        pytest.param(
            "next_steps",
            ["Meet again."] * 10_000,
            1,
            "next_steps: 10000 items, 9999 exact duplicates dropped",
            id="10000-identical-next-steps",
        ),
    ],
)
def test_a_runaway_list_is_capped_in_the_result_and_the_cut_is_a_warning(
    field: str, items: list[Any], kept: int, warning: str
) -> None:
    answer = good_meeting()
    answer["summary"][field] = items
    server = StubServer([answer])
    settings = Settings(model="m", api_key="k", use_cache=False)
    summarizer = Summarizer(settings=settings, http_client=server.client())

    result = summarizer.summarize(ARTICLE_000, "meeting", "en")

    assert result.ok and result.meta is not None, result.error
    assert len(getattr(result.summary, field)) == kept
    assert warning in result.meta.warnings
    assert len(server.requests) == 1  # capped, then checked: accepted without a re-ask


def test_a_list_within_the_cap_is_left_as_the_model_wrote_it() -> None:
    """Duplicates in a short list stay: a re-ask names items by the model's own numbering."""
    answer = good_meeting()
    answer["summary"]["next_steps"] = ["Meet again."] * MAX_LIST_ITEMS
    server = StubServer([answer])
    settings = Settings(model="m", api_key="k", use_cache=False)
    result = Summarizer(settings=settings, http_client=server.client()).summarize(ARTICLE_000)

    assert result.summary is not None and not isinstance(result.summary, dict)
    assert len(result.summary.next_steps) == MAX_LIST_ITEMS
    assert result.meta is not None and not any("items" in w for w in result.meta.warnings)

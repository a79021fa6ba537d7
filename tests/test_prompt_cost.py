"""The fixed cost of a request (everything but the article) stays within what a small local
model can afford: ``meeting`` at most 1,000 cl100k tokens in every mode and output language."""

from __future__ import annotations

import pytest

from benchmarks.prompt_cost import ARTICLE, SCHEMAS, cl100k, fixed_costs

BOUND = {"meeting": 1_000, "cooperation": 1_000}


@pytest.fixture(scope="module")
def costs() -> dict[tuple[str, str, str], int]:
    return fixed_costs(cl100k(), ARTICLE.read_text(encoding="utf-8"))


def test_every_mode_is_within_the_bound(costs: dict[tuple[str, str, str], int]) -> None:
    over = {key: n for key, n in costs.items() if n > BOUND[key[0]]}
    assert not over, f"fixed prompt tokens over the bound: {over}"


def test_the_figure_is_the_requests_own(costs: dict[tuple[str, str, str], int]) -> None:
    # A cost that cannot be zero or the whole request: the schema counts in every mode.
    assert set(SCHEMAS) == {key[0] for key in costs}
    assert all(300 < n < 1_500 for n in costs.values()), costs

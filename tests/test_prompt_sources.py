"""No example in a prompt comes from the seed articles or the gold set.

An example borrowed from a real article leaks into answers (a small model copied the seed's
date text into an unrelated article) and makes any evaluation on those articles meaningless.
This greps every template and every description of the schemas for runs of words from the
seeds, the gold annotations and the gold-set articles.
"""

from __future__ import annotations

import json
import re

import pytest

from summarizer.normalize import normalize
from summarizer.schemas import SCHEMAS

from .conftest import ROOT

RUN = 3  # words in a row that would betray a borrowed example


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", normalize(text).lower())


def _runs(text: str) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def _sources() -> dict[str, str]:
    fixtures = ROOT / "fixtures"
    files = [*fixtures.glob("articles/*.txt"), *fixtures.glob("goldset/*.txt")]
    texts = {path.name: path.read_text(encoding="utf-8") for path in files}
    for gold in [*fixtures.glob("gold/*.json"), *fixtures.glob("goldset/g*.json")]:
        data = json.loads(gold.read_text(encoding="utf-8"))
        texts[gold.name] = " \n ".join(_strings({k: v for k, v in data.items() if k != "notes"}))
    return texts


def _descriptions(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["description"]] if isinstance(node.get("description"), str) else []
        return own + [d for value in node.values() for d in _descriptions(value)]
    if isinstance(node, list):
        return [d for value in node for d in _descriptions(value)]
    return []


def _prompt_texts() -> dict[str, str]:
    texts = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "prompts").glob("*.j2")}
    for name, model in SCHEMAS.items():
        texts[f"schema {name}"] = "\n".join(_descriptions(model.model_json_schema()))
    return texts


# Phrases of plain English that any news article and any instruction share.
COMMON = {("the", "article", "s"), ("of", "the", "article")}


@pytest.mark.parametrize("prompt", sorted(_prompt_texts()))
def test_no_prompt_or_description_borrows_from_the_seeds_or_gold(prompt: str) -> None:
    text = _prompt_texts()[prompt]
    mine = _runs(text) - COMMON
    for source, source_text in _sources().items():
        shared = sorted(" ".join(run) for run in mine & _runs(source_text))
        assert not shared, f"{prompt} shares with {source}: {shared[:5]}"

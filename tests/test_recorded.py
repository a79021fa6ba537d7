"""The seed articles end to end on recorded responses, compared with the gold annotations.

Replayed by VCR.py (pytest-recording) from fixtures/cassettes/demo/: matched on method, path
and parsed JSON body; an unrecorded request fails the test at once. How the cassettes were
made, and how to re-record them: fixtures/README.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer import Summarizer
from summarizer.config import Settings
from summarizer.demo import DEMO_CASES, DEMO_MODEL
from summarizer.evaluation.gold import compare

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = sorted(
    p.stem
    for p in (FIXTURES / "gold").glob("*.json")
    if (FIXTURES / "articles" / f"{p.stem}.txt").exists()
)
CASES = [
    pytest.param(stem, schema, lang, id=f"{stem[:3]}-{schema}-{lang}")
    for stem in SEEDS
    for schema, lang in DEMO_CASES
]


@pytest.mark.vcr
@pytest.mark.parametrize(("stem", "schema", "lang"), CASES)
def test_seed_summary_agrees_with_gold(stem: str, schema: str, lang: str) -> None:
    article = (FIXTURES / "articles" / f"{stem}.txt").read_text(encoding="utf-8")
    gold = json.loads((FIXTURES / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
    summarizer = Summarizer(settings=Settings(model=DEMO_MODEL, api_key="replay"))

    result = summarizer.summarize(article, schema, lang)

    assert result.meta.attempts == 1 and result.meta.usage["total_tokens"] > 0
    assert result.summary.output_language == lang
    assert result.summary.source_language == gold["source_language"]
    summary = result.summary_dict()
    assert compare(summary, gold, schema, lang) == []
    for path, evidence in _evidence(summary):
        assert article[evidence["start"] : evidence["end"]] == evidence["quote"].strip(), path


def _evidence(node: object, path: str = "") -> list[tuple[str, dict]]:
    found = []
    if isinstance(node, dict):
        if "quote" in node and "start" in node:
            found.append((path, node))
        for key, value in node.items():
            found += _evidence(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _evidence(value, f"{path}[{i}]")
    return found


BOTH = [
    pytest.param(stem, schema, id=f"{stem[:3]}-{schema}-both")
    for stem in SEEDS
    for schema in ("meeting", "cooperation")
]


@pytest.mark.vcr
@pytest.mark.parametrize(("stem", "schema"), BOTH)
def test_both_languages_agree_on_the_facts(stem: str, schema: str) -> None:
    article = (FIXTURES / "articles" / f"{stem}.txt").read_text(encoding="utf-8")
    gold = json.loads((FIXTURES / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
    summarizer = Summarizer(settings=Settings(model=DEMO_MODEL, api_key="replay"))

    result = summarizer.summarize(article, schema, "both")

    assert result.meta.calls == 2 and result.meta.attempts == 2  # extraction + localisation
    en, ar = result.summary["en"], result.summary["ar"]
    assert (en.output_language, ar.output_language) == ("en", "ar")
    for lang, summary in (("en", en), ("ar", ar)):
        assert compare(summary.model_dump(mode="json"), gold, schema, lang) == []
    assert _evidence(en.model_dump(mode="json")) == _evidence(ar.model_dump(mode="json"))
    if schema == "meeting":
        assert (en.date, en.date_text, en.meeting_type) == (ar.date, ar.date_text, ar.meeting_type)
        assert [p.name_source for p in en.participants] == [p.name_source for p in ar.participants]


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    params = request.node.callspec.params
    return f"demo/{params['stem']}.{params['schema']}.{params.get('lang', 'both')}"

"""Long articles: split between paragraphs with overlap, parts merged, offsets into the whole."""

from __future__ import annotations

import re
from typing import Any

import pytest

from summarizer import Summarizer
from summarizer.chunking import estimate_tokens, split
from summarizer.config import Settings

from .crafted import ARTICLE_000, BILATERAL
from .stub import StubServer

# About 60 KB of Arabic: the seed meeting report, then many paragraphs of background.
BACKGROUND = ARTICLE_000.split("\n", 3)[3]
LONG_ARTICLE = ARTICLE_000 + "".join(f"\nالفقرة {i}: {BACKGROUND}" for i in range(1, 18))


def test_long_article_is_about_60_kb() -> None:
    assert 55_000 <= len(LONG_ARTICLE.encode()) <= 75_000


@pytest.mark.parametrize("max_tokens", [500, 1500, 4000])
def test_parts_cover_the_article_between_paragraphs(max_tokens: int) -> None:
    parts = split(LONG_ARTICLE, max_tokens)
    assert len(parts) > 1
    assert parts[0].start == 0
    covered = max(p.start + len(p.text) for p in parts)
    assert covered == len(LONG_ARTICLE)
    for before, after in zip(parts, parts[1:], strict=False):
        assert LONG_ARTICLE[after.start : after.start + len(after.text)] == after.text
        assert after.start < before.start + len(before.text)  # overlap
        assert after.start == 0 or LONG_ARTICLE[after.start - 1] == "\n"  # cut at a paragraph
    assert all(estimate_tokens(p.text) <= max_tokens * 1.2 for p in parts)


def test_short_article_is_one_part() -> None:
    assert len(split(ARTICLE_000, 24_000)) == 1


def _article_in(body: dict[str, Any]) -> str:
    user = body["messages"][1]["content"]
    numbered = re.split(r"<<<ARTICLE \w+>>>\n|\n<<<END ARTICLE", user)[1]
    return re.sub(r"^\[\d+\] ", "", numbered, flags=re.MULTILINE)


def per_part(body: dict[str, Any]) -> dict[str, Any]:
    """A model that reports, for each part, what that part tells of the meeting."""
    if "tools" in body and body["tools"][0]["function"]["name"] == "Synopsis":
        return {
            "headline": "Saudi and Guinean defence ministers meet in Riyadh",
            "summary": "The two ministers reviewed bilateral relations and military cooperation.",
        }
    text = _article_in(body)
    first_sentence = text.strip().split("،")[0].strip()
    summary: dict[str, Any] = {
        "headline": "Part summary",
        "summary": "A part of the report.",
        "meeting_type": "bilateral",
        "date": None,
        "date_text": None,
        "participants": [],
        "topics": [],
        "background": ["General explanation of military cooperation."],
    }
    if BILATERAL in text:
        summary["topics"] = [
            {
                "title": "Bilateral relations",
                "category": "political_relations",
                "evidence": {"quote": BILATERAL},
            }
        ]
    else:
        part = re.search(r"Part (\d+) of", body["messages"][1]["content"])
        summary["topics"] = [
            {
                "title": f"Cooperation in general, part {part.group(1) if part else 0}",
                "category": "military_cooperation",
                "evidence": {"quote": first_sentence},
            }
        ]
    return {"summary": summary, "no_event": None}


def test_done_when_60_kb_arabic_article_has_offsets_into_the_whole() -> None:
    server = StubServer([per_part])
    settings = Settings(model="local-small-model", api_key="k", use_cache=False)
    result = Summarizer(settings=settings, http_client=server.client()).summarize(LONG_ARTICLE)
    parts = result.meta.parts
    assert parts > 1 and result.meta.calls == parts + 1  # one per part, then the synopsis
    assert len(server.requests) == parts + 1
    assert result.summary.headline == "Saudi and Guinean defence ministers meet in Riyadh"
    titles = [t.title for t in result.summary.topics]
    assert titles.count("Bilateral relations") == 1  # the overlap did not duplicate it
    assert result.summary.background == ["General explanation of military cooperation."]
    for topic in result.summary.topics:
        ev = topic.evidence
        assert LONG_ARTICLE[ev.start : ev.end] == ev.quote
    late = [t for t in result.summary.topics if t.evidence.start > len(LONG_ARTICLE) // 2]
    assert late, "a topic quoted from the second half keeps its offset in the whole article"

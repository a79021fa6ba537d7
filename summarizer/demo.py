"""``summarizer demo``: the sample articles end to end, replayed from recorded responses.

Uses the same cassettes as the tests (fixtures/cassettes/demo), so what the demo shows is
what the tests check. Nothing reaches the network and no key is needed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx2

from .api import Summarizer
from .briefing import render_briefing
from .config import Settings
from .replay import ReplayTransport
from .resources import data_dir

# The model the demo cassettes were recorded (or written) for; part of every request body.
DEMO_MODEL = "gpt-4o-mini"
DEMO_CASES = [(schema, lang) for schema in ("meeting", "cooperation") for lang in ("en", "ar")]


def demo_summarizer(cassettes: list[Path]) -> Summarizer:
    """A Summarizer whose server is the given cassettes; the environment is ignored."""
    settings = Settings(model=DEMO_MODEL, api_key="replay-no-key", use_cache=False)
    transport = ReplayTransport(cassettes)
    return Summarizer(settings=settings, http_client=httpx2.AsyncClient(transport=transport))


def run_demo(out: Path, echo: Callable[[str], None] = print) -> None:
    articles = sorted(data_dir("demo_articles").glob("*.txt"))
    cassette_dir = data_dir("demo_cassettes")
    echo(f"Replaying recorded model responses from {cassette_dir} (no network, no key).")
    out.mkdir(parents=True, exist_ok=True)
    for article in articles:
        text = article.read_text(encoding="utf-8")
        for schema, lang in DEMO_CASES:
            name = f"{article.stem}.{schema}.{lang}"
            cassette = cassette_dir / f"{name}.yaml"
            if not cassette.exists():
                continue
            result = demo_summarizer([cassette]).summarize(text, schema, lang)
            (out / f"{name}.json").write_text(
                json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
            (out / f"{name}.md").write_text(render_briefing(result, "md"), encoding="utf-8")
            attempts = result.meta.attempts if result.meta else 0
            echo(f"  {name}: {result.one_line()} [{attempts} request(s), replayed]")
    echo(f"Wrote JSON results and Markdown briefings to {out}/")

"""Write the recorded model exchanges (cassettes) the tests and the demo replay.

    python -m tests.record            # hand-written answers, through an in-process stub server
    python -m tests.record --live     # a live provider (OPENAI_API_KEY, OPENAI_BASE_URL)

Hand-written mode: no key exists where this project was started, so each answer in
``fixtures/answers/<article>.<schema>.<lang>.json`` was written by hand, and this script sends
the library's real requests (built by the SDK and instructor, byte for byte) to a stub that
answers in the exact OpenAI chat-completions wire format, while VCR.py records both sides.
Token counts in those answers are the stub's estimate (about 4 characters a token).

Live mode records what the configured server answers instead; the model name must stay
``summarizer.demo.DEMO_MODEL`` (it is part of every recorded request body), or change both.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import vcr

from summarizer import Summarizer
from summarizer.config import Settings
from summarizer.demo import DEMO_CASES, DEMO_MODEL
from summarizer.errors import SummarizerError

from .stub import stub_client
from .vcr_setup import VCR_CONFIG, register

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "fixtures" / "articles"
ANSWERS = ROOT / "fixtures" / "answers"
CASSETTES = ROOT / "fixtures" / "cassettes" / "demo"


def record(live: bool) -> int:
    recorder = vcr.VCR(**VCR_CONFIG, record_mode="all")
    register(recorder)
    failures = 0
    for article in sorted(ARTICLES.glob("*.txt")):
        for schema, lang in DEMO_CASES:
            name = f"{article.stem}.{schema}.{lang}"
            answer_file = ANSWERS / f"{name}.json"
            if not live and not answer_file.exists():
                continue
            if live:
                summarizer = Summarizer(settings=Settings.resolve(model=DEMO_MODEL))
            else:
                answer = json.loads(answer_file.read_text(encoding="utf-8"))
                settings = Settings(model=DEMO_MODEL, api_key="handwritten", use_cache=False)
                summarizer = Summarizer(settings=settings, http_client=stub_client([answer]))
            cassette = CASSETTES / f"{name}.yaml"
            cassette.unlink(missing_ok=True)
            with recorder.use_cassette(str(cassette)):
                try:
                    result = summarizer.summarize(article.read_text(encoding="utf-8"), schema, lang)
                    attempts = result.meta.attempts if result.meta else 0
                    print(f"recorded {cassette.relative_to(ROOT)} ({attempts} request(s))")
                except SummarizerError as exc:
                    failures += 1
                    print(f"recorded {cassette.relative_to(ROOT)}, but the answer failed: {exc}")
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--live", action="store_true", help="record a live provider")
    sys.exit(record(parser.parse_args().live))


if __name__ == "__main__":
    main()

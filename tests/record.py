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
import tempfile
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import vcr

from summarizer import Summarizer
from summarizer.config import Settings
from summarizer.demo import DEMO_MODEL
from summarizer.digest import build_digest
from summarizer.digest.paragraph import messages_for
from summarizer.errors import SummarizerError
from summarizer.evaluation.events import RECORDED_MODEL, run_gold
from summarizer.evaluation.goldset import load_cases
from summarizer.events.store import load_events, load_reports
from summarizer.fields import text_slots
from summarizer.schemas import SCHEMAS
from summarizer.script import detect_language

from .stub import stub_client
from .vcr_setup import VCR_CONFIG, register

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "fixtures" / "articles"
ANSWERS = ROOT / "fixtures" / "answers"
CASSETTES = ROOT / "fixtures" / "cassettes" / "demo"
GOLDSET = ROOT / "fixtures" / "goldset"
GOLDSET_CASSETTES = ROOT / "fixtures" / "cassettes" / "goldset"
EVENTS = ROOT / "fixtures" / "events"
EVENTS_CASSETTES = ROOT / "fixtures" / "cassettes" / "events"
DIGEST_CASSETTES = ROOT / "fixtures" / "cassettes" / "digest"


@dataclass(frozen=True)
class Case:
    """One recorded run: an article, how it is summarised, the answers a stub gives."""

    article: Path
    schema: str
    lang: str
    cassette: Path
    answers: list[dict[str, Any]]
    metadata: dict[str, Any] = field(default_factory=dict)
    text: str | None = None  # the article, when it is a batch row rather than a file

    def article_text(self) -> str:
        return self.text if self.text is not None else self.article.read_text(encoding="utf-8")


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def translation_answer(
    schema: str, source: dict[str, Any], target: dict[str, Any]
) -> dict[str, Any]:
    """The localisation call's answer: the target-language answer's texts, slot by slot."""
    model = SCHEMAS[schema]
    source_slots = text_slots(model.model_validate(source["summary"]))
    target_slots = text_slots(model.model_validate(target["summary"]))
    paths = ([s.path for s in source_slots], [s.path for s in target_slots])
    if paths[0] != paths[1]:
        raise SystemExit(f"{schema}: the en and ar answers differ in shape: {paths}")
    return {"items": [{"id": i, "text": slot.get()} for i, slot in enumerate(target_slots)]}


def demo_cases() -> list[Case]:
    cases = []
    for article in sorted(ARTICLES.glob("*.txt")):
        for schema in ("meeting", "cooperation"):
            files = {
                lang: ANSWERS / f"{article.stem}.{schema}.{lang}.json" for lang in ("en", "ar")
            }
            if not all(f.exists() for f in files.values()):
                continue
            answers = {lang: _load(f) for lang, f in files.items()}
            for lang in ("en", "ar"):
                cassette = CASSETTES / f"{article.stem}.{schema}.{lang}.yaml"
                cases.append(Case(article, schema, lang, cassette, [answers[lang]]))
            # "both": one extraction in the article's language, then the translation.
            source = detect_language(article.read_text(encoding="utf-8"))
            other = "en" if source == "ar" else "ar"
            translation = translation_answer(schema, answers[source], answers[other])
            cassette = CASSETTES / f"{article.stem}.{schema}.both.yaml"
            cases.append(Case(article, schema, "both", cassette, [answers[source], translation]))
    return cases


def goldset_cases() -> list[Case]:
    """Every hand-written answer of the gold set (fixtures/goldset/answers), English runs."""
    cases = []
    for case in load_cases([GOLDSET]):
        for schema in case.schemas():
            answer = GOLDSET / "answers" / f"{case.id}.{schema}.en.json"
            if not answer.exists():
                continue
            metadata = {**case.metadata, "input_format": case.input_format}
            cassette = GOLDSET_CASSETTES / f"{case.id}.{schema}.en.yaml"
            # A list holds one answer per request: a wrong first answer, then the re-asked one.
            loaded: Any = json.loads(answer.read_text(encoding="utf-8"))
            answers = loaded if isinstance(loaded, list) else [loaded]
            cases.append(Case(case.article, schema, "en", cassette, answers, metadata))
    return cases


def events_cases() -> list[Case]:
    """The event gold set's reports (fixtures/events/articles.jsonl), as its batch sends them."""
    cases = []
    rows = EVENTS / "articles.jsonl"
    for line in rows.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        answer = EVENTS / "answers" / f"{row['id']}.meeting.en.json"
        metadata = {k: row[k] for k in ("published", "outlet", "url") if k in row}
        cassette = EVENTS_CASSETTES / f"{row['id']}.meeting.en.yaml"
        cases.append(Case(rows, "meeting", "en", cassette, [_load(answer)], metadata, row["text"]))
    return cases


def record(cases: list[Case], live: bool) -> int:
    recorder = vcr.VCR(**VCR_CONFIG, record_mode="all")
    register(recorder)
    failures = 0
    for case in cases:
        if live:
            summarizer = Summarizer(settings=Settings.resolve(model=DEMO_MODEL, use_cache=False))
        else:
            settings = Settings(model=DEMO_MODEL, api_key="handwritten", use_cache=False)
            summarizer = Summarizer(settings=settings, http_client=stub_client(case.answers))
        case.cassette.parent.mkdir(parents=True, exist_ok=True)
        case.cassette.unlink(missing_ok=True)
        text = case.article_text()
        name = case.cassette.relative_to(ROOT)
        with recorder.use_cassette(str(case.cassette)):
            try:
                result = summarizer.summarize(text, case.schema, case.lang, **case.metadata)
                attempts = result.meta.attempts if result.meta else 0
                print(f"recorded {name} ({attempts} request(s))")
            except SummarizerError as exc:
                failures += 1
                print(f"recorded {name}, but the answer failed: {exc}")
    return 1 if failures else 0


def record_digest(live: bool) -> int:
    """The digest's paragraph calls over the event gold set's events, one cassette per
    language: hand-written answers (fixtures/events/paragraphs.json) keyed by each event's
    first report, or what a live server writes."""
    table = _load(EVENTS / "paragraphs.json")
    recorder = vcr.VCR(**VCR_CONFIG, record_mode="all")
    register(recorder)
    with tempfile.TemporaryDirectory() as work:
        events_dir = Path(work) / "events"
        run_gold(EVENTS, EVENTS_CASSETTES, Path(work))
        events = load_events(events_dir)
        summaries = {r.id: r.summary for r in load_reports(events_dir)}
        failures = 0
        for lang in ("en", "ar"):
            answers = {
                messages_for(e, summaries, lang)[-1]["content"]: {
                    "paragraph": table[e["reports"][0]["id"]][lang]
                }
                for e in events
            }
            cassette = DIGEST_CASSETTES / f"{lang}.yaml"
            cassette.parent.mkdir(parents=True, exist_ok=True)
            cassette.unlink(missing_ok=True)
            if live:
                settings = Settings.resolve(model=RECORDED_MODEL, use_cache=False)
                client = None
            else:
                settings = Settings(model=RECORDED_MODEL, api_key="handwritten", use_cache=False)
                client = stub_client([partial(_answer_for, answers)])
            with recorder.use_cassette(str(cassette)):
                digest = build_digest(events_dir, lang, settings=settings, http_client=client)
            assert digest.written is not None
            failures += digest.written.failed
            print(
                f"recorded {cassette.relative_to(ROOT)} ({digest.written.asked} paragraphs,"
                f" {digest.written.failed} failed)"
            )
    return 1 if failures else 0


def _answer_for(answers: dict[str, dict[str, str]], body: dict[str, Any]) -> dict[str, str]:
    """The answer whose facts open the request's last message (the mode may append to it)."""
    asked = body["messages"][-1]["content"]
    return next(answer for facts, answer in answers.items() if asked.startswith(facts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--live", action="store_true", help="record a live provider")
    sets = {"demo": demo_cases, "goldset": goldset_cases, "events": events_cases}
    parser.add_argument("--only", choices=(*sets, "digest"), help="one set of cassettes")
    args = parser.parse_args()
    cases = [case for name, make in sets.items() if args.only in (None, name) for case in make()]
    failed = record(cases, args.live) if cases else 0
    if args.only in (None, "digest"):
        failed |= record_digest(args.live)
    sys.exit(failed)


if __name__ == "__main__":
    main()

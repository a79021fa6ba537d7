"""The real local model's recorded answers (``make e2e``, ``fixtures/cassettes/local/``),
replayed: no network, no model. These are responses no one here wrote (Qwen2.5-Coder-1.5B on
llama-cpp-python's server), so what they show is what the library does with a real, weak model:

- each run ends as the recording run ended (``report.json``), through today's code;
- nothing unchecked comes back: every evidence quote is the article's text at its offsets, a
  partial result says it is one and names every item it left out;
- a re-ask is never sent after an answer that repeats the one before, and a repair names only
  items the checks rejected.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml

from summarizer import Summarizer, SummarizerError
from summarizer.evaluation.goldset import GoldCase, load_cases
from summarizer.evaluation.run import recorded_settings
from summarizer.replay import ReplayTransport
from summarizer.result import Result

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / "fixtures" / "cassettes" / "local"
CASSETTES = sorted(LOCAL.glob("*.yaml"))
REPORT = (
    {r["case"]: r for r in json.loads((LOCAL / "report.json").read_text())}
    if (LOCAL / "report.json").exists()
    else {}
)
CASES = {c.id: c for c in load_cases([ROOT / "fixtures" / "gold", ROOT / "fixtures" / "goldset"])}
_KEYS = re.compile(r"Answer with the keys (.+?) only")


def _replay(path: Path) -> tuple[GoldCase, str, Result | SummarizerError]:
    case_id, schema, lang = path.name.removesuffix(".yaml").split(".")
    case = CASES[case_id]
    client = httpx2.AsyncClient(transport=ReplayTransport([path]))
    summarizer = Summarizer(settings=recorded_settings(LOCAL), http_client=client)
    text = case.article.read_text(encoding="utf-8")
    try:
        outcome: Result | SummarizerError = summarizer.summarize(
            text, schema, lang, input_format=case.input_format, **case.metadata
        )
    except SummarizerError as exc:
        outcome = exc
    finally:
        asyncio.run(client.aclose())
    return case, lang, outcome


def _exchanges(path: Path) -> list[tuple[dict[str, Any], str]]:
    """(request body, answer text) per recorded request, in order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pairs = []
    for item in data["interactions"]:
        body = json.loads(item["request"]["body"])
        response = json.loads(item["response"]["body"]["string"])
        pairs.append((body, response["choices"][0]["message"]["content"] or ""))
    return pairs


def _evidence(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        own = [node["evidence"]] if isinstance(node.get("evidence"), dict) else []
        return own + [e for v in node.values() for e in _evidence(v)]
    if isinstance(node, list):
        return [e for v in node for e in _evidence(v)]
    return []


pytestmark = pytest.mark.skipif(not CASSETTES, reason="no real-model recordings yet (make e2e)")


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: p.stem)
def test_a_recorded_run_ends_as_it_ended_when_recorded(path: Path) -> None:
    _, _, outcome = _replay(path)
    status = outcome.status if isinstance(outcome, Result) else "error"
    assert status == REPORT[path.stem]["status"]


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: p.stem)
def test_nothing_unchecked_comes_back(path: Path) -> None:
    _, _, outcome = _replay(path)
    if not isinstance(outcome, Result) or outcome.summary is None:
        return
    assert outcome.meta is not None
    summary = outcome.summary_dict()
    for evidence in _evidence(summary):
        assert outcome.article[evidence["start"] : evidence["end"]] == evidence["quote"]
        assert evidence["match"] in ("exact", "normalized", "loose", "segment")
    if outcome.status == "partial":
        assert not outcome.meta.complete and outcome.meta.dropped
        assert all(d["path"] and d["reason"] for d in outcome.meta.dropped)
    else:
        assert outcome.meta.complete and not outcome.meta.dropped


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: p.stem)
def test_reasks_never_repeat_and_repairs_name_only_rejected_items(path: Path) -> None:
    _, _, outcome = _replay(path)
    exchanges = _exchanges(path)
    answers = [answer for _, answer in exchanges]
    for i in range(1, len(answers) - 1):
        assert json.loads(answers[i]) != json.loads(answers[i - 1]), (
            f"request {i + 2} was sent after answer {i + 1} repeated answer {i}"
        )
    meta = outcome.meta
    rejected = meta.rejected if meta is not None else []
    for i, (body, _) in enumerate(exchanges[1:]):
        keys = _KEYS.search(body["messages"][-1]["content"])
        if keys is None:
            continue  # a whole re-ask: the answer could not be read
        # the reasons so far: a patch that could not be read leaves the repair as it was
        reasons = "\n".join(line for round_ in rejected[: i + 1] for line in round_)
        for key in re.findall(r'"([^"]+)"', keys.group(1)):
            partner = {"date": "date_text", "date_text": "date"}.get(key)
            assert key in reasons or (partner is not None and partner in reasons), (
                f"repair {i + 1} asks for {key}, which no check rejected"
            )

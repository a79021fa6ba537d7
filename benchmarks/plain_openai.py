"""The floor: a plain asyncio + ``openai`` client with a semaphore. No validation, no state,
no briefings; the same request bodies (messages and tool) the library sends.

    python -m benchmarks.plain_openai DIR --base-url URL --concurrency 32
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any

import openai

from summarizer.answer import ANSWERS
from summarizer.prompts import ArticleInput, render_messages


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    client = openai.AsyncOpenAI(base_url=args.base_url, api_key="sk-bench")
    schema = ANSWERS["meeting"].model_json_schema()
    tool = {"name": "MeetingAnswer", "description": "Report the meeting.", "parameters": schema}
    gate = asyncio.Semaphore(args.concurrency)
    parsed = 0

    async def one(path: Path) -> None:
        nonlocal parsed
        async with gate:
            text = path.read_text("utf-8")
            messages = render_messages("meeting", "en", ArticleInput(text, "ar"))
            request: dict[str, Any] = {
                "model": "gpt-4o-mini",
                "messages": messages,
                "tools": [{"type": "function", "function": tool}],
                "tool_choice": {"type": "function", "function": {"name": "MeetingAnswer"}},
                "temperature": 0,
            }
            response = await client.chat.completions.create(**request)
            calls = response.choices[0].message.tool_calls or []
            json.loads(calls[0].function.arguments)
            parsed += 1

    started = time.perf_counter()
    await asyncio.gather(*(one(p) for p in sorted(args.folder.glob("*.txt"))))
    print(json.dumps({"parsed": parsed, "seconds": round(time.perf_counter() - started, 3)}))


if __name__ == "__main__":
    asyncio.run(main())

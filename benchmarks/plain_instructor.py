"""What users do today: a plain loop over ``instructor``, one article after another, with a
Pydantic model of their own (no grounding, no state).

    python -m benchmarks.plain_instructor DIR --base-url URL --limit 100
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import instructor
import openai
from pydantic import BaseModel


class MeetingAnswer(BaseModel):
    summary: dict[str, Any] | None = None
    no_event: str | None = None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args()
    client = instructor.from_openai(openai.OpenAI(base_url=args.base_url, api_key="sk-bench"))
    paths = sorted(args.folder.glob("*.txt"))[: args.limit]
    started = time.perf_counter()
    for path in paths:
        client.chat.completions.create(
            model="gpt-4o-mini",
            response_model=MeetingAnswer,
            messages=[
                {"role": "system", "content": "Summarise the meeting the article reports."},
                {"role": "user", "content": path.read_text("utf-8")},
            ],
            temperature=0,
        )
    print(json.dumps({"parsed": len(paths), "seconds": round(time.perf_counter() - started, 3)}))


if __name__ == "__main__":
    main()

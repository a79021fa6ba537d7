"""A local OpenAI-compatible chat completions server for benchmarks (aiohttp, 127.0.0.1).

Each request waits ``--latency`` seconds and answers the crafted grounded answer for seed
article 000 (``tests/crafted.py``), in the tool-call or content form the request asked for,
so the library's validation passes as it would on a real answer. At most ``--cap`` requests
are served at once; one more gets ``429`` with ``Retry-After: 1``, as a provider does.

    python -m benchmarks.stub_server --latency 0.5 --cap 32 --port 0

prints ``listening on PORT`` once ready; ``GET /stats`` returns the request counts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from aiohttp import web

from tests.crafted import good_meeting
from tests.stub import completion


def make_app(latency: float, cap: int) -> web.Application:
    state = {"in_flight": 0, "served": 0, "refused": 0, "peak": 0}
    answer = json.dumps(good_meeting(), ensure_ascii=False)

    async def chat(request: web.Request) -> web.Response:
        if state["in_flight"] >= cap:
            state["refused"] += 1
            return web.json_response(
                {"error": {"message": "Rate limit reached", "type": "rate_limit_exceeded"}},
                status=429,
                headers={"retry-after": "1"},
            )
        state["in_flight"] += 1
        state["peak"] = max(state["peak"], state["in_flight"])
        try:
            body = await request.json()
            await asyncio.sleep(latency)
            state["served"] += 1
            return web.json_response(completion(body, answer, state["served"]))
        finally:
            state["in_flight"] -= 1

    async def stats(_: web.Request) -> web.Response:
        return web.json_response(state)

    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_post("/v1/chat/completions", chat)
    app.router.add_get("/stats", stats)
    return app


async def serve(port: int, latency: float, cap: int) -> None:
    runner = web.AppRunner(make_app(latency, cap), access_log=None)
    await runner.setup()
    # A deep backlog: a burst of connections must queue, not be refused by the kernel.
    site = web.TCPSite(runner, "127.0.0.1", port, backlog=4096)
    await site.start()
    bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(f"listening on {bound}", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--cap", type=int, default=32)
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.port, args.latency, args.cap))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()

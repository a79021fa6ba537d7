"""A real OpenAI-compatible HTTP server on 127.0.0.1 serving a script, for CLI tests.

Steps as in ``stub.py``: an answer dict (or raw str) becomes a chat completion; a tuple
``(status, headers, body)`` is sent as is. The last step repeats.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .stub import completion

HttpStep = dict[str, Any] | str | tuple[int, dict[str, str], str]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    steps: list[HttpStep]
    requests: list[dict[str, Any]]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        self.server.requests.append(body)
        steps = self.server.steps
        step = steps.pop(0) if len(steps) > 1 else steps[0]
        if isinstance(step, tuple):
            status, headers, text = step
        else:
            status, headers = 200, {}
            text = json.dumps(completion(body, step, len(self.server.requests)), ensure_ascii=False)
        data = text.encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass


@contextmanager
def serve(steps: list[HttpStep]) -> Iterator[_Server]:
    """Start the server on a free loopback port; ``server.url`` is its base URL."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.steps, server.requests = list(steps), []
    with running(server):
        yield server


@contextmanager
def running(server: ThreadingHTTPServer) -> Iterator[None]:
    """Serve ``server`` on a thread, with ``server.url`` its base URL; shut down after."""
    server.url = f"http://127.0.0.1:{server.server_address[1]}/v1"  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()

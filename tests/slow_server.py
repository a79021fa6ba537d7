"""A real HTTP server on 127.0.0.1 that answers slowly, for deadline tests.

It sends its status line and headers at once, then the body one byte every ``interval``
seconds (``interval=None``: never, it holds the connection open). A read timeout never fires
on such a server; only a deadline on the whole request ends it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .loopback import running

BODY = b'{"id": "chatcmpl-slow", "object": "chat.completion", "choices": []}' + b" " * 400


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    interval: float | None
    requests: int
    abandoned: threading.Event  # set when a client closed a request mid-answer
    stopping: threading.Event


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers["content-length"]))
        self.server.requests += 1
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(BODY)))
        self.end_headers()
        self.wfile.flush()
        interval = self.server.interval
        if interval is None:  # headers, then nothing until the test ends
            self.server.stopping.wait()
            return
        for byte in BODY:
            if self.server.stopping.wait(interval):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:  # the client gave up and closed the connection
                self.server.abandoned.set()
                return

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass


@contextmanager
def serve_slowly(interval: float | None) -> Iterator[_Server]:
    """Start the server; ``server.url`` is its base URL, ``server.requests`` a count."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.interval, server.requests = interval, 0
    server.abandoned, server.stopping = threading.Event(), threading.Event()
    with running(server):
        try:
            yield server
        finally:
            server.stopping.set()  # before the shutdown: a dribbling handler must let go

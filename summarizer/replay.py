"""Serve recorded model exchanges (VCR.py cassettes) in place of a server, for ``demo``.

Tests replay through VCR.py itself; the demo must run from an installed wheel without test
tools, so this reads the same cassette files. A request matches an exchange on method, path
and parsed JSON body, as the tests match; an unrecorded request raises ``UnrecordedRequest``
(which the transport layer does not retry), naming it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx2
import yaml


class UnrecordedRequest(Exception):
    """A request that none of the cassettes holds."""


def _key(method: str, url: str, body: bytes | str | None) -> tuple[str, str, str]:
    if isinstance(body, bytes):
        body = body.decode()
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, ensure_ascii=False) if body else ""
    except json.JSONDecodeError:
        canonical = body or ""
    return method.upper(), urlsplit(url).path, canonical


class ReplayTransport(httpx2.AsyncBaseTransport):
    """An httpx2 transport answering from cassette files; each exchange serves once, in order."""

    def __init__(self, cassettes: list[Path]) -> None:
        self._exchanges: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for path in cassettes:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for item in data.get("interactions", []):
                req = item["request"]
                key = _key(req["method"], req["uri"], req.get("body"))
                self._exchanges.setdefault(key, []).append(item["response"])

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body = await request.aread()
        queue = self._exchanges.get(_key(request.method, str(request.url), body))
        if not queue:
            raise UnrecordedRequest(
                f"no recorded answer for {request.method} {request.url.path} "
                f"({len(body)} bytes of body): re-record the cassettes (fixtures/README.md)"
            )
        recorded = queue.pop(0) if len(queue) > 1 else queue[0]
        content = recorded["body"]["string"]
        headers = {k: v[0] if isinstance(v, list) else v for k, v in recorded["headers"].items()}
        headers.pop("content-length", None)
        headers.pop("content-encoding", None)
        return httpx2.Response(
            recorded["status"]["code"],
            headers=headers,
            content=content.encode() if isinstance(content, str) else content,
        )

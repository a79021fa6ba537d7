"""How cassettes are written and matched, shared by the tests and the recorder.

- Matched on method, path and parsed JSON body (vcrpy's ``body`` matcher parses
  ``application/json`` bodies), so a cassette serves any host: OpenAI, Azure, a local server.
- Only ``content-type`` survives in recorded request headers: ``authorization`` and
  ``api-key`` never reach a file, nor do the SDK's volatile ``x-stainless-*`` headers.
- Stored as YAML with Arabic as UTF-8 text (``allow_unicode``), never re-normalised.
- ``record_mode`` is ``none`` in tests: an unrecorded request fails at once, naming it.
"""

from __future__ import annotations

from typing import Any

import yaml

KEEP_REQUEST_HEADERS = {"content-type"}
KEEP_RESPONSE_HEADERS = {"content-type", "retry-after", "retry-after-ms"}


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Long bodies as literal blocks stay readable and diff well.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


class Utf8YamlSerializer:
    @staticmethod
    def serialize(cassette: dict[str, Any]) -> str:
        for item in cassette.get("interactions", []):
            for part in (item["request"], item["response"]["body"]):
                key = "body" if "body" in part else "string"
                if isinstance(part.get(key), bytes):
                    part[key] = part[key].decode("utf-8")
        return yaml.dump(cassette, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)

    @staticmethod
    def deserialize(text: str) -> dict[str, Any]:
        data: dict[str, Any] = yaml.safe_load(text)
        return data


def _scrub_request(request: Any) -> Any:
    for name in list(request.headers):
        if name.lower() not in KEEP_REQUEST_HEADERS:
            del request.headers[name]
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    response["headers"] = {
        k: v for k, v in response["headers"].items() if k.lower() in KEEP_RESPONSE_HEADERS
    }
    return response


VCR_CONFIG: dict[str, Any] = {
    "serializer": "yaml",  # ours, registered under the name pytest-recording uses as extension
    "match_on": ["method", "path", "body"],
    "filter_headers": ["authorization", "api-key"],
    "before_record_request": _scrub_request,
    "before_record_response": _scrub_response,
    "decode_compressed_response": True,
}


def register(vcr: Any) -> None:
    vcr.register_serializer("yaml", Utf8YamlSerializer)

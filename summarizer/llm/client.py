"""Build the SDK client for any OpenAI-compatible server (OpenAI, Azure, vLLM, Ollama, ...).

Knows how to reach a server, nothing about prompts or validation. The SDK's own retries are
off (``max_retries=0``): ``transport.py`` is the one retry policy, so every request sent is
counted in ``meta.attempts``. Every value is passed to the SDK explicitly: left out, the SDK
would read it from the environment itself (``OPENAI_BASE_URL``, ``OPENAI_API_VERSION``,
``AZURE_OPENAI_API_KEY``), behind ``Settings.resolve`` and the cache key.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx2
import openai

from ..config import OPENAI_URL, Settings
from ..errors import ConfigError
from ..redact import remember

# Local servers ignore the key but the SDK insists on one.
PLACEHOLDER_KEY = "no-key-needed"


def make_client(
    settings: Settings, http_client: httpx2.AsyncClient | None = None
) -> openai.AsyncOpenAI:
    """The SDK client for ``settings``; ``ConfigError`` when a server cannot be reached so.

    The key it sends (and a password in the base URL) is remembered by ``redact``, so a
    server that echoes it back (in an error body, say) never gets it shown or kept.
    """
    api_key = settings.api_key
    remember(api_key)
    for url in (settings.base_url, settings.azure_endpoint):
        remember(urlsplit(url).password if url else None)  # http://user:password@host
    if settings.azure_endpoint:
        if not api_key:
            raise ConfigError(
                "no API key for Azure: set AZURE_OPENAI_API_KEY or OPENAI_API_KEY, or --api-key"
            )
        if not settings.api_version:
            raise ConfigError("no API version for Azure: set OPENAI_API_VERSION")
        return openai.AsyncAzureOpenAI(
            azure_endpoint=settings.azure_endpoint,
            azure_deployment=settings.azure_deployment,
            api_version=settings.api_version,
            api_key=api_key,
            max_retries=0,
            timeout=settings.timeout,
            http_client=http_client,
        )
    if not api_key:
        if settings.base_url is None:
            raise ConfigError(
                "no API key: set OPENAI_API_KEY, or point OPENAI_BASE_URL / --base-url at a "
                "local OpenAI-compatible server"
            )
        api_key = PLACEHOLDER_KEY
    return openai.AsyncOpenAI(
        base_url=settings.base_url or OPENAI_URL,
        api_key=api_key,
        max_retries=0,
        timeout=settings.timeout,
        http_client=http_client,
    )

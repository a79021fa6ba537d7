"""Build the SDK client for any OpenAI-compatible server (OpenAI, Azure, vLLM, Ollama, ...).

Knows how to reach a server, nothing about prompts or validation. The SDK's own retries are
off (``max_retries=0``): ``transport.py`` is the one retry policy, so every request sent is
counted in ``meta.attempts``.
"""

from __future__ import annotations

import os

import httpx2
import openai

from ..config import Settings
from ..errors import ConfigError
from ..redact import remember

# Local servers ignore the key but the SDK insists on one.
PLACEHOLDER_KEY = "no-key-needed"


def make_client(
    settings: Settings, http_client: httpx2.AsyncClient | None = None
) -> openai.AsyncOpenAI:
    azure_endpoint = settings.azure_endpoint
    api_key = settings.api_key
    remember(api_key)
    if azure_endpoint:
        return openai.AsyncAzureOpenAI(
            azure_endpoint=azure_endpoint,
            azure_deployment=settings.azure_deployment,
            api_version=settings.api_version or os.environ.get("OPENAI_API_VERSION"),
            api_key=api_key or os.environ.get("AZURE_OPENAI_API_KEY"),
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
        base_url=settings.base_url,
        api_key=api_key,
        max_retries=0,
        timeout=settings.timeout,
        http_client=http_client,
    )

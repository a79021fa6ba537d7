"""What tokens cost: a small price table for common models, extendable from a JSON file.

Hand-written: the maintained price libraries do not fit (``tokencost`` downloads tiktoken
files at first use, which fails offline; ``litellm`` is a large dependency for one table).
Prices are US dollars per million tokens, input then output, as OpenAI listed them for
standard (not batch, not cached-input) requests; a provider batch costs half.

Extend or override with ``--prices FILE`` or ``SUMMARIZER_PRICES=FILE``, a JSON object
``{"model": {"input": 0.15, "output": 0.60}}`` (or ``{"model": [0.15, 0.60]}``). A local
server is free: give its model ``[0, 0]`` to have costs (and ``--max-cost``) apply.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..document import open_regular
from ..errors import ConfigError, InputError

# (input, output) USD per 1M tokens.
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-5": (1.25, 10.00),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "o3": (2.00, 8.00),
    "o3-mini": (1.10, 4.40),
    "o4-mini": (1.10, 4.40),
    "gpt-4-turbo": (10.00, 30.00),
    "gpt-3.5-turbo": (0.50, 1.50),
}
BATCH_DISCOUNT = 0.5
# A dated snapshot ("gpt-4o-mini-2024-07-18") costs what its model does.
_SNAPSHOT = re.compile(r"-\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Prices:
    table: Mapping[str, tuple[float, float]]

    def per_million(self, model: str) -> tuple[float, float] | None:
        for name in (model, _SNAPSHOT.sub("", model), model.rsplit("/", 1)[-1]):
            if name in self.table:
                return self.table[name]
        return None

    def cost(self, model: str, usage: Mapping[str, int], discount: float = 1.0) -> float | None:
        """Dollars for ``usage`` (prompt and completion tokens); None for an unknown model."""
        price = self.per_million(model)
        if price is None:
            return None
        dollars = usage.get("prompt_tokens", 0) * price[0]
        dollars += usage.get("completion_tokens", 0) * price[1]
        return round(dollars * discount / 1_000_000, 8)


# A price table is a few models; anything this large is not one.
MAX_PRICE_TABLE_BYTES = 1_000_000


def load_prices(path: Path | None = None) -> Prices:
    """The default table, updated from ``path`` or ``SUMMARIZER_PRICES`` when given."""
    table = dict(DEFAULT_PRICES)
    chosen = path or (Path(p) if (p := os.environ.get("SUMMARIZER_PRICES")) else None)
    if chosen is not None:
        try:
            with open_regular(chosen) as file:  # never a FIFO or /dev/zero
                data = file.read(MAX_PRICE_TABLE_BYTES + 1)
            if len(data) > MAX_PRICE_TABLE_BYTES:
                raise ValueError(f"over {MAX_PRICE_TABLE_BYTES:,} bytes")
            extra = json.loads(data.decode("utf-8"))
        except InputError as exc:
            raise ConfigError(f"cannot read the price table: {exc}") from None
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{chosen}: cannot read the price table ({exc})") from None
        if not isinstance(extra, dict):
            raise ConfigError(f"{chosen}: a price table is a JSON object of models")
        table.update({str(model): _pair(chosen, model, value) for model, value in extra.items()})
    return Prices(table)


def _pair(path: Path, model: str, value: Any) -> tuple[float, float]:
    if isinstance(value, dict):
        value = [value.get("input"), value.get("output")]
    try:
        prompt, completion = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{path}: price of {model!r} must be {{'input': $/1M, 'output': $/1M}}"
        ) from None
    return prompt, completion

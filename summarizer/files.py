"""Writing a file so that a reader (or a crash) sees the old content or the new, never half."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` beside ``target``, then rename it over ``target`` (atomic on POSIX and
    Windows alike)."""
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)

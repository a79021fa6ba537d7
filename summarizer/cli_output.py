"""Where a command's document goes: a file it checks before paying a model, or stdout."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer


def check_writable(output: Path) -> None:
    """Refuse an output path that cannot be written, before the model is asked (and paid)."""
    folder = output.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if output.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
        raise typer.BadParameter(f"{output}: cannot write there")


def emit(text: str | bytes, output: Path | None) -> None:
    if output is None and isinstance(text, bytes):
        # PDF and DOCX are bytes: to a pipe or a file, never onto a terminal.
        sys.stdout.flush()
        sys.stdout.buffer.write(text)
        sys.stdout.buffer.flush()
        return
    if output is None:
        assert isinstance(text, str)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        output.write_bytes(text)
    else:
        output.write_text(text, encoding="utf-8")

"""Run the command line in-process, as a user would, and collect what it printed."""

from __future__ import annotations

import sys

import pytest

from summarizer.cli import main


def run_cli(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``summarizer ARGS``."""
    monkeypatch.setattr(sys, "argv", ["summarizer", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err

"""``summarizer events RUN_DIR... --out EVENTS_DIR``: group batch results into events.

Exit codes as ``cli.main`` maps them: 0 done; 1 a kept file that cannot be read; 2 a run
directory that does not exist or holds no ``results.jsonl``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .store import EVENTS, update


def events(
    runs: Annotated[list[Path], typer.Argument(help="Batch output directories (--out).")],
    out: Annotated[Path, typer.Option("--out", help="The events directory (added to).")],
) -> None:
    """Group the ok and partial meeting results of batch runs into events."""
    done = update(out, runs)
    typer.echo(
        f"{done.read} report(s) read, {done.reports} kept, {done.events} event(s) in {out / EVENTS}"
    )

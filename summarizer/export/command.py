"""``summarizer export RUN_DIR|EVENTS_DIR --to csv|xlsx|parquet|sqlite OUT``.

Exit codes as ``cli.main`` maps them: 0 written; 1 a file that cannot be read or written;
2 a source that is neither directory, or a format not installed (``summarizer[tables]``).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .tables import tables_of
from .writers import write


class TableFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"
    sqlite = "sqlite"


def export(
    source: Annotated[Path, typer.Argument(help="A batch --out directory or an events directory.")],
    out: Annotated[Path, typer.Argument(help="A folder (csv, parquet) or a file (xlsx, sqlite).")],
    to: Annotated[TableFormat, typer.Option("--to", help="Table format.")] = TableFormat.csv,
) -> None:
    """Write events, reports, participants, parties, topics and outcomes as tables."""
    tables = tables_of(source)
    written = write(tables, to.value, out)
    counts = ", ".join(f"{len(rows)} {name}" for name, rows in tables.items())
    typer.echo(f"{counts} -> {', '.join(str(p) for p in written)}")

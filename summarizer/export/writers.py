"""Writing the tables: CSV (a folder of files Excel opens with Arabic intact), XLSX (one
sheet per table, through openpyxl), Parquet (a folder, through pyarrow) and SQLite (one file,
the standard library's sqlite3).

Text from a model or an article is neutralised before it reaches a cell: control, bidi and
invisible characters go (``briefing.clean.clean_text``), and in the formats a spreadsheet
opens (CSV, XLSX) a text cell that starts with ``=``, ``+``, ``-``, ``@`` or a tab is prefixed
with ``'`` so that it is shown rather than run as a formula (CSV injection). Numbers and nulls
stay typed.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path
from typing import Any

from ..briefing.clean import clean_text
from ..errors import ConfigError
from ..files import write_atomic
from .tables import COLUMNS, Row, ordered

FORMATS = ("csv", "xlsx", "parquet", "sqlite")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any, spreadsheet: bool) -> Any:
    """A value safe in a table: text cleaned, and a formula defused for a spreadsheet."""
    if not isinstance(value, str):
        return value
    text = clean_text(value, one_line=False)
    return "'" + text if spreadsheet and text.startswith(_FORMULA) else text


def _safe(table: str, rows: list[Row], spreadsheet: bool = False) -> list[list[Any]]:
    return [[cell(v, spreadsheet) for v in row] for row in ordered(table, rows)]


def write(tables: dict[str, list[Row]], fmt: str, out: Path) -> list[Path]:
    """Write every table in ``fmt`` to ``out`` (a folder for csv and parquet, else a file)."""
    if fmt not in FORMATS:
        raise ConfigError(f"--to {fmt}: choose one of {', '.join(FORMATS)}")
    return {"csv": _csv, "xlsx": _xlsx, "parquet": _parquet, "sqlite": _sqlite}[fmt](tables, out)


def _csv(tables: dict[str, list[Row]], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table, rows in tables.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS[table])
        writer.writerows(_safe(table, rows, spreadsheet=True))
        path = out / f"{table}.csv"
        # UTF-8 with a BOM: without it Excel reads the file as the local code page and the
        # Arabic turns to mojibake.
        write_atomic(path, buffer.getvalue().encode("utf-8-sig"))
        written.append(path)
    return written


def _xlsx(tables: dict[str, list[Row]], out: Path) -> list[Path]:
    openpyxl = _optional("openpyxl", "xlsx")
    book = openpyxl.Workbook(write_only=True)
    for table, rows in tables.items():
        sheet = book.create_sheet(table)
        sheet.append(COLUMNS[table])
        for row in _safe(table, rows, spreadsheet=True):
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(out, buffer.getvalue())
    return [out]


def _parquet(tables: dict[str, list[Row]], out: Path) -> list[Path]:
    pyarrow = _optional("pyarrow", "parquet")
    import pyarrow.parquet as parquet

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table, rows in tables.items():
        columns = list(zip(*_safe(table, rows), strict=True)) or [()] * len(COLUMNS[table])
        arrays = {
            name: pyarrow.array(list(values))
            for name, values in zip(COLUMNS[table], columns, strict=True)
        }
        path = out / f"{table}.parquet"
        parquet.write_table(pyarrow.table(arrays), path)
        written.append(path)
    return written


def _sqlite(tables: dict[str, list[Row]], out: Path) -> list[Path]:
    temporary = out.with_name(out.name + ".tmp")
    temporary.unlink(missing_ok=True)
    with sqlite3.connect(temporary) as db:
        for table, rows in tables.items():
            names = ", ".join(f'"{c}"' for c in COLUMNS[table])
            db.execute(f'CREATE TABLE "{table}" ({names})')
            marks = ", ".join("?" for _ in COLUMNS[table])
            db.executemany(f'INSERT INTO "{table}" VALUES ({marks})', _safe(table, rows))
    db.close()
    temporary.replace(out)
    return [out]


def _optional(module: str, fmt: str) -> Any:
    try:
        return __import__(module)
    except ImportError:
        raise ConfigError(f"--to {fmt} needs {module}: pip install 'summarizer[tables]'") from None

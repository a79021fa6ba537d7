"""``summarizer export``: the tables read back as an analyst reads them (pandas), with the
documented columns, Arabic intact, and model text that cannot act as a spreadsheet formula."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from summarizer.evaluation.events import run_gold
from summarizer.export import COLUMNS, tables_of, write
from summarizer.export.writers import cell

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "fixtures" / "events"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("export")
    run_gold(GOLD, ROOT / "fixtures" / "cassettes" / "events", work)
    return work


def _read(fmt: str, out: Path, table: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(out / f"{table}.csv", encoding="utf-8-sig")
    if fmt == "xlsx":
        return pd.read_excel(out, sheet_name=table)
    if fmt == "parquet":
        return pd.read_parquet(out / f"{table}.parquet")
    with sqlite3.connect(out) as db:
        return pd.read_sql_query(f'SELECT * FROM "{table}"', db)


@pytest.mark.parametrize(("fmt", "name"), [("csv", "csv"), ("xlsx", "t.xlsx"),
                                           ("parquet", "pq"), ("sqlite", "t.db")])  # fmt: skip
def test_every_format_reads_back_with_the_documented_columns(
    work: Path, tmp_path: Path, fmt: str, name: str
) -> None:
    out = tmp_path / name
    tables = tables_of(work / "events")
    write(tables, fmt, out)
    for table, columns in COLUMNS.items():
        frame = _read(fmt, out, table)
        assert list(frame.columns) == columns
        assert len(frame) == len(tables[table]) > 0
    people = _read(fmt, out, "participants")
    assert "سالم العنزي" in set(people["name_source"])  # Arabic survives the round trip
    first = people[people["report_id"] == "e01_kuna_ar"].iloc[0]
    article = (GOLD / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert first["evidence_quote"] in article and first["event_id"].startswith("ev-")
    events = _read(fmt, out, "events")
    assert sorted(events["reports"]) == [1, 1, 1, 1, 1, 2, 3]


def test_csv_has_the_bom_excel_needs_for_arabic(work: Path, tmp_path: Path) -> None:
    write(tables_of(work / "events"), "csv", tmp_path)
    assert (tmp_path / "reports.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_batch_run_exports_without_events(work: Path, tmp_path: Path) -> None:
    tables = tables_of(work / "run")
    assert tables["events"] == [] and len(tables["reports"]) == 10
    assert all(row["event_id"] is None for row in tables["reports"])


def test_model_text_cannot_run_as_a_formula_or_carry_controls() -> None:
    assert cell('=HYPERLINK("http://x","y")', spreadsheet=True).startswith("'=")
    assert cell("-2+3", spreadsheet=True) == "'-2+3"
    assert cell("=1", spreadsheet=False) == "=1"  # a database keeps the text as written
    assert cell("Camara\u202e\x1b[31m", spreadsheet=False) == "Camara[31m"
    assert cell(3, spreadsheet=True) == 3 and cell(None, spreadsheet=True) is None


def test_a_formula_in_a_summary_reaches_excel_defused(work: Path, tmp_path: Path) -> None:
    tables = tables_of(work / "events")
    tables["reports"][0]["headline"] = "=cmd|' /C calc'!A0"
    write(tables, "xlsx", tmp_path / "t.xlsx")
    headline = _read("xlsx", tmp_path / "t.xlsx", "reports")["headline"][0]
    assert headline == "'=cmd|' /C calc'!A0"


def test_bad_source_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "summarizer.entry", "export", str(tmp_path), str(tmp_path / "o")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "neither a batch --out directory" in done.stderr

"""``summarizer export``: events and reports as tables (CSV, XLSX, Parquet, SQLite)."""

from .tables import COLUMNS, tables_of
from .writers import FORMATS, write

__all__ = ["COLUMNS", "FORMATS", "tables_of", "write"]

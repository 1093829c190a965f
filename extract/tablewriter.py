"""Writing the indicator table a batch of rows at a time, for outputs too large to hold at once.

TableWriter writes the same file write_table would write for all the rows
together (same columns, types, CSV BOM and formula guard), but keeps only the
current batch in memory. The file is written under a temporary name and moved
into place on close, so an interrupted run never leaves half a table under the
final name.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

import pandas as pd

from .table import spreadsheet_safe, to_arrow, to_frame

FORMATS = {".csv": "csv", ".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def table_format(path: str | Path) -> str:
    """csv, parquet or jsonl, from the extension; ValueError for anything else."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise ValueError(f"unknown table format {Path(path).suffix!r}: use .csv, .parquet or .jsonl")
    return fmt


class TableWriter:
    """with TableWriter(path) as out: out.write(rows) ... ; out.rows counts what was written."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.format = table_format(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        self.rows = 0
        self._fh = None        # csv / jsonl
        self._parquet = None   # pyarrow.parquet.ParquetWriter

    def write(self, rows: Iterable[dict] | pd.DataFrame) -> None:
        """Append rows (dicts, or a frame with the table's columns)."""
        if self.format == "parquet" and not isinstance(rows, pd.DataFrame):
            rows = list(rows)
            if rows:
                self._write_arrow(to_arrow(rows))
            return
        frame = rows if isinstance(rows, pd.DataFrame) else to_frame(rows)
        if not frame.empty:
            self._write(frame)

    def _write_arrow(self, table) -> None:
        import pyarrow.parquet as pq

        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self.tmp, table.schema)
        self._parquet.write_table(table)
        self.rows += table.num_rows

    def _write(self, frame: pd.DataFrame) -> None:
        if self.format == "parquet":
            import pyarrow as pa

            self._write_arrow(pa.Table.from_pandas(frame, preserve_index=False))
            return
        if self.format == "csv":
            first = self._fh is None
            if first:
                # utf-8-sig writes the BOM (once, at the start) that makes Excel read UTF-8.
                self._fh = open(self.tmp, "w", encoding="utf-8-sig", newline="")
            spreadsheet_safe(frame).to_csv(self._fh, index=False, header=first)
        else:
            if self._fh is None:
                self._fh = open(self.tmp, "w", encoding="utf-8")
            for rec in frame.to_dict("records"):
                self._fh.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
        self.rows += len(frame)

    def close(self) -> Path:
        """Finish the file and move it into place (an empty table if no row was written)."""
        if self._parquet is None and self._fh is None:
            self._write(to_frame([]))      # the header or schema alone
        if self._parquet is not None:
            self._parquet.close()
        if self._fh is not None:
            self._fh.close()
        os.replace(self.tmp, self.path)
        return self.path

    def abort(self) -> None:
        """Drop what was written (the final file is left as it was)."""
        for handle in (self._parquet, self._fh):
            if handle is not None:
                handle.close()
        self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None:
            self.close()
        else:
            self.abort()
        return False

"""The filtered table as download bytes: CSV (UTF-8 with BOM, formula-safe), Excel and Parquet.

Each writer takes one DataFrame or an iterable of DataFrames (batches), so a large export
never holds the whole table as Python objects at once.
"""
from __future__ import annotations

import io
from typing import Iterable

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from extract.table import spreadsheet_safe

EXCEL_MAX_ROWS = 50_000   # openpyxl writes ~2,000 rows/s; bigger exports: CSV or Parquet
BATCH_ROWS = 100_000

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}

Frames = pd.DataFrame | Iterable[pd.DataFrame]


def _batches(frames: Frames) -> Iterable[pd.DataFrame]:
    return [frames] if isinstance(frames, pd.DataFrame) else frames


def to_csv(frames: Frames) -> bytes:
    """CSV that Excel opens as UTF-8 (BOM) and whose cells cannot run as formulas."""
    buf = io.BytesIO()
    buf.write("\ufeff".encode("utf-8"))
    for i, frame in enumerate(_batches(frames)):
        spreadsheet_safe(frame).to_csv(buf, index=False, header=(i == 0), encoding="utf-8")
    return buf.getvalue()


def to_xlsx(frames: Frames) -> bytes:
    """An .xlsx workbook (openpyxl, write-only) with formula-safe text cells, at most EXCEL_MAX_ROWS rows."""
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    sheet = book.create_sheet("claims")
    n, header = 0, False
    for frame in _batches(frames):
        part = spreadsheet_safe(frame.head(EXCEL_MAX_ROWS - n)).astype(object)
        if not header:
            sheet.append(list(part.columns))
            header = True
        for row in part.where(part.notna(), None).itertuples(index=False, name=None):
            sheet.append(list(row))
        n += len(part)
        if n >= EXCEL_MAX_ROWS:
            break
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def to_parquet(frames: Frames) -> bytes:
    """Parquet bytes that read back (extract.table.read_table) to the same rows."""
    buf, writer = io.BytesIO(), None
    for frame in _batches(frames):
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(buf, table.schema)
        writer.write_table(table.cast(writer.schema))
    if writer is None:
        return b""
    writer.close()
    return buf.getvalue()


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "parquet": to_parquet}

"""The filtered table as download bytes: CSV (UTF-8 with BOM, formula-safe), Excel and Parquet.

Exports follow the page: the filters and the sort on screen, the labels shown (a coded column
such as themes gets a shown-label column beside its keys), a file name after the view
(claims_赤峰市_grid_2026-12-01.csv). The workbook has column widths, a frozen header and an
autofilter, a sheet saying what each column means and which filters made the file, and a
sheet of the sources its rows came from. Characters a spreadsheet cannot hold (\\x0b, \\x0c,
\\x1b … from PDF page breaks or terminal text) are replaced one for one by spaces in every
export, so offsets into a sentence stay valid.

Each writer takes one DataFrame or an iterable of DataFrames (batches), so a large export
never holds the whole table as Python objects at once.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from extract.table import COLUMNS, spreadsheet_safe

log = logging.getLogger("indicators.exports")

EXCEL_MAX_ROWS = 50_000   # openpyxl writes ~2,000 rows/s; bigger exports: CSV or Parquet

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}

#: Characters openpyxl refuses (IllegalCharacterError) and that no spreadsheet shows.
ILLEGAL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Columns first in the order the table on screen shows them, then the rest of the table's.
SHOWN_FIRST = ("value", "unit", "indicator", "sentence", "city", "county", "themes", "qualifier",
               "number_text", "doc", "claim_id")
#: Per-document columns for the sources sheet (issue 13's; empty while the table lacks them).
SOURCE_COLUMNS = ("doc", "doc_title", "outlet", "published", "page", "url")
MAX_WIDTH = 60
NAME_BAD_RE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')

Frames = pd.DataFrame | Iterable[pd.DataFrame]


@dataclass(frozen=True)
class Labels:
    """How the page shows things, for one language: column headers and coded values."""
    column: Callable[[str], str] = lambda c: c
    value: dict[str, Callable[[str], str]] = field(default_factory=dict)   # column -> key -> label
    about: dict[str, str] = field(default_factory=dict)                    # sheet texts


@dataclass(frozen=True)
class Spec:
    """What made the export: the shown filters (field label -> value label), the sort, when."""
    filters: tuple[tuple[str, str], ...] = ()
    name_parts: tuple[str, ...] = ()
    sort: str = ""
    descending: bool = True
    made: dt.date = field(default_factory=dt.date.today)
    source: str = ""


def clean_text(value):
    """A cell's text with illegal characters replaced by spaces (same length)."""
    return ILLEGAL_RE.sub(" ", value) if isinstance(value, str) else value


def clean_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            s = out[col]
            if s.astype("string").str.contains(ILLEGAL_RE, na=False).any():
                out[col] = s.map(clean_text)
    return out


def file_name(spec: Spec, fmt: str) -> str:
    """claims_<filter values>_<date>.<fmt>, safe on every file system."""
    parts = [NAME_BAD_RE.sub("-", p).strip("-.")[:40] for p in spec.name_parts if p]
    return "_".join(["claims", *[p for p in parts if p], spec.made.isoformat()]) + f".{fmt}"


def _batches(frames: Frames) -> Iterable[pd.DataFrame]:
    return [frames] if isinstance(frames, pd.DataFrame) else frames


def shown(frame: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """The rows as the page shows them: shown columns first, a label column beside each coded one."""
    order = [c for c in SHOWN_FIRST if c in frame.columns] + [c for c in frame.columns if c not in SHOWN_FIRST]
    out = frame[order].copy()
    for col, to_label in labels.value.items():
        if col in out.columns:
            at = out.columns.get_loc(col)
            out.insert(at, f"{col}_label", out[col].map(lambda v, f=to_label: f(v) if isinstance(v, str) else v))
    return out


def header(columns, labels: Labels) -> list[str]:
    def one(c: str) -> str:
        if c.endswith("_label") and c[:-6] in labels.value:
            return labels.column(c[:-6])
        if c in labels.value:
            return f"{labels.column(c)} ({c})"
        return labels.column(c)
    return [one(c) for c in columns]


def to_csv(frames: Frames, labels: Labels | None = None) -> bytes:
    """CSV that Excel opens as UTF-8 (BOM), whose cells cannot run as formulas; shown labels
    as headers when labels are given."""
    buf = io.BytesIO()
    buf.write("\ufeff".encode("utf-8"))
    for i, frame in enumerate(_batches(frames)):
        part = clean_frame(spreadsheet_safe(shown(frame, labels) if labels else frame))
        if i == 0 and labels:
            part.columns = header(part.columns, labels)
        part.to_csv(buf, index=False, header=(i == 0), encoding="utf-8")
    return buf.getvalue()


def _width(values: list) -> float:
    """Display width of the longest of a column's first values (CJK characters count double)."""
    best = 0
    for v in values:
        s = "" if v is None else str(v)
        best = max(best, sum(2 if ord(ch) > 0x2E7F else 1 for ch in s[:MAX_WIDTH * 2]))
    return min(MAX_WIDTH, max(8, best + 2))


def to_xlsx(frames: Frames, labels: Labels | None = None, spec: Spec | None = None) -> bytes:
    """An .xlsx workbook: the rows (at most EXCEL_MAX_ROWS) with widths, a frozen header and an
    autofilter; 'about' (each column's meaning, the filters and sort that made it); 'sources'."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    labels, spec = labels or Labels(), spec or Spec()
    about = labels.about
    book = Workbook()
    sheet = book.active
    sheet.title = about.get("sheet_rows", "claims")
    n, columns, docs = 0, None, {}
    for frame in _batches(frames):
        part = clean_frame(spreadsheet_safe(shown(frame.head(EXCEL_MAX_ROWS - n), labels))).astype(object)
        part = part.where(part.notna(), None)
        if columns is None:
            columns = list(part.columns)
            sheet.append(header(columns, labels))
            sample = part.head(200)
            for i, col in enumerate(columns, 1):
                sheet.column_dimensions[get_column_letter(i)].width = _width(
                    [header([col], labels)[0]] + sample[col].tolist())
        for row in part.itertuples(index=False, name=None):
            sheet.append(list(row))
        for rec in part.reindex(columns=list(SOURCE_COLUMNS)).drop_duplicates("doc").itertuples(index=False):
            docs.setdefault(rec[0], rec)
        n += len(part)
        if n >= EXCEL_MAX_ROWS:
            break
    if columns is None:
        columns = list(shown(pd.DataFrame(columns=list(COLUMNS)), labels).columns)
        sheet.append(header(columns, labels))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n + 1}"

    info = book.create_sheet(about.get("sheet_about", "about"))
    info.append([about.get("made", "made"), spec.made.isoformat()])
    info.append([about.get("rows", "rows"), n])
    if spec.source:
        info.append([about.get("source", "table"), clean_text(spec.source)])
    info.append([about.get("sort", "sort"), f"{labels.column(spec.sort)} "
                 f"{about.get('desc', 'descending') if spec.descending else about.get('asc', 'ascending')}"
                 if spec.sort else ""])
    info.append([about.get("filters", "filters")] + ([] if spec.filters else [about.get("no_filters", "none")]))
    for name, value in spec.filters:
        info.append([f"  {name}", clean_text(value)])
    info.append([])
    info.append([about.get("col_header", "column"), about.get("col_key", "key"), about.get("col_meaning", "meaning")])
    for col, head in zip(columns, header(columns, labels)):
        key = col[:-6] if col.endswith("_label") else col
        meaning = COLUMNS.get(key, "")
        if col.endswith("_label"):
            meaning = about.get("label_of", "shown label of {key}").format(key=key)
        info.append([head, col, meaning])
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 24, 22
    info.column_dimensions["C"].width = 80
    info.freeze_panes = "A2"

    src = book.create_sheet(about.get("sheet_sources", "sources"))
    src.append([labels.column(c) for c in SOURCE_COLUMNS])
    for rec in docs.values():
        src.append([clean_text("" if v is None or (isinstance(v, float) and pd.isna(v)) else v) for v in rec])
    for i, c in enumerate(SOURCE_COLUMNS, 1):
        src.column_dimensions[get_column_letter(i)].width = 40 if c in ("doc", "doc_title", "url") else 14
    src.freeze_panes = "A2"
    src.auto_filter.ref = f"A1:{get_column_letter(len(SOURCE_COLUMNS))}{len(docs) + 1}"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def to_parquet(frames: Frames, labels: Labels | None = None) -> bytes:
    """Parquet bytes with the table's own columns and keys (machine-readable; read_table reads
    them back), illegal characters replaced as in the other exports."""
    buf, writer = io.BytesIO(), None
    for frame in _batches(frames):
        table = pa.Table.from_pandas(clean_frame(frame), preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(buf, table.schema)
        writer.write_table(table.cast(writer.schema))
    if writer is None:
        return b""
    writer.close()
    return buf.getvalue()


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "parquet": to_parquet}


class Failures:
    """Export failures by session, for the page to show after the download was refused."""

    def __init__(self):
        self._by_session: dict[str, list[str]] = {}

    def guarded(self, session: str, fmt: str, make: Callable[[], bytes]) -> Callable[[], bytes]:
        """make, recording why it failed (and failing, so the browser gets no broken file)."""
        def run() -> bytes:
            try:
                return make()
            except Exception as exc:
                log.exception("export %s failed", fmt)
                self._by_session.setdefault(session, []).append(f"{fmt.upper()}: {type(exc).__name__}: {exc}")
                raise
        return run

    def pop(self, session: str) -> list[str]:
        return self._by_session.pop(session, [])


FAILURES = Failures()

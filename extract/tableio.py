"""Reading and writing the indicator table as CSV, Parquet or JSON Lines.

The format follows the file's extension (FORMATS). Every file is written under a temporary
name and moved into place when it is complete (atomic_write, AtomicFile), so an interrupted
run never leaves half a table under the final name. TableWriter writes a table a batch of
rows at a time, for outputs too large to hold at once; write_table is one batch of it, so
a whole table and a streamed one are the same file. The CSV has a BOM (Excel reads it as
UTF-8) and no cell that a spreadsheet would run as a formula.
"""
from __future__ import annotations

import csv
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from .table import COLUMNS, formula_safe, spreadsheet_safe, to_arrow, to_frame, typed

if TYPE_CHECKING:
    import pandas as pd

FORMATS = {".csv": "csv", ".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def file_format(path: str | Path, allowed: tuple[str, ...] = ("csv", "parquet", "jsonl"),
                what: str = "table") -> str:
    """csv, parquet or jsonl, from the extension; ValueError for one not in `allowed`."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None or fmt not in allowed:
        names = ", ".join(f".{f}" for f in allowed[:-1]) + f" or .{allowed[-1]}" if len(allowed) > 1 \
            else f".{allowed[0]}"
        raise ValueError(f"unknown {what} format {Path(path).suffix!r}: use {names}")
    return fmt


def _is_frame(rows) -> bool:
    """Whether rows is a pandas DataFrame (without importing pandas when it is not loaded)."""
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(rows, pd.DataFrame)


def _csv_cell(value):
    """One CSV cell as pandas writes it: NaN as nothing, a float as its repr, text formula-safe."""
    if isinstance(value, float):
        return "" if value != value else repr(value)
    return formula_safe(value)


def table_format(path: str | Path) -> str:
    """The table format of a path (csv, parquet or jsonl)."""
    return file_format(path)


class AtomicFile:
    """A file written under a temporary name beside `path` (or in `tmp_dir`, a folder on the same
    filesystem: a run's state folder, so that a run killed outright leaves its temporary there and
    not beside its output): commit() moves it into place, abort() removes it (the file under the
    final name is left as it was)."""

    def __init__(self, path: str | Path, tmp_dir: str | Path | None = None):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tmp_dir or self.path.parent) / f".{self.path.name}.{os.getpid()}.tmp"

    def commit(self) -> Path:
        os.replace(self.tmp, self.path)
        return self.path

    def abort(self) -> None:
        self.tmp.unlink(missing_ok=True)


@contextmanager
def atomic_write(path: str | Path, tmp_dir: str | Path | None = None) -> Iterator[Path]:
    """with atomic_write(path) as tmp: write tmp; on leaving, tmp becomes path (or is removed
    if the block raised)."""
    target = AtomicFile(path, tmp_dir)
    try:
        yield target.tmp
    except BaseException:
        target.abort()
        raise
    target.commit()


class TableWriter:
    """with TableWriter(path) as out: out.write(rows) ... ; out.rows counts what was written
    (its temporary in `tmp_dir` if given: AtomicFile)."""

    def __init__(self, path: str | Path, tmp_dir: str | Path | None = None):
        self.path = Path(path)
        self.format = table_format(self.path)
        self._file = AtomicFile(self.path, tmp_dir)
        self.tmp = self._file.tmp
        self.rows = 0
        self._fh = None        # csv / jsonl
        self._parquet = None   # pyarrow.parquet.ParquetWriter

    def write(self, rows: "Iterable[dict] | pd.DataFrame") -> None:
        """Append rows (dicts, or a frame with the table's columns)."""
        if not _is_frame(rows):
            rows = list(rows)
            if not rows:
                return
            if self.format == "parquet":
                self._write_arrow(to_arrow(rows))
                return
            try:
                records = [typed(row) for row in rows]
            except (TypeError, ValueError):      # not the extractor's types: as a frame converts them
                records = None
            if records is not None:
                self._write_records(records)
                return
        frame = rows if _is_frame(rows) else to_frame(rows)
        if not frame.empty:
            self._write(frame)

    def _write_records(self, records: list[dict]) -> None:
        """CSV or JSON Lines straight from typed rows, byte for byte what the frame path writes
        (pandas' to_csv: minimal quoting, "\\n" line ends, floats as repr, NaN as nothing),
        without importing pandas."""
        if self.format == "csv":
            first = self._fh is None
            if first:
                self._fh = open(self.tmp, "w", encoding="utf-8-sig", newline="")
            writer = csv.writer(self._fh, lineterminator="\n")
            if first:
                writer.writerow(COLUMNS)
            writer.writerows([_csv_cell(v) for v in rec.values()] for rec in records)
        else:
            if self._fh is None:
                self._fh = open(self.tmp, "w", encoding="utf-8")
            for rec in records:
                self._fh.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
        self.rows += len(records)

    def _write_arrow(self, table) -> None:
        import pyarrow.parquet as pq

        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self.tmp, table.schema)
        self._parquet.write_table(table)
        self.rows += table.num_rows

    def _write(self, frame: "pd.DataFrame") -> None:
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
        if self._parquet is None and self._fh is None:     # the header or schema alone
            if self.format == "parquet":
                self._write(to_frame([]))
            else:
                self._write_records([])
        if self._parquet is not None:
            self._parquet.close()
        if self._fh is not None:
            self._fh.close()
        return self._file.commit()

    def abort(self) -> None:
        """Drop what was written (the final file is left as it was)."""
        for handle in (self._parquet, self._fh):
            if handle is not None:
                handle.close()
        self._file.abort()

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None:
            self.close()
        else:
            self.abort()
        return False


def write_table(rows: "Iterable[dict] | pd.DataFrame", path: str | Path) -> Path:
    """Write the table; the format follows the extension (.csv, .parquet, .jsonl)."""
    with TableWriter(path) as out:
        out.write(rows)
    return out.path


def table_files(path: str | Path) -> list[Path]:
    """The files that hold the table at `path`: the file itself, or, of a folder of Parquet
    parts, exactly the parts its completion record lists (other Parquet files there are not the
    run's). Every reader of a table asks this first (read_table, the dashboard's store).

    Raises extract.run.record.IncompleteOutput (a ValueError) for an output whose run did not
    finish (interrupted, or still running), a folder without its completion record, or a part
    the record lists that is not there."""
    from .run.record import IncompleteOutput, check_complete

    path = Path(path)
    record = check_complete(path)
    if not path.is_dir():
        return [path]
    files = []
    for name in (record or {}).get("parts", []):
        if Path(name).name != name or not (path / name).is_file():
            raise IncompleteOutput(f"{path} is incomplete: its completion record lists the part {name}, "
                                   "which is not there")
        files.append(path / name)
    return files


def read_table(path: str | Path) -> "pd.DataFrame":
    """Read a table written by write_table (or `indicators extract`, also a folder of Parquet
    parts) into a frame with COLUMNS.

    An output whose run did not finish (interrupted, or still running) is refused with
    extract.run.record.IncompleteOutput (a ValueError). Of a folder of Parquet parts, only the
    parts its completion record lists are read (table_files)."""
    import pandas as pd

    path = Path(path)
    files = table_files(path)
    fmt = "parquet" if path.is_dir() else table_format(path)
    if path.is_dir():
        parts = [pd.read_parquet(f) for f in files]
        frame = pd.concat(parts, ignore_index=True) if parts else to_frame([])
    elif fmt == "parquet":
        frame = pd.read_parquet(path)
    elif fmt == "jsonl":
        frame = pd.read_json(path, lines=True, dtype={"city_code": str, "county_code": str, "page": str, "published": str,
                                                      "province_code": str})
    else:
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return to_frame(frame.to_dict("records"))

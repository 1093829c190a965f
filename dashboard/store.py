"""The claim table in DuckDB, shared by every session of the server.

No Streamlit here. A table file (Parquet, a folder of Parquet parts, CSV, JSONL, or a .duckdb
file with a `base` table) is checked as every reader checks it (extract.tableio.table_files: an
output whose run did not finish is refused; of a folder, only the parts its completion record
lists are read), loaded into memory at once and converted in a background thread
into a cached .duckdb file (keyed by the file's resolved path, size and mtime); queries then move
to that file. The conversion thread is stopped and joined at interpreter exit, and `.tmp` files
left by an interrupted conversion are removed.
"""
from __future__ import annotations

import atexit
import hashlib
import os
import threading
import time
import weakref
from pathlib import Path

import duckdb

from extract.table import COLUMNS, INT_COLUMNS
from extract.run.lifeline import pid_alive
from extract.run.record import IncompleteOutput, record_path
from extract.tableio import read_table, table_files

CACHE_VERSION = "2"
#: Columns of the shared contract that later extractors add (issues 12, 13, 16); a table without
#: them gets empty ones, and the page hides a control while its column is empty.
CONTRACT_COLUMNS = ("scope", "measure", "measure_label", "level", "indicator_source", "outlet", "published",
                    "published_source", "url", "page", "doc_title", "period", "period_start", "period_end",
                    "kind", "value_low", "value_high")
FLOAT_COLUMNS = ("value", "value_low", "value_high")
ALL_COLUMNS = tuple(COLUMNS) + tuple(c for c in CONTRACT_COLUMNS if c not in COLUMNS)
TMP_MAX_AGE_S = 3600   # a .tmp older than this belongs to no running conversion


class TableError(Exception):
    """The table file is missing or cannot be read; `kind` is 'missing', 'bad', or 'incomplete'
    (the run writing it did not finish: `detail` says why and what to do)."""

    def __init__(self, kind: str, path: str, detail: str = ""):
        super().__init__(f"{kind}: {path}: {detail}")
        self.kind, self.path, self.detail = kind, path, detail


def column_select(have: set[str]) -> str:
    """SELECT list giving exactly ALL_COLUMNS, typed, from a source that has the columns `have`."""
    cols = []
    for col in ALL_COLUMNS:
        if col in have and col in FLOAT_COLUMNS:
            cols.append(f'TRY_CAST("{col}" AS DOUBLE) AS "{col}"')
        elif col in have and col not in INT_COLUMNS:
            cols.append(f'coalesce(CAST("{col}" AS VARCHAR), \'\') AS "{col}"')
        elif col in have:
            cols.append(f'"{col}"')
        elif col in INT_COLUMNS:
            cols.append(f'0::BIGINT AS "{col}"')
        elif col in FLOAT_COLUMNS:
            cols.append(f'NULL::DOUBLE AS "{col}"')
        else:
            cols.append(f"'' AS \"{col}\"")
    return ", ".join(cols)


def cache_dir() -> Path:
    """Where converted .duckdb copies live: $INDICATORS_CACHE, else ~/.cache/grassroots-indicators."""
    env = os.environ.get("INDICATORS_CACHE")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "grassroots-indicators"


def _fingerprint(path: Path) -> str:
    """Of the table's own files (a folder's listed parts and its completion record)."""
    files = table_files(path) + [record_path(path)] if path.is_dir() else [path]
    parts = [CACHE_VERSION] + [f"{p.relative_to(path) if path.is_dir() else ''}|{p.stat().st_mtime_ns}|"
                               f"{p.stat().st_size}" for p in files]
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:12]


def cache_target(path: Path) -> Path:
    """The cache file of a table: the same however the path is spelled (relative, with ..,
    through a symlink), because it is keyed by the resolved path."""
    resolved = Path(os.path.realpath(path))
    stem = hashlib.sha1(str(resolved).encode()).hexdigest()[:12]
    return cache_dir() / f"{stem}-{_fingerprint(resolved)}.duckdb"


def clean_leftovers(folder: Path, max_age_s: float = TMP_MAX_AGE_S) -> list[Path]:
    """Remove conversion .tmp files (and their .wal) that no live process is writing."""
    removed = []
    if not folder.is_dir():
        return removed
    for tmp in folder.glob(".*.tmp*"):
        try:
            pid = int(tmp.name.split(".")[-3]) if tmp.name.endswith(".tmp") else int(tmp.name.split(".")[-4])
        except (ValueError, IndexError):
            pid = -1
        try:
            mine_dead = pid > 0 and pid != os.getpid() and not pid_alive(pid)
            stale = os.path.getmtime(tmp) < time.time() - max_age_s
            if mine_dead or stale or pid == -1:
                tmp.unlink(missing_ok=True)
                removed.append(tmp)
        except OSError:
            pass
    return removed


_STORES: "weakref.WeakSet[Store]" = weakref.WeakSet()


@atexit.register
def _stop_conversions() -> None:
    """At exit, interrupt every running conversion and wait for its thread (no thread may be
    inside DuckDB while the interpreter tears down)."""
    for store in list(_STORES):
        store.close()


class Store:
    """One table opened in DuckDB; thread-safe through per-query cursors (see module doc)."""

    def __init__(self, path: str | Path | None, cache: bool = True):
        """Open the table at path; None gives an empty table (uploads only)."""
        self.path = Path(path) if path is not None else None
        self.con = duckdb.connect(":memory:")
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._writer: duckdb.DuckDBPyConnection | None = None
        self._tmp: Path | None = None
        self.cache_file: Path | None = None
        self.files: list[Path] = []          # the table's own files (extract.tableio.table_files)
        self.converting: threading.Thread | None = None
        if self.path is None:
            self.con.execute(f"CREATE VIEW base AS SELECT {column_select(set())} WHERE FALSE")
            self.present = frozenset()
            return
        if not self.path.exists():
            raise TableError("missing", str(self.path))
        try:
            self.files = [] if self.path.suffix.lower() == ".duckdb" else table_files(self.path)
        except IncompleteOutput as exc:
            raise TableError("incomplete", str(self.path), str(exc)) from exc
        try:
            if self.path.suffix.lower() == ".duckdb":
                self._attach(self.path)
            elif cache and cache_target(self.path).exists():
                self._attach(cache_target(self.path))
            else:
                # First open of this file version: serve from memory now, convert in the background.
                self._load(self.con, "memory_base")
                self.con.execute("CREATE VIEW base AS SELECT * FROM memory_base")
                if cache:
                    clean_leftovers(cache_dir())
                    _STORES.add(self)
                    self.converting = threading.Thread(target=self._convert, daemon=True,
                                                       name="indicators-duckdb-cache")
                    self.converting.start()
            self.present = self._present_columns()
        except (duckdb.Error, ValueError, OSError, KeyError) as exc:
            raise TableError("bad", str(self.path), str(exc).splitlines()[0]) from exc

    def _present_columns(self) -> frozenset[str]:
        """The contract columns that hold at least one value (the page shows their controls)."""
        checks = ", ".join(f"bool_or(\"{c}\" IS NOT NULL)" if c in FLOAT_COLUMNS else f"bool_or(\"{c}\" <> '')"
                           for c in CONTRACT_COLUMNS)
        with self._lock:
            row = self.con.cursor().execute(f"SELECT {checks} FROM base").fetchall()[0]
        return frozenset(c for c, ok in zip(CONTRACT_COLUMNS, row) if ok)

    def _load(self, con: duckdb.DuckDBPyConnection, name: str) -> None:
        """CREATE TABLE name from the table's files (Parquet read by DuckDB, of a folder only the
        parts its completion record lists; CSV/JSONL through pandas)."""
        if self.path.is_dir() and not self.files:
            con.execute(f"CREATE TABLE {name} AS SELECT {column_select(set())} WHERE FALSE")  # no part
            return
        if self.path.suffix.lower() == ".parquet" or self.path.is_dir():
            listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in self.files)
            src = f"read_parquet([{listed}], union_by_name = true)"     # the listed parts only
        else:
            con.register("loaded_frame", _read_any(self.path))
            src = "loaded_frame"
        have = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()}
        con.execute(f"CREATE TABLE {name} AS SELECT {column_select(have)} FROM {src}")

    def _attach(self, file: Path) -> None:
        with self._lock:
            self.con.execute("ATTACH '" + str(file).replace("'", "''") + "' AS stored (READ_ONLY)")
            self.con.execute("CREATE OR REPLACE VIEW base AS SELECT * FROM stored.base")
            self.cache_file = file

    def _convert(self) -> None:
        """Write the .duckdb copy (atomically), then query it and free the in-memory table."""
        target = cache_target(self.path)
        try:
            # Lowest priority and one DuckDB thread: the first page views keep the CPU.
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        except (AttributeError, OSError):
            pass
        tmp = target.parent / f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp"
        try:
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                self._tmp = tmp
                con = duckdb.connect(str(tmp), config={"threads": 1})
                self._writer = con
                try:
                    if self._stop.is_set():
                        return
                    self._load(con, "base")
                    con.execute("CHECKPOINT")
                finally:
                    self._writer = None
                    con.close()
                if self._stop.is_set():
                    return
                os.replace(tmp, target)
                for old in target.parent.glob(f"{target.name.split('-')[0]}-*.duckdb"):
                    if old != target:
                        old.unlink(missing_ok=True)
            if self._stop.is_set():
                return
            self._attach(target)
            with self._lock:
                self.con.execute("DROP TABLE IF EXISTS memory_base")
        except (OSError, duckdb.Error, ValueError):
            pass  # no cache (or interrupted, or a new run began meanwhile): keep serving from memory
        finally:
            for leftover in (tmp, Path(str(tmp) + ".wal")):
                leftover.unlink(missing_ok=True)

    def close(self, timeout: float = 30.0) -> None:
        """Stop a running conversion (interrupting DuckDB) and wait for its thread."""
        self._stop.set()
        writer = self._writer
        if writer is not None:
            try:
                writer.interrupt()
            except duckdb.Error:
                pass
        if self.converting is not None and self.converting.is_alive():
            self.converting.join(timeout)

    def wait_converted(self, timeout: float | None = None) -> bool:
        """Wait for the background conversion (tests, benchmarks); True if the cache is in use."""
        if self.converting is not None:
            self.converting.join(timeout)
        return self.cache_file is not None

    def view(self, uploads=None):
        """A query view (dashboard.queries.View) over the table plus this session's uploaded rows."""
        from dashboard.queries import View
        with self._lock:
            cur = self.con.cursor()
        return View(cur, uploads)


def _read_any(path: Path):
    """A CSV/JSONL table with every column it has (the contract's new ones too)."""
    import pandas as pd
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json"):
        frame = pd.read_json(path, lines=True, dtype=False)
    elif suffix == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    else:
        return read_table(path)
    for col in INT_COLUMNS:
        if col in frame:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").fillna(0).astype("int64")
    for col in frame.columns:
        if col not in INT_COLUMNS and col not in FLOAT_COLUMNS:
            frame[col] = frame[col].astype("string").fillna("")
    return frame
